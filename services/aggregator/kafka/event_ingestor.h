// File: event_ingestor.h
//
// Feeds the aggregator from the events topic. Each message is decoded, validated and applied to
// the chronology; a message that cannot be accepted (not a homeward.v1.Event, an unknown code,
// an impossible time) is published to the dead-letter topic with its reason and position, and
// counted: never dropped silently and never able to stop the aggregator.
//
// Thread safety: Run() on one thread; stats() and Stop() from any.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_KAFKA_EVENT_INGESTOR_H_
#define HOMEWARD_SERVICES_AGGREGATOR_KAFKA_EVENT_INGESTOR_H_

#include <atomic>
#include <cstdint>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/kafka/kafka_consumer.h"
#include "common/publisher.h"
#include "services/aggregator/domain/chronology_store.h"

namespace homeward::aggregator {

struct IngestStats {
  int64_t consumed = 0;
  int64_t added = 0;
  int64_t duplicates = 0;
  int64_t superseded = 0;
  int64_t stale = 0;
  int64_t dead_lettered = 0;
};

class EventIngestor {
 public:
  // `consumer`, `dead_letters`, `store` and `clock` must outlive this object.
  EventIngestor(kafka::KafkaConsumer& consumer, MessagePublisher& dead_letters,
                ChronologyStore& store, const Clock& clock)
      : consumer_(consumer), dead_letters_(dead_letters), store_(store), clock_(clock) {}

  // Assigns every partition of the events topic from the beginning (state is in memory, so a
  // restart rebuilds it from the log). UNAVAILABLE if the topic's metadata cannot be had.
  absl::Status Start(absl::Duration timeout);

  // Consumes until Stop(). Returns INTERNAL on a fatal consumer error, OK after Stop().
  absl::Status Run();
  void Stop() { stop_ = true; }

  // Decodes, validates and applies one message (or dead-letters it). Public for tests.
  void Handle(const kafka::ConsumedMessage& message);

  IngestStats stats() const ABSL_LOCKS_EXCLUDED(mu_);
  // Next offset to read per partition (what a durable store would keep).
  std::map<kafka::TopicPartition, int64_t> next_offsets() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void DeadLetter(const kafka::ConsumedMessage& message, const absl::Status& why);

  kafka::KafkaConsumer& consumer_;
  MessagePublisher& dead_letters_;
  ChronologyStore& store_;
  const Clock& clock_;
  std::atomic<bool> stop_{false};

  mutable absl::Mutex mu_;
  IngestStats stats_ ABSL_GUARDED_BY(mu_);
  std::map<kafka::TopicPartition, int64_t> next_offsets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_KAFKA_EVENT_INGESTOR_H_
