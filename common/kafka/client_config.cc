#include "common/kafka/client_config.h"

#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace homeward::kafka {

void SendToHomewardLog(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  // syslog levels: 0-3 errors, 4 warnings, 5-6 notices and information, 7 debugging.
  if (level <= 3) {
    log::Error("kafka: {} {}: {}", rd_kafka_name(rk), facility, message);
  } else if (level == 4) {
    log::Warn("kafka: {} {}: {}", rd_kafka_name(rk), facility, message);
  } else if (level <= 6) {
    log::Info("kafka: {} {}: {}", rd_kafka_name(rk), facility, message);
  } else {
    log::Debug("kafka: {} {}: {}", rd_kafka_name(rk), facility, message);
  }
}

absl::StatusOr<rd_kafka_conf_t*> NewClientConf(
    const KafkaConfig& config, const std::vector<std::pair<std::string, std::string>>& defaults) {
  if (config.bootstrap_servers.empty()) {
    return absl::InvalidArgumentError("Kafka bootstrap servers not set");
  }
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set_log_cb(conf, &SendToHomewardLog);
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
