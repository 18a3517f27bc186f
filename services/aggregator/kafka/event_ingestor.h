// File: event_ingestor.h
//
// Feeds the aggregator from the events topic, exactly once in effect:
//  1. a batch of messages is decoded and validated; one that cannot be accepted (not a
//     homeward.v1.Event, an unknown code, an impossible time) is published to the dead-letter
//     topic with its reason and position, never dropped silently;
//  2. the accepted events and the batch's offsets are committed in one SQLite transaction;
//  3. only then are the events applied to the in-memory chronology.
// At start the store is replayed into the chronology and the log is read from the stored
// offsets. Kafka transactions are not used (the mock cluster has none; see
// ../shared/kafka-and-grpc-notes.md); the same design is correct on real Kafka.
//
// Thread safety: Start() then Run() on one thread; stats(), next_offsets() and Stop() from any.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_KAFKA_EVENT_INGESTOR_H_
#define HOMEWARD_SERVICES_AGGREGATOR_KAFKA_EVENT_INGESTOR_H_

#include <atomic>
#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/kafka/kafka_consumer.h"
#include "common/log_position.h"
#include "common/publisher.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/kafka/applied_sink.h"
#include "services/aggregator/store/event_store.h"

namespace homeward::aggregator {

struct IngestStats {
  int64_t replayed = 0;  // events read back from the store at start
  int64_t consumed = 0;  // messages read from Kafka since start
  int64_t added = 0;
  int64_t duplicates = 0;
  int64_t superseded = 0;
  int64_t stale = 0;
  int64_t dead_lettered = 0;
  int64_t batches = 0;
};

struct IngestorOptions {
  size_t max_batch = 500;                                    // messages per transaction
  absl::Duration max_batch_wait = absl::Milliseconds(5);     // after the first message of a batch
  absl::Duration retry_backoff = absl::Milliseconds(200);   // after a failed commit or dead letter
};

class EventIngestor {
 public:
  // Every reference must outlive this object.
  EventIngestor(kafka::KafkaConsumer& consumer, MessagePublisher& dead_letters, SqliteEventStore& store,
                ChronologyStore& chronology, const Clock& clock, IngestorOptions options = {})
      : consumer_(consumer), dead_letters_(dead_letters), store_(store), chronology_(chronology),
        clock_(clock), options_(options) {}

  // Replays the store into the chronology (and alert records into the sink) and assigns every
  // partition of the events and alerts topics from the stored offsets (the beginning where there
  // are none). UNAVAILABLE if the topic's metadata
  // cannot be had; INTERNAL if the store cannot be read.
  absl::Status Start(absl::Duration timeout);

  // Consumes until Stop(). A failed commit or dead letter is retried (the batch is not skipped).
  // Returns INTERNAL on a fatal consumer error, OK after Stop().
  absl::Status Run();
  void Stop() { stop_ = true; }

  // Steps 1-3 above for one batch. UNAVAILABLE/INTERNAL if a dead letter or the commit failed:
  // nothing of the batch was applied and it may be handled again. Public for tests.
  absl::Status HandleBatch(const std::vector<kafka::ConsumedMessage>& batch);

  // Optional; set before Start(). Must outlive this object.
  void set_sink(AppliedSink* sink) { sink_ = sink; }

  IngestStats stats() const ABSL_LOCKS_EXCLUDED(mu_);
  NextOffsets next_offsets() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  kafka::KafkaConsumer& consumer_;
  MessagePublisher& dead_letters_;
  SqliteEventStore& store_;
  ChronologyStore& chronology_;
  const Clock& clock_;
  const IngestorOptions options_;
  std::atomic<bool> stop_{false};
  AppliedSink* sink_ = nullptr;

  mutable absl::Mutex mu_;
  IngestStats stats_ ABSL_GUARDED_BY(mu_);
  NextOffsets next_offsets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_KAFKA_EVENT_INGESTOR_H_
