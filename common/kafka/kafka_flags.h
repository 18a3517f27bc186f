// File: kafka_flags.h
//
// The Kafka command-line flags every Homeward process shares:
//   --bootstrap_servers=host:port,...   or
//   --bootstrap_file=run/kafka.bootstrap   (written by homeward-kafka, whose ports are random)
//   --kafka_config=deploy/kafka/client.properties   (TLS/SASL and other librdkafka settings)
#ifndef HOMEWARD_COMMON_KAFKA_KAFKA_FLAGS_H_
#define HOMEWARD_COMMON_KAFKA_KAFKA_FLAGS_H_

#include "absl/status/statusor.h"
#include "common/kafka/kafka_config.h"

namespace homeward::kafka {

// INVALID_ARGUMENT if neither bootstrap flag is set; NOT_FOUND if a named file is unreadable.
absl::StatusOr<KafkaConfig> KafkaConfigFromFlags();

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_KAFKA_FLAGS_H_
