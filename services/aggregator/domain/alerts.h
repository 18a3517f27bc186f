// File: alerts.h
//
// The risk rules (rules-and-scenarios.md, all eleven, and the data-quality rule impossible-times) evaluated over one child's chronology and
// episodes, and the book of alerts they raised. Pure.
//
// Rules are evaluated in event time (windows, ages, durations); the absence rules (long-missing,
// rhi-overdue) also depend on `now` and say when they next fall due (NextDue), so a timer on a
// fakeable clock re-evaluates them. Evaluation is a function of the child's events and `now`
// only: a late event simply re-evaluates, and the same cause always gives the same alert id.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERTS_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERTS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/aggregator/domain/chronology_entry.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/domain/episodes.h"
#include "services/aggregator/domain/rule_set.h"

namespace homeward::aggregator {

enum class AlertState { kRaised = 1, kAcknowledged = 2, kActioned = 3, kClosed = 4 };
enum class TransitionKind { kAcknowledge, kAction, kClose, kEscalate };

struct AlertTransition {
  std::string alert_id;
  TransitionKind kind = TransitionKind::kAcknowledge;
  std::string by;
  absl::Time at;
  std::string note;
};

struct Alert {
  std::string alert_id;  // "<rule>:<cause>"
  std::string child_id;
  std::string rule_id;
  int rule_version = 0;
  std::string severity;
  std::vector<std::string> cause_event_ids;
  std::string recommended_action;
  std::string team;
  std::vector<std::string> authorities;
  absl::Time raised_at;
  absl::Time triggered_by_event_time;
  std::string reason;
  AlertState state = AlertState::kRaised;
  std::string acknowledged_by;
  bool escalated = false;
  std::vector<AlertTransition> history;  // sorted by (at, kind)
  // The triggering record's events, sorted: the same rule does not raise again for an
  // overlapping anchor (an episode that other agencies' records later join).
  std::vector<std::string> anchor_event_ids;
};

// True when `a` and `b` are the same rule and their anchors share an event.
bool SameOccasion(const Alert& a, const Alert& b);

// The alerts the rules call for now (state kRaised, raised_at = now), in rule order.
std::vector<Alert> EvaluateRules(const RuleSet& rules, const ChildFacts& child, absl::Time now);

// The earliest time after `now` at which an absence rule could fire for this child, if any.
std::optional<absl::Time> NextDue(const RuleSet& rules, const ChildFacts& child, absl::Time now);

// Automatic transitions: a strategy-meeting alert is actioned once a strategy meeting is
// recorded after its trigger; a notification or data-quality alert is closed once later
// records show it no longer applies (`current` are the alerts the rules call for now).
// Strategy-meeting, compliance and escalation alerts are never closed automatically.
std::vector<AlertTransition> AutomaticTransitions(const Alert& alert, const ChildFacts& child,
                                                  const std::vector<Alert>& current, absl::Time now);

// Applies alert records in any order with the same result: an alert is raised once (the first
// record of an id wins, any copy later is ignored); its state is the furthest lifecycle step
// recorded; it is escalated if any escalation is recorded. Thread safety: not thread-safe.
class AlertBook {
 public:
  // True if the alert was new.
  bool Raise(const Alert& alert);
  // False if the alert is unknown (the transition is kept and applied if it arrives later).
  bool Apply(const AlertTransition& transition);

  const Alert* Find(const std::string& alert_id) const;
  std::vector<const Alert*> All() const;  // by raised_at, newest first
  // Alerts that are the same occasion as `alert` (SameOccasion), through the anchor index: a
  // rule evaluation costs what the child's alerts cost, not the whole book.
  bool HoldsOccasion(const Alert& alert) const;
  // Alerts raised for `child_id` (under that id).
  std::vector<const Alert*> OfChild(const std::string& child_id) const;
  // Drops an alert (for a book of alerts published and not yet read back).
  void Forget(const std::string& alert_id);
  // Alerts raised but neither acknowledged nor escalated whose time to acknowledge has passed.
  std::vector<const Alert*> DueForEscalation(absl::Duration escalate_after, absl::Time now) const;

 private:
  std::map<std::string, Alert> alerts_;
  // Indexes over alerts_ (alerts are never removed): anchor event id -> alert ids, child -> ids.
  std::map<std::string, std::vector<std::string>> by_anchor_;
  std::map<std::string, std::vector<std::string>> by_child_;
  std::map<std::string, std::vector<AlertTransition>> early_;  // transitions before their alert
};

const char* ToString(AlertState state);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERTS_H_
