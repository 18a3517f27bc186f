// File: client_config.h
//
// Builds a librdkafka configuration from KafkaConfig plus a client's own defaults.
#ifndef HOMEWARD_COMMON_KAFKA_CLIENT_CONFIG_H_
#define HOMEWARD_COMMON_KAFKA_CLIENT_CONFIG_H_

#include <librdkafka/rdkafka.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/kafka/kafka_config.h"

namespace homeward::kafka {

// Applies `defaults`, then bootstrap.servers, then config.properties (so deployment settings
// win). The caller owns the result (rd_kafka_new takes it on success). INVALID_ARGUMENT names
// the property librdkafka refused.
// The configuration also sends librdkafka's own messages to Homeward's log (common/logging.h).
absl::StatusOr<rd_kafka_conf_t*> NewClientConf(
    const KafkaConfig& config, const std::vector<std::pair<std::string, std::string>>& defaults);

// A librdkafka log callback (rd_kafka_conf_set_log_cb) writing to Homeward's log at the
// matching level.
void SendToHomewardLog(const rd_kafka_t* rk, int level, const char* facility, const char* message);

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_CLIENT_CONFIG_H_
