// File: retention.h
//
// Retention (issue 6): a child's records are kept no longer than the partnership's retention
// schedule says, then purged from the hub, and the purge itself is on the access log. A purge
// deletes the child's events from the durable store (keeping only their ids, so a redelivery
// from Kafka is not stored again), forgets them in the chronology, and closes the child's open
// alerts with a note. Kafka's own copy ages out by the topics' retention (deploy/kafka).
//
// Thread safety: safe from any thread.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_AUDIT_RETENTION_H_
#define HOMEWARD_SERVICES_AGGREGATOR_AUDIT_RETENTION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/aggregator/alerts/alert_coordinator.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/store/event_store.h"

namespace homeward::aggregator {

class Retention {
 public:
  // All must outlive this object. `alerts` may be null.
  Retention(ChronologyStore& chronology, SqliteEventStore& store, AlertCoordinator* alerts)
      : chronology_(chronology), store_(store), alerts_(alerts) {}

  // Purges the child now. Errors as ChronologyStore::Query, or INTERNAL if the store fails (then
  // nothing of the child has left memory and the purge can be retried).
  absl::StatusOr<PurgedChild> Purge(const std::string& child, const std::string& by, const std::string& reason,
                                    absl::Time now);

  // Children whose newest record was received more than `keep_for` before `now`.
  std::vector<std::string> Expired(absl::Duration keep_for, absl::Time now) const;

 private:
  ChronologyStore& chronology_;
  SqliteEventStore& store_;
  AlertCoordinator* alerts_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_AUDIT_RETENTION_H_
