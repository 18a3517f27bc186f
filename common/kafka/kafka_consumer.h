// File: kafka_consumer.h
//
// Reads every partition of the given topics from offsets the caller chooses. Each aggregator
// replica keeps its own full view (issue "the shared chronology", point 6), so it assigns all
// partitions itself instead of joining a consumer group, and it keeps consumed offsets in its
// own store rather than in Kafka (no group, no commits, no rebalances).
//
// Thread safety: one thread at a time.
#ifndef HOMEWARD_COMMON_KAFKA_KAFKA_CONSUMER_H_
#define HOMEWARD_COMMON_KAFKA_KAFKA_CONSUMER_H_

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/kafka/kafka_config.h"
#include "common/log_position.h"

namespace homeward::kafka {

using homeward::TopicPartition;

struct ConsumedMessage {
  TopicPartition tp;
  int64_t offset = 0;
  std::string key;
  std::string value;
};

struct ConsumerOptions {
  // The mock cluster answers an empty fetch only after this wait, so it sets end-to-end latency
  // (../shared/kafka-and-grpc-notes.md). Real brokers answer as soon as data arrives.
  absl::Duration fetch_wait_max = absl::Milliseconds(10);
};

class KafkaConsumer {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaConsumer>> Create(const KafkaConfig& config,
                                                               const ConsumerOptions& options = {});
  ~KafkaConsumer();
  KafkaConsumer(const KafkaConsumer&) = delete;
  KafkaConsumer& operator=(const KafkaConsumer&) = delete;

  // Assigns every partition of `topics`. A partition listed in `next_offsets` starts at that
  // offset (the next one to read); any other starts at the beginning of the log.
  // UNAVAILABLE if the topics' metadata cannot be had within `timeout`.
  absl::Status AssignAll(const std::vector<std::string>& topics,
                         const std::map<TopicPartition, int64_t>& next_offsets,
                         absl::Duration timeout);

  // The partition's (low, high) watermarks: the first offset still held and the next to be
  // written. UNAVAILABLE if the broker does not answer within `timeout`.
  absl::StatusOr<std::pair<int64_t, int64_t>> Watermarks(const TopicPartition& tp, absl::Duration timeout);

  // The next message, or nullopt if none arrived within `timeout`. Errors that librdkafka
  // recovers from itself (broker down, end of partition) are logged and yield nullopt; a fatal
  // client error returns INTERNAL.
  absl::StatusOr<std::optional<ConsumedMessage>> Poll(absl::Duration timeout);

 private:
  explicit KafkaConsumer(rd_kafka_t* rk) : rk_(rk) {}

  rd_kafka_t* rk_;
};

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_KAFKA_CONSUMER_H_
