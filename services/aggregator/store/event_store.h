// File: event_store.h
//
// The aggregator's durable state: every event it has accepted (as received bytes) and, in the
// same transaction, the log offsets that produced them. Everything else the aggregator knows is
// derived from the events, so a restart replays the store and resumes the log where the store
// says, and a kill at any point loses nothing and applies nothing twice: either a batch's events
// and offsets are both committed, or neither is and the batch is read again.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_STORE_EVENT_STORE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_STORE_EVENT_STORE_H_

#include <functional>
#include <memory>
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
};

// A record consumed from homeward.alerts.v1, at its position.
struct StoredAlertRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  std::string bytes;
};

struct StoreOptions {
  // "" keeps the store in memory (tests, throwaway runs).
  std::string path;
  // NORMAL survives a process crash (kill -9) with no loss; an OS crash or power cut may lose the
  // last transactions, events and offsets together, which are then read again from Kafka.
  // FULL also survives those, at about a seventh of the commit rate
  // (../shared/kafka-and-grpc-notes.md).
  bool synchronous_full = false;
};

class SqliteEventStore {
 public:
  // Opens or creates the store (WAL journal). INTERNAL naming SQLite's error if it cannot.
  static absl::StatusOr<std::unique_ptr<SqliteEventStore>> Open(const StoreOptions& options);
  ~SqliteEventStore();
  SqliteEventStore(const SqliteEventStore&) = delete;
  SqliteEventStore& operator=(const SqliteEventStore&) = delete;

  // Stores `events` (an id already held is kept as it was; a purged id is not stored again) and
  // `alert_records` (by position), and sets `offsets`, atomically.
  absl::Status Commit(const std::vector<StoredEvent>& events, const std::vector<StoredAlertRecord>& alert_records,
                      const NextOffsets& offsets) ABSL_LOCKS_EXCLUDED(mu_);

  // Retention: deletes the events and keeps their ids (only), so a redelivery from Kafka is not
  // stored again. Atomic.
  absl::Status Purge(const std::vector<std::string>& event_ids, absl::Time at) ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<std::string>> PurgedIds() ABSL_LOCKS_EXCLUDED(mu_);

  absl::StatusOr<NextOffsets> LoadOffsets();
  // Calls `visit` for every stored event, in no particular order.
  absl::Status ForEachEvent(const std::function<void(absl::string_view bytes, absl::Time received_at)>& visit);
  absl::StatusOr<int64_t> CountEvents();
  // Calls `visit` for every stored alert record, by partition then offset.
  absl::Status ForEachAlertRecord(const std::function<void(const StoredAlertRecord&)>& visit);

 private:
  struct Impl;
  explicit SqliteEventStore(std::unique_ptr<Impl> impl);
  // Commit (the consumer's thread) and Purge (a gRPC thread) share one connection.
  absl::Mutex mu_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_STORE_EVENT_STORE_H_
