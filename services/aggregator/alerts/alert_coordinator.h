// File: alert_coordinator.h
//
// Runs the risk rules and keeps the alerts (issue "Risk rules raise strategy-meeting alerts").
//  - When events are applied, the rules are evaluated for the children they concern; on Tick()
//    (a timer on the injected clock) for children whose absence rules fall due, and for
//    escalation. A timer that fell due while the aggregator was down fires on the first Tick().
//  - A new alert, and every change to one, is published to homeward.alerts.v1. The book is
//    updated only from records consumed back from that topic (OnAlertRecord), so every replica
//    folds the same records, and the feed position of each update is a topic position: stream
//    cursors survive restarts and are the same on every replica.
//
// Thread safety: safe for concurrent use.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_ALERTS_ALERT_COORDINATOR_H_
#define HOMEWARD_SERVICES_AGGREGATOR_ALERTS_ALERT_COORDINATOR_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/log_position.h"
#include "common/publisher.h"
#include "services/aggregator/alerts/alert_codec.h"
#include "services/aggregator/domain/alerts.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/kafka/applied_sink.h"

namespace homeward::aggregator {

struct AlertFilter {
  std::string team;       // "" = any
  std::string authority;  // "" = any
  std::string child_id;   // "" = any
  bool open_only = false;
};

struct AlertUpdate {
  Alert alert;         // as it stands after the record
  std::string cursor;  // "<partition>:<offset>,..." up to and including this update
};

// Parses a cursor; INVALID_ARGUMENT if malformed. "" is the start of the feed.
absl::StatusOr<std::map<int32_t, int64_t>> ParseCursor(const std::string& cursor);

class AlertCoordinator final : public AppliedSink {
 public:
  // `chronology`, `publisher` and `clock` must outlive this object.
  AlertCoordinator(RuleSet rules, const ChronologyStore& chronology, MessagePublisher& publisher, const Clock& clock)
      : rules_(std::move(rules)), chronology_(chronology), publisher_(publisher), clock_(clock) {}

  // Called after events are durably applied to the chronology.
  void OnEventsApplied(const std::vector<Event>& events) override ABSL_LOCKS_EXCLUDED(mu_);
  // Called for each record consumed from homeward.alerts.v1 (and on replay from the store).
  void OnAlertRecord(const TopicPartition& tp, int64_t offset, absl::string_view bytes) override ABSL_LOCKS_EXCLUDED(mu_);
  // A data-quality alert for a gap in the log (rule "log-gap": its team, severity and action
  // when configured, else "missing-data-quality"), about no child: one per gap.
  void OnLogGap(const LogGap& gap) override ABSL_LOCKS_EXCLUDED(mu_);
  // Evaluates every child (after start-up replay), then as Tick.
  void EvaluateAll() ABSL_LOCKS_EXCLUDED(mu_);
  // Fires what has fallen due by the clock's now, and escalates unacknowledged alerts.
  void Tick() ABSL_LOCKS_EXCLUDED(mu_);

  // A duty worker's action, published as a transition. NOT_FOUND for an unknown alert,
  // FAILED_PRECONDITION if already closed, INVALID_ARGUMENT without `by`; UNAVAILABLE if Kafka
  // did not take it. Returns the alert as it will stand.
  absl::StatusOr<Alert> Act(const std::string& alert_id, TransitionKind kind, const std::string& by,
                            const std::string& note) ABSL_LOCKS_EXCLUDED(mu_);

  std::vector<Alert> List(const AlertFilter& filter) const ABSL_LOCKS_EXCLUDED(mu_);
  std::optional<Alert> Find(const std::string& alert_id) const ABSL_LOCKS_EXCLUDED(mu_);
  static bool Matches(const Alert& a, const AlertFilter& f);
  // Updates after `cursor` matching the filter, oldest first, at most `limit`.
  std::vector<AlertUpdate> FeedAfter(const std::map<int32_t, int64_t>& cursor, const AlertFilter& filter,
                                     size_t limit) const ABSL_LOCKS_EXCLUDED(mu_);

  // `listener` is called (from any thread) whenever the feed grows. Returns an id for Unsubscribe.
  int Subscribe(std::function<void()> listener) ABSL_LOCKS_EXCLUDED(listeners_mu_);
  void Unsubscribe(int id) ABSL_LOCKS_EXCLUDED(listeners_mu_);

 private:
  struct FeedEntry {
    int32_t partition;
    int64_t offset;
    std::string alert_id;
    Alert snapshot;
  };

  void EvaluateChild(const std::string& child_id, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Queues a record for publication unless it is already pending.
  void Publish(AlertRecord record, const std::string& pending_key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Publishes what is queued. Called without mu_ held: a publisher may report synchronously.
  void FlushOutbox() ABSL_LOCKS_EXCLUDED(mu_);
  void Notify() ABSL_LOCKS_EXCLUDED(listeners_mu_);

  const RuleSet rules_;
  const ChronologyStore& chronology_;
  MessagePublisher& publisher_;
  const Clock& clock_;

  mutable absl::Mutex mu_;
  AlertBook book_ ABSL_GUARDED_BY(mu_);
  std::vector<FeedEntry> feed_ ABSL_GUARDED_BY(mu_);
  // Records published and not yet read back (so a batch or tick does not publish them twice).
  std::set<std::string> pending_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<AlertRecord, std::string>> outbox_ ABSL_GUARDED_BY(mu_);
  // Alerts published and not yet read back: considered raised when deduplicating.
  AlertBook unconfirmed_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, absl::Time> due_ ABSL_GUARDED_BY(mu_);  // child -> next absence-rule time

  absl::Mutex listeners_mu_;
  std::map<int, std::function<void()>> listeners_ ABSL_GUARDED_BY(listeners_mu_);
  int next_listener_ ABSL_GUARDED_BY(listeners_mu_) = 0;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_ALERTS_ALERT_COORDINATOR_H_
