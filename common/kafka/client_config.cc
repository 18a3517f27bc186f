#include "common/kafka/client_config.h"

#include "absl/strings/str_cat.h"

namespace homeward::kafka {

absl::StatusOr<rd_kafka_conf_t*> NewClientConf(
    const KafkaConfig& config, const std::vector<std::pair<std::string, std::string>>& defaults) {
  if (config.bootstrap_servers.empty()) {
    return absl::InvalidArgumentError("Kafka bootstrap servers not set");
  }
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  auto set = [&](const std::string& name, const std::string& value) -> absl::Status {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof(err)) != RD_KAFKA_CONF_OK) {
      return absl::InvalidArgumentError(absl::StrCat("Kafka property ", name, ": ", err));
    }
    return absl::OkStatus();
  };
  absl::Status status = absl::OkStatus();
  for (const auto& [name, value] : defaults) status.Update(set(name, value));
  status.Update(set("bootstrap.servers", config.bootstrap_servers));
  for (const auto& [name, value] : config.properties) status.Update(set(name, value));
  if (!status.ok()) {
    rd_kafka_conf_destroy(conf);
    return status;
  }
  return conf;
}

}  // namespace homeward::kafka
