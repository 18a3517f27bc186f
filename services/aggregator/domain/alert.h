// File: alert.h
//
// An alert the risk rules raised (rules-and-scenarios.md; docs/alerts.md), and the transitions
// that move it through its lifecycle. Alerts and transitions are records on the alerts topic;
// AlertBook (alert_book.h) folds them, in any order, into the alerts every replica shows.
//
// Lifecycle: raised -> acknowledged (a duty worker) -> actioned (e.g. the strategy meeting is
// recorded) -> closed; or withdrawn, when later records show the alert was never due (a found
// record from the same import shows the episode lasted three hours). A withdrawn alert keeps
// what was raised and when: what the duty team was sent stays on the record.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERT_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERT_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/aggregator/domain/child_id.h"

namespace homeward::aggregator {

// Ordered: a later state is further along (AlertBook keeps the furthest recorded).
enum class AlertState { kRaised = 1, kAcknowledged = 2, kActioned = 3, kClosed = 4, kWithdrawn = 5 };

enum class TransitionKind {
  kAcknowledge,  // a duty worker has seen it
  kAction,       // what it asked for is done (a strategy meeting recorded after its trigger)
  kClose,        // by a duty worker, or by the hub when its closing condition is met (docs/alerts.md)
  kEscalate,     // not acknowledged in time
  kWithdraw,     // later records show it was never due
  kRekey,        // its child's records were linked or separated: it now belongs to `child_id`
  kMerge,        // the same occasion as `merged_into` (records linked as one child): closed into it
};

// The user id under which the hub records its own transitions.
inline constexpr char kHubActor[] = "homeward";

struct AlertTransition {
  std::string alert_id;
  TransitionKind kind = TransitionKind::kAcknowledge;
  std::string by;  // a user id, or kHubActor
  absl::Time at;
  std::string note;
  ChildId child_id;         // kRekey: the child the alert now belongs to
  std::string merged_into;  // kMerge: the alert that carries the occasion on

  bool operator==(const AlertTransition&) const = default;
};

struct Alert {
  std::string alert_id;  // "<rule>:<cause>"
  // The child it is about now (after any kRekey); none (empty) for an alert about the hub itself.
  ChildId child_id;
  std::string rule_id;
  int rule_version = 0;
  std::string severity;
  // The chronology entries that caused it, at most kMaxCauseEventIds; `more_causes` counts the
  // rest (a child with many episodes in the window).
  std::vector<std::string> cause_event_ids;
  int more_causes = 0;
  std::string recommended_action;
  std::string team;
  std::vector<std::string> authorities;
  absl::Time raised_at;
  absl::Time triggered_by_event_time;
  // When, in event time, the rule's condition was met: a time rule's threshold (the report plus
  // H hours for long-missing, the return plus H hours for rhi-overdue), else the trigger's time.
  absl::Time due_at;
  std::string reason;
  // The triggering record's events, sorted: the same rule does not raise again for an
  // overlapping anchor (an episode that other agencies' records later join).
  std::vector<std::string> anchor_event_ids;

  // Derived by AlertBook from the transitions (never part of the raise record).
  AlertState state = AlertState::kRaised;
  std::string acknowledged_by;
  bool escalated = false;
  ChildId raised_for_child_id;  // the child id it was raised under
  std::string merged_into;          // set by a kMerge
  std::vector<std::string> merged_from;  // the alerts merged into this one, sorted
  std::vector<AlertTransition> history;  // sorted by (at, kind, by)
};

// At most this many cause event ids travel with an alert.
inline constexpr size_t kMaxCauseEventIds = 64;

// Not closed, withdrawn or merged: something a duty team may still have to do.
inline bool IsOpen(const Alert& a) { return a.state < AlertState::kClosed; }
// A planning task (rule rhi-findings): due by its due_at, and escalated when not recorded in the
// child's plan by then, rather than when not acknowledged within minutes as an alert is.
inline bool IsPlanningTask(const Alert& a) { return a.severity == "planning task"; }

// When `a` last changed: its raise, or its latest transition (an update's delivery delay).
inline absl::Time LastChange(const Alert& a) {
  absl::Time last = a.raised_at;
  for (const AlertTransition& t : a.history) last = t.at > last ? t.at : last;
  return last;
}

// True when `a` and `b` are the same rule and their anchors share an event (or the same id).
bool SameOccasion(const Alert& a, const Alert& b);

// Severities in the order a duty team works them: strategy meeting, escalation, compliance,
// notification, data quality (then anything else).
int SeverityRank(const std::string& severity);

const char* ToString(AlertState state);
const char* ToString(TransitionKind kind);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERT_H_
