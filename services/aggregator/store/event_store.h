// File: event_store.h
//
// The aggregator's durable state: every event it has accepted (as received bytes, with where in
// the log it came from and a checksum) and, in the same transaction, the log offsets that
// produced them. Everything else the aggregator knows is derived from the events, so a restart
// replays the store and resumes the log where the store says, and a kill at any point loses
// nothing and applies nothing twice: either a batch's events and offsets are both committed, or
// neither is and the batch is read again.
//
// Integrity (issue 11, point 13): each stored event carries an HMAC-SHA256, keyed with the
// hub's integrity key, over its id, position, receipt time and bytes. Replay verifies every
// row; a row that does not verify (bytes flipped on disk, text edited while the hub was down) is
// never served: it is moved to the quarantine table, and its partition's stored offset is set
// back to the event's position so the event is read again from the log, whole. (Without a key
// the checksum is a plain SHA-256, which finds damage but not a deliberate rewrite.)
//
// Also kept here: gaps in the log (offsets retention removed before they were read, with who
// accepted each), purge tombstones (event ids only), and the alert records consumed.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_STORE_EVENT_STORE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_STORE_EVENT_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/log_position.h"

namespace homeward::aggregator {

struct StoredEvent {
  std::string event_id;
  std::string bytes;  // the homeward.v1.Event as received
  absl::Time received_at;
  // Where it was read (events topic); -1 when unknown (rows from before schema 2).
  int32_t partition = -1;
  int64_t offset = -1;
};

// A record consumed from homeward.alerts.v1, at its position. The epoch counts the alerts
// topics this store has read: it moves on when the topic is found new (its stored offsets past
// the end of the log: a fresh embedded Kafka, a recreated topic), so positions of the new topic
// never collide with those of the old one.
struct StoredAlertRecord {
  int64_t epoch = 0;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string bytes;
};

// A stored event that failed its checksum (or could not be read back) at replay.
struct DamagedEvent {
  std::string event_id;
  int32_t partition = -1;
  int64_t offset = -1;
  std::string problem;
};

struct ReplayReport {
  int64_t events = 0;                 // visited (verified)
  std::vector<DamagedEvent> damaged;  // not visited
};

// Offsets [from, to] of a partition that the log no longer held when this aggregator came to
// read them. `to` < `from` records a log that moved back (recreated or truncated below the
// stored position).
struct LogGap {
  TopicPartition tp;
  int64_t from = 0;
  int64_t to = 0;
  absl::Time detected_at;
  std::optional<absl::Time> accepted_at;  // when an administrator let the partition go on
  std::string accepted_by;
  std::string Describe() const;  // "homeward.events.v1/3 offsets 100..250 (151 records)"
};

// A rule set the aggregator ran under (the rules history, services/aggregator/domain/rules/history.h).
struct StoredRulesRevision {
  int64_t revision = 0;
  absl::Time adopted_at;
  std::string source;
  std::string text;
};

struct StoreOptions {
  // "" keeps the store in memory (tests, throwaway runs).
  std::string path;
  // NORMAL survives a process crash (kill -9) with no loss; an OS crash or power cut may lose the
  // last transactions, events and offsets together, which are then read again from Kafka.
  // FULL also survives those, at about a seventh of the commit rate
  // (../shared/kafka-and-grpc-notes.md).
  bool synchronous_full = false;
  // The key for the events' checksums (HMAC-SHA256); "" = unkeyed SHA-256.
  std::string integrity_key;
  // WAL checkpoints. A commit that leaves the write-ahead log at `checkpoint_pages` or more asks a
  // thread of the store's own to copy it into the database file (SQLite's default threshold;
  // before, SQLite did this inside that commit). If the WAL still reaches `wal_limit_pages` (that
  // thread cannot keep up, or is held off), the commit that takes it there checkpoints itself,
  // so the WAL stays bounded: at SQLite's 4 KiB pages, about 4 MiB and 64 MiB. 1 <=
  // checkpoint_pages <= wal_limit_pages, or Open fails.
  int checkpoint_pages = 1000;
  int wal_limit_pages = 16384;
};

// The port through which the ingestor and the services reach the durable store: SqliteEventStore
// for real, tests/testing/fake_event_store.h (in memory, with injected failures) in unit tests.
class EventStore {
 public:
  virtual ~EventStore() = default;

  // Stores `events` (an id already held is kept as it was; a purged id is not stored again) and
  // `alert_records` (by position), purges `purged_ids` (as Purge: the purge events among
  // `events` take effect with them), and sets `offsets`, atomically.
  virtual absl::Status Commit(const std::vector<StoredEvent>& events,
                              const std::vector<StoredAlertRecord>& alert_records, const NextOffsets& offsets,
                              const std::vector<std::string>& purged_ids = {},
                              absl::Time purged_at = absl::UnixEpoch()) = 0;

  // Retention: deletes the events and keeps their ids (only), so a redelivery from Kafka is not
  // stored again. Atomic. Ids may hold any bytes.
  virtual absl::Status Purge(const std::vector<std::string>& event_ids, absl::Time at) = 0;
  virtual absl::StatusOr<std::vector<std::string>> PurgedIds() = 0;

