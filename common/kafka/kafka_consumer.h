// File: kafka_consumer.h
//
// The LogReader on Kafka: reads every partition of the given topics from offsets the caller
// chooses. Each aggregator replica keeps its own full view (issue "the shared chronology",
// point 6), so it assigns all partitions itself instead of joining a consumer group, and it
// keeps consumed offsets in its own store rather than in Kafka (no group, no commits).
//
// auto.offset.reset is "error": librdkafka never jumps a partition to the log's start or end by
// itself. An out-of-range partition stops and is reported through TakeOutOfRange().
//
// Thread safety: one thread at a time.
#ifndef HOMEWARD_COMMON_KAFKA_KAFKA_CONSUMER_H_
#define HOMEWARD_COMMON_KAFKA_KAFKA_CONSUMER_H_

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/kafka/kafka_config.h"
#include "common/log_reader.h"

namespace homeward::kafka {

using homeward::ConsumedMessage;
using homeward::TopicPartition;

struct ConsumerOptions {
  // The mock cluster answers an empty fetch only after this wait, so it sets end-to-end latency
  // (../shared/kafka-and-grpc-notes.md). Real brokers answer as soon as data arrives.
  absl::Duration fetch_wait_max = absl::Milliseconds(10);
  // How long a request to a broker may take (socket.timeout.ms) before it fails: bounds
  // Watermarks() when Kafka is unreachable.
  absl::Duration request_timeout = absl::Seconds(60);
};

class KafkaConsumer final : public LogReader {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaConsumer>> Create(const KafkaConfig& config,
                                                               const ConsumerOptions& options = {});
  ~KafkaConsumer() override;
  KafkaConsumer(const KafkaConsumer&) = delete;
  KafkaConsumer& operator=(const KafkaConsumer&) = delete;

  absl::Status AssignAll(const std::vector<std::string>& topics, const NextOffsets& next_offsets,
                         absl::Duration timeout) override;
  absl::StatusOr<std::pair<int64_t, int64_t>> Watermarks(const TopicPartition& tp, absl::Duration timeout) override;
  absl::StatusOr<std::optional<ConsumedMessage>> Poll(absl::Duration timeout) override;
  std::vector<OutOfRange> TakeOutOfRange() override;
  absl::Status Seek(const TopicPartition& tp, int64_t offset) override;
  NextOffsets LastSeenEnds() override;

  // The topic's partition ids; UNAVAILABLE if its metadata cannot be had by `deadline`.
  absl::StatusOr<std::vector<int32_t>> Partitions(const std::string& topic, absl::Time deadline);

 private:
  explicit KafkaConsumer(rd_kafka_t* rk) : rk_(rk) {}

  rd_kafka_t* rk_;
  std::vector<OutOfRange> out_of_range_;
  std::vector<TopicPartition> assigned_;  // by AssignAll
};

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_KAFKA_CONSUMER_H_
