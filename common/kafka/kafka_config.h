// File: kafka_config.h
//
// Topic names and client configuration shared by every Homeward process.
#ifndef HOMEWARD_COMMON_KAFKA_KAFKA_CONFIG_H_
#define HOMEWARD_COMMON_KAFKA_KAFKA_CONFIG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace homeward::kafka {

// Every agency event, keyed by "<agency_id>/<source_record>" so all revisions of one source
// record stay in order on one partition.
inline constexpr char kEventsTopic[] = "homeward.events.v1";
// Input that could not be accepted, with the reason in a header: never silently dropped.
inline constexpr char kDeadLetterTopic[] = "homeward.deadletter.v1";
// Strategy-meeting and compliance alerts.
inline constexpr char kAlertsTopic[] = "homeward.alerts.v1";

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