  virtual absl::StatusOr<NextOffsets> LoadOffsets() = 0;
  // Calls `visit` for every stored event whose checksum verifies, in no particular order; the
  // rest are reported, not visited, as are those `visit` cannot read (it returns the problem).
  virtual absl::StatusOr<ReplayReport> ForEachEvent(
      const std::function<absl::Status(absl::string_view bytes, absl::Time received_at)>& visit) = 0;
  // Moves `damaged` to the quarantine table (kept for inspection, never served) and sets each
  // one's partition back to its offset, so it is read again from the log. Atomic.
  virtual absl::Status Quarantine(const std::vector<DamagedEvent>& damaged, absl::Time at) = 0;
  // The stored bytes of `event_id`, if held (for telling a redelivery from a conflict).
  virtual absl::StatusOr<std::optional<std::string>> Body(const std::string& event_id) = 0;
  virtual absl::StatusOr<int64_t> CountEvents() = 0;
  // Calls `visit` for every stored alert record, by epoch, partition, then offset.
  virtual absl::Status ForEachAlertRecord(const std::function<void(const StoredAlertRecord&)>& visit) = 0;
  // The alerts topic's epoch (0 for the first topic read), and the next one, recorded: call
  // when the topic is found new.
  virtual absl::StatusOr<int64_t> AlertsEpoch() = 0;
  virtual absl::StatusOr<int64_t> BeginAlertsEpoch() = 0;

  // Gaps: recorded when found (a gap already recorded for the same partition and start is kept
  // as it was), accepted by an administrator, listed oldest first.
  virtual absl::Status RecordGap(const LogGap& gap) = 0;
  virtual absl::Status AcceptGap(const TopicPartition& tp, int64_t from, const std::string& by, absl::Time at) = 0;
  virtual absl::StatusOr<std::vector<LogGap>> Gaps() = 0;

  // The rules history, oldest first; a revision number already held is an error.
  virtual absl::StatusOr<std::vector<StoredRulesRevision>> RulesRevisions() = 0;
  virtual absl::Status AppendRulesRevision(const StoredRulesRevision& revision) = 0;
};

class SqliteEventStore final : public EventStore {
 public:
  // Opens or creates the store (WAL journal), migrating an older schema (rows of schema 1 are
  // sealed with a checksum as they are, and logged). INTERNAL naming SQLite's error if it cannot.
  static absl::StatusOr<std::unique_ptr<SqliteEventStore>> Open(const StoreOptions& options);
  ~SqliteEventStore() override;
  SqliteEventStore(const SqliteEventStore&) = delete;
  SqliteEventStore& operator=(const SqliteEventStore&) = delete;

  // EventStore (above).
  absl::Status Commit(const std::vector<StoredEvent>& events, const std::vector<StoredAlertRecord>& alert_records,
                      const NextOffsets& offsets, const std::vector<std::string>& purged_ids = {},
                      absl::Time purged_at = absl::UnixEpoch()) override ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Purge(const std::vector<std::string>& event_ids, absl::Time at) override ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<std::string>> PurgedIds() override ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<NextOffsets> LoadOffsets() override ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<ReplayReport> ForEachEvent(
      const std::function<absl::Status(absl::string_view bytes, absl::Time received_at)>& visit) override
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Quarantine(const std::vector<DamagedEvent>& damaged, absl::Time at) override ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::optional<std::string>> Body(const std::string& event_id) override ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<int64_t> CountEvents() override ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status ForEachAlertRecord(const std::function<void(const StoredAlertRecord&)>& visit) override
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<int64_t> AlertsEpoch() override ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<int64_t> BeginAlertsEpoch() override ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status RecordGap(const LogGap& gap) override ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status AcceptGap(const TopicPartition& tp, int64_t from, const std::string& by, absl::Time at) override
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<LogGap>> Gaps() override ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<StoredRulesRevision>> RulesRevisions() override ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status AppendRulesRevision(const StoredRulesRevision& revision) override ABSL_LOCKS_EXCLUDED(mu_);

  // WAL checkpoints completed since Open: by the store's thread, and inside a commit (the WAL at
  // its limit). Both 0 for a store in memory. How often a commit found the WAL at its limit, and
  // how many of those were logged (the 1st, 2nd, 4th, 8th...: a rebuild reaches it often).
  struct CheckpointCounts {
    int64_t background = 0;
    int64_t in_commit = 0;
    int64_t limit_reached = 0;
    int64_t limit_warnings = 0;
  };
  CheckpointCounts checkpoints() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Impl;
  explicit SqliteEventStore(std::unique_ptr<Impl> impl);
  // The consumer's thread, gRPC threads (purges, gap decisions) and start-up share one connection.
  absl::Mutex mu_;
  std::unique_ptr<Impl> impl_ ABSL_GUARDED_BY(mu_);
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_STORE_EVENT_STORE_H_
