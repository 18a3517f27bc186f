// File: event_ingestor.h
//
// Feeds the aggregator from the events topic, exactly once in effect:
//  1. a batch of messages is checked: within the size limit, decodes as homeward.v1.Event,
//     valid, from a registered agency publishing its own kind and record types, not a different
//     event under an id already held, not a return dated before its own report. One that fails
//     is published to the dead-letter topic with its reason and position (by reference when too
//     large to travel whole), never dropped silently;
//  2. the accepted events and the batch's offsets are committed in one SQLite transaction;
//  3. only then are the events applied to the in-memory chronology and handed to the sinks.
// At start the store is replayed into the chronology (every event's checksum verified; damaged
// ones quarantined and read again from the log), with its progress logged (N of M events, the
// rate) and counted, and the log is read from the stored offsets.
// Kafka transactions are not used (the mock cluster has none; see
// ../shared/kafka-and-grpc-notes.md); the same design is correct on real Kafka.
//
// Nothing wedges or vanishes (issue 11, points 1 and 2):
//  - A partition whose next offset the log no longer holds is a gap: recorded in the store,
//    logged with partition and offsets, counted, raised as a data-quality alert (sinks'
//    OnLogGap), and the partition stays stopped — the hub reports NOT_SERVING — until an
//    administrator accepts the gap (AcceptGap). Other partitions go on.
//  - A batch that cannot be committed is retried with growing backoff; every retry is logged
//    and counted, and after `stall_after_failures` in a row the hub reports NOT_SERVING until
//    one succeeds.
//
// Thread safety: Start() then Run() on one thread; stats(), health(), gaps(), AcceptGap(),
// next_offsets() and Stop() from any.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_KAFKA_EVENT_INGESTOR_H_
#define HOMEWARD_SERVICES_AGGREGATOR_KAFKA_EVENT_INGESTOR_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/domain/agency_registry.h"
#include "common/log_position.h"
#include "common/log_reader.h"
#include "common/metrics/metrics.h"
#include "common/publisher.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/kafka/applied_sink.h"
#include "services/aggregator/store/event_store.h"

namespace homeward::aggregator {

struct IngestStats {
  int64_t replayed = 0;  // events read back from the store at start
  int64_t consumed = 0;  // messages read from the events topic since start
  int64_t added = 0;
  int64_t duplicates = 0;
  int64_t superseded = 0;
  int64_t stale = 0;
  int64_t purges = 0;
  int64_t batches = 0;
  // Dead letters, in all and by reason.
  int64_t dead_lettered = 0;
  int64_t rejected_oversized = 0;     // over limits::kMaxEventBytes
  int64_t rejected_invalid = 0;       // does not decode, or fails ValidateEvent
  int64_t rejected_unregistered = 0;  // agency, kind or record type not as config/access.json says
  int64_t rejected_conflicts = 0;     // an event id already held, with other content
  int64_t rejected_impossible = 0;    // a return dated before its own report's start
  int64_t dead_letters_by_reference = 0;
  // Trouble.
  int64_t commit_failures = 0;  // batches not committed (then retried)
  int64_t log_gaps = 0;         // gaps found since start
  int64_t quarantined = 0;      // stored events that failed their checksum at start
};

struct IngestHealth {
  bool serving = true;
  std::string reason;  // why not, for people: "log gap in ...", "stalled: ..."
  int consecutive_failures = 0;
  std::string last_error;
  std::vector<LogGap> open_gaps;
  std::vector<std::string> awaiting_rebuild;  // quarantined event ids not yet read again
};

struct IngestorOptions {
  size_t max_batch = 500;                                  // messages per transaction
  absl::Duration max_batch_wait = absl::Milliseconds(5);   // after the first message of a batch
  absl::Duration retry_backoff = absl::Milliseconds(200);  // after a failed batch; doubles
  absl::Duration max_retry_backoff = absl::Seconds(10);
  int stall_after_failures = 3;  // consecutive failed batches before health says NOT_SERVING
  // Where the position (next offsets) goes for producers' backpressure and lag monitoring
  // (common/kafka/lag.h): called from Run's thread at most every `publish_position_every`, and
  // at least every `republish_position_every` when nothing has moved. Optional.
  std::function<void(const NextOffsets&)> publish_position;
  absl::Duration publish_position_every = absl::Milliseconds(200);
  absl::Duration republish_position_every = absl::Seconds(2);
  // Where batch commit times and the replay's progress are counted (docs/operations.md); null:
  // nowhere. Must outlive the ingestor.
  metrics::Metrics* metrics = nullptr;
  // How often a long replay logs its progress.
  absl::Duration replay_log_every = absl::Seconds(5);
};

class EventIngestor {
 public:
  // Every reference must outlive this object. `registry` says which agencies may publish what.
  EventIngestor(LogReader& log, MessagePublisher& dead_letters, EventStore& store, ChronologyStore& chronology,
                const AgencyRegistry& registry, const Clock& clock, IngestorOptions options = {})
      : log_(log), dead_letters_(dead_letters), store_(store), chronology_(chronology), registry_(registry),
        clock_(clock), options_(options),
        metrics_(options.metrics != nullptr ? *options.metrics : metrics::Discard()) {}

