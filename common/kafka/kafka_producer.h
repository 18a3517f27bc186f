// File: kafka_producer.h
//
// An idempotent Kafka producer that tells the caller, per message, whether the broker has it.
// A source record counts as published only after its delivery report (librdkafka producer
// example; ../shared/kafka-and-grpc-notes.md): PublishAll() returns one Status per message,
// OK only for messages the broker acknowledged (acks=all).
//
// Thread safety: one thread at a time.
#ifndef HOMEWARD_COMMON_KAFKA_KAFKA_PRODUCER_H_
#define HOMEWARD_COMMON_KAFKA_KAFKA_PRODUCER_H_

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/kafka/kafka_config.h"
#include "common/publisher.h"

namespace homeward::kafka {

struct ProducerOptions {
  // librdkafka gives up on a message after this long (retrying internally until then); the
  // message's Status is then UNAVAILABLE and the caller decides whether to try again.
  absl::Duration message_timeout = absl::Seconds(30);
  // How long a batch may sit in the client to be sent with others.
  absl::Duration linger = absl::Milliseconds(5);
};

class KafkaProducer final : public MessagePublisher {
 public:
  // INVALID_ARGUMENT for a bad property; the producer does not contact the broker yet.
  static absl::StatusOr<std::unique_ptr<KafkaProducer>> Create(const KafkaConfig& config,
                                                               const ProducerOptions& options = {});
  ~KafkaProducer();
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // MessagePublisher. Queues every message, then serves delivery reports until each has one or
  // `timeout` passes (then purges the rest, so they report UNAVAILABLE). Other failures map
  // as ToStatus().
  std::vector<absl::Status> PublishAll(const std::vector<OutboundMessage>& messages,
                                       absl::Duration timeout) override;

 private:
  explicit KafkaProducer(rd_kafka_t* rk) : rk_(rk) {}

  rd_kafka_t* rk_;
};

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_KAFKA_PRODUCER_H_
