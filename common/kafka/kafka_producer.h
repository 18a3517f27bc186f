// File: kafka_producer.h
//
// An idempotent Kafka producer (acks=all, ordered, duplicate-free retries) that tells the
// caller, per message, whether the broker has it. A source record counts as published only
// after its delivery report (librdkafka producer example; ../shared/kafka-and-grpc-notes.md).
// A background thread serves delivery reports continually.
//
// Thread safety: safe for concurrent use.
#ifndef HOMEWARD_COMMON_KAFKA_KAFKA_PRODUCER_H_
#define HOMEWARD_COMMON_KAFKA_KAFKA_PRODUCER_H_

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <memory>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/kafka/kafka_config.h"
#include "common/publisher.h"

namespace homeward::kafka {

struct ProducerOptions {
  // librdkafka retries a message internally until this long after it was produced, then reports
  // it failed (UNAVAILABLE); the caller decides whether to publish it again.
  absl::Duration message_timeout = absl::Seconds(30);
  // How long a message may wait in the client to be sent with others.
  absl::Duration linger = absl::Milliseconds(5);
};

class KafkaProducer final : public MessagePublisher {
 public:
  // INVALID_ARGUMENT for a bad property; the producer does not contact the broker yet.
  static absl::StatusOr<std::unique_ptr<KafkaProducer>> Create(const KafkaConfig& config,
                                                               const ProducerOptions& options = {});
  // Waits up to 10 s for outstanding deliveries; any left are reported UNAVAILABLE.
  ~KafkaProducer() override;
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // MessagePublisher. Failures map as ToStatus(); a full local queue is waited out
  // (backpressure), not reported.
  void PublishAsync(std::vector<OutboundMessage> messages, Done done) override;

 private:
  explicit KafkaProducer(rd_kafka_t* rk);

  rd_kafka_t* rk_;
  std::atomic<bool> stop_{false};
  std::thread poller_;  // serves delivery reports
};

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_KAFKA_PRODUCER_H_
