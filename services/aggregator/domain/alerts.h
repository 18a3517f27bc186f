// File: alerts.h
//
// The risk rules (rules-and-scenarios.md, all eleven, and the data-quality rule impossible-times)
// evaluated over one child's chronology and episodes; when an alert is raised; and how the
// hub reviews an alert already raised when later records arrive (docs/alerts.md, "Closing
// conditions"). Pure.
//
// Rules judge by event time (windows, ages, durations). The two time rules (long-missing,
// rhi-overdue) also depend on `now` and say when they next fall due (NextDue), so a timer on a
// fakeable clock re-evaluates them. Evaluation is a function of the child's events and `now`
// only: a late event simply re-evaluates, and the same cause always gives the same alert id.
//
// History loaded late must not raise an alert that was never true. So:
//  - EvaluateRules lists every occasion the records call for, judged in event time;
//  - RaiseNow raises one only if its trigger is within the alert horizon and, for a rule whose
//    answer a later record of the same import can reverse (long-missing, rhi-overdue: a found
//    record, an RHI; early-help: an earlier episode, a social-care record) and whose moment had
//    passed before the child's latest records arrived, only once the settling window after that
//    arrival has passed with the rule still due;
//  - ReviewAlert withdraws an alert raised anyway when later records show it was never due, and
//    closes or actions one whose closing condition is met.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERTS_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERTS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/aggregator/domain/alert.h"
#include "services/aggregator/domain/alert_book.h"
#include "services/aggregator/domain/chronology_entry.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/domain/episodes.h"
#include "services/aggregator/domain/rule_set.h"

namespace homeward::aggregator {

// What the evaluation knows beyond the child's records.
struct EvaluationContext {
  // When the child's records last arrived (the hub's clock), or when the hub started, whichever
  // is later; nullopt if neither is recent enough to matter.
  std::optional<absl::Time> last_arrival;
};

// Every occasion the child's records call for at `now` (state kRaised, raised_at = now), in
// rule order, whatever the horizon and settling: the basis of raising and of reviewing.
std::vector<Alert> EvaluateRules(const RuleSet& rules, const ChildFacts& child, absl::Time now);

// When `due` (from EvaluateRules) may be raised, if it is still settling: a time rule whose
// threshold passed before the child's latest records arrived, or early-help (always: its first
// episode is in the past when reported), waits until `rules.settle` after that arrival.
// nullopt: not held.
std::optional<absl::Time> SettlingUntil(const RuleSet& rules, const Alert& due, absl::Time now,
                                        const EvaluationContext& context);
// Whether `due` is raised at `now`: its trigger within the alert horizon, and not settling.
bool RaiseNow(const RuleSet& rules, const Alert& due, absl::Time now, const EvaluationContext& context);
// EvaluateRules, filtered by RaiseNow.
std::vector<Alert> AlertsToRaise(const RuleSet& rules, const ChildFacts& child, absl::Time now,
                                 const EvaluationContext& context = {});

// The earliest time after `now` at which a time rule could fall due for this child, if any.
std::optional<absl::Time> NextDue(const RuleSet& rules, const ChildFacts& child, absl::Time now);

// The hub's review of `alert` (raised for this child) in the light of the child's records now;
// `due` is EvaluateRules(rules, child, now). One of:
//  - withdraw: later records show it was never due (the episode lasted three hours; the RHI was
//    completed within 72 h; the child was known to social care at the time);
//  - close: its closing condition is met (the RHI was done, late; a trigger plan is now
//    recorded; the agencies' records now agree; the child is now known to social care);
//  - action: a strategy meeting was recorded after a strategy-meeting or escalation alert's
//    trigger;
// or nothing. Each rule's conditions are in docs/alerts.md.
std::optional<AlertTransition> ReviewAlert(const RuleSet& rules, const Alert& alert, const ChildFacts& child,
                                           const std::vector<Alert>& due, absl::Time now);

// The transitions that make a child's alerts follow its identity after records are linked or
// separated. `alerts` are the alerts whose records now belong to `child_id`: any raised under
// another id is re-keyed to it; open alerts that are one occasion of `due` are merged into the
// earliest raised (which takes over an acknowledgement one of them had). `why` says what changed.
std::vector<AlertTransition> FollowIdentity(const ChildId& child_id, const std::vector<const Alert*>& alerts,
                                            const std::vector<Alert>& due, absl::Time now, const std::string& why);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERTS_H_
