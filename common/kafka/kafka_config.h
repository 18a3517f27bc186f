// File: kafka_config.h
//
// Client configuration shared by every Homeward process (topic names: common/topics.h).
#ifndef HOMEWARD_COMMON_KAFKA_KAFKA_CONFIG_H_
#define HOMEWARD_COMMON_KAFKA_KAFKA_CONFIG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/topics.h"

namespace homeward::kafka {

struct KafkaConfig {
  // "host:port[,host:port...]". Required.
  std::string bootstrap_servers;
  // Extra librdkafka properties (name, value), applied last: TLS/SASL settings for production
  // come this way (deploy/kafka/client.properties). See LoadProperties().
  std::vector<std::pair<std::string, std::string>> properties;
};

// Reads a librdkafka properties file: "name=value" lines; blank lines and lines starting with
// '#' are skipped. NOT_FOUND if the file cannot be read; INVALID_ARGUMENT names the bad line.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> LoadProperties(
    const std::string& path);

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_KAFKA_CONFIG_H_
