#include "common/kafka/kafka_flags.h"

#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, bootstrap_servers, "", "Kafka bootstrap servers, host:port[,host:port]");
ABSL_FLAG(std::string, bootstrap_file, "",
          "File holding the bootstrap servers (written by homeward-kafka)");
ABSL_FLAG(std::string, kafka_config, "",
          "librdkafka properties file (name=value lines), e.g. TLS/SASL settings");

namespace homeward::kafka {

absl::StatusOr<KafkaConfig> KafkaConfigFromFlags() {
  KafkaConfig config;
  config.bootstrap_servers = absl::GetFlag(FLAGS_bootstrap_servers);
  if (const std::string file = absl::GetFlag(FLAGS_bootstrap_file);
      config.bootstrap_servers.empty() && !file.empty()) {
    std::ifstream in(file);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read bootstrap file ", file));
    std::getline(in, config.bootstrap_servers);
    config.bootstrap_servers = std::string(absl::StripAsciiWhitespace(config.bootstrap_servers));
  }
  if (config.bootstrap_servers.empty()) {
    return absl::InvalidArgumentError("set --bootstrap_servers or --bootstrap_file");
  }
  if (const std::string props = absl::GetFlag(FLAGS_kafka_config); !props.empty()) {
    auto loaded = LoadProperties(props);
    if (!loaded.ok()) return loaded.status();
    config.properties = *std::move(loaded);
  }
  return config;
}

}  // namespace homeward::kafka
