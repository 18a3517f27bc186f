// File: retention.h
//
// Retention (issue 6): a child's records are kept no longer than the partnership's retention
// schedule says, then purged from the hub, and the purge itself is on the access log.
//
// A purge is an event on the log (issue 11, point 11), so every replica applies the same one:
// Purge() works out what the child's records are (ChronologyStore::PurgePlan), publishes
// ChildPurged events naming those event ids (never the child's identifiers) as agency
// homeward.retention, and waits until this replica has applied them. Applying one — in every
// replica's EventIngestor — deletes the events from the durable store in the batch's own
// transaction, keeps their ids as tombstones (a redelivery from Kafka or a restart never brings
// them back, whatever bytes the ids hold), and forgets them in the chronology. The replica that
// took the request also closes the child's open alerts with a note. Kafka's own copy ages out
// by the topics' retention (deploy/kafka).
//
// Thread safety: safe from any thread.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_AUDIT_RETENTION_H_
#define HOMEWARD_SERVICES_AGGREGATOR_AUDIT_RETENTION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/publisher.h"
#include "services/aggregator/alerts/alert_coordinator.h"
#include "services/aggregator/domain/chronology_store.h"

namespace homeward::aggregator {

// The ChildPurged events for `plan`: at most limits::kMaxPurgeIds ids each, with ids derived
// from the plan's content (SHA-256 of its event ids), so publishing the same purge twice is one
// purge on every replica.
std::vector<Event> PurgeEvents(const PurgedChild& plan, const std::string& by, const std::string& reason,
                               absl::Time now);

class Retention {
 public:
  // All must outlive this object. `alerts` may be null. Purge() waits up to `wait_for_apply`
  // for this replica to apply what it published (zero: return once Kafka has it).
  Retention(const ChronologyStore& chronology, MessagePublisher& log, AlertCoordinator* alerts,
            absl::Duration wait_for_apply = absl::Seconds(10))
      : chronology_(chronology), log_(log), alerts_(alerts), wait_for_apply_(wait_for_apply) {}

  // Purges the child. Errors as ChronologyStore::Query; UNAVAILABLE if Kafka did not take the
  // purge (then nothing changed anywhere and it can be retried); DEADLINE_EXCEEDED if it is on
  // the log but this replica has not applied it yet (it will).
  absl::StatusOr<PurgedChild> Purge(const std::string& child, const std::string& by, const std::string& reason,
                                    absl::Time now);

  // Children whose newest record was received more than `keep_for` before `now`.
  std::vector<ChildId> Expired(absl::Duration keep_for, absl::Time now) const;

 private:
  const ChronologyStore& chronology_;
  MessagePublisher& log_;
  AlertCoordinator* alerts_;
  const absl::Duration wait_for_apply_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_AUDIT_RETENTION_H_