  // Replays the store into the chronology (and alert records into the sinks), quarantining
  // damaged events, and assigns every partition of the events and alerts topics from the stored
  // offsets (offset 0 where there are none). UNAVAILABLE if the topics' metadata cannot be had;
  // INTERNAL if the store cannot be read.
  absl::Status Start(absl::Duration timeout);

  // Consumes until Stop(). A failed batch is retried (never skipped). Returns INTERNAL on a
  // fatal consumer error, OK after Stop().
  absl::Status Run();
  void Stop() { stop_ = true; }

  // Step 1-3 above for one batch. UNAVAILABLE/INTERNAL if a dead letter or the commit failed:
  // nothing of the batch was applied and it may be handled again. Public for tests.
  absl::Status HandleBatch(const std::vector<ConsumedMessage>& batch);

  // Optional; add before Start(). Each must outlive this object.
  void add_sink(AppliedSink* sink) { sinks_.push_back(sink); }

  // An administrator's decision that an open gap's records are gone for good (after they were
  // re-imported from the agencies' exports): the partition goes on after the gap. Recorded in
  // the store with `by`. NOT_FOUND if `tp` has no open gap.
  absl::StatusOr<LogGap> AcceptGap(const TopicPartition& tp, const std::string& by) ABSL_LOCKS_EXCLUDED(mu_);

  IngestStats stats() const ABSL_LOCKS_EXCLUDED(mu_);
  IngestHealth health() const ABSL_LOCKS_EXCLUDED(mu_);
  NextOffsets next_offsets() const ABSL_LOCKS_EXCLUDED(mu_);
  // Messages each assigned partition holds that this aggregator has not read yet: the log's end
  // as last seen in a fetch (LogReader::LastSeenEnds, refreshed every second by Run) minus the
  // next offset. Partitions whose end is not known yet are absent.
  std::map<TopicPartition, int64_t> lag() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Rejection;
  void HandleOutOfRange(const std::vector<OutOfRange>& stopped) ABSL_LOCKS_EXCLUDED(mu_);
  void ServeSeeks() ABSL_LOCKS_EXCLUDED(mu_);
  // Tells the sinks how far behind the events topic's end this aggregator is (OnBacklog),
  // leaving out partitions stopped at an open gap.
  void ReportBacklog() ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status PublishRejections(const std::vector<Rejection>& rejections);
  void Backoff(absl::Duration d) const;

  LogReader& log_;
  MessagePublisher& dead_letters_;
  EventStore& store_;
  ChronologyStore& chronology_;
  const AgencyRegistry& registry_;
  const Clock& clock_;
  const IngestorOptions options_;
  metrics::Metrics& metrics_;
  std::atomic<bool> stop_{false};
  std::vector<AppliedSink*> sinks_;
  absl::Time position_published_ = absl::InfinitePast();  // Run's thread only
  NextOffsets position_sent_;                              // Run's thread only
  absl::Time ends_read_ = absl::InfinitePast();            // Run's thread only

  mutable absl::Mutex mu_;
  IngestStats stats_ ABSL_GUARDED_BY(mu_);
  NextOffsets next_offsets_ ABSL_GUARDED_BY(mu_);
  NextOffsets ends_ ABSL_GUARDED_BY(mu_);  // LogReader::LastSeenEnds
  std::vector<LogGap> open_gaps_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<TopicPartition, int64_t>> seeks_ ABSL_GUARDED_BY(mu_);  // for Run's thread
  int consecutive_failures_ ABSL_GUARDED_BY(mu_) = 0;
  std::string last_error_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> awaiting_rebuild_ ABSL_GUARDED_BY(mu_);
  // The alerts topic's epoch (StoredAlertRecord): Run's thread, and Start before it.
  int64_t alerts_epoch_ = 0;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_KAFKA_EVENT_INGESTOR_H_
