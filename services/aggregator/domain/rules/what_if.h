// File: what_if.h
//
// What-if (issue 16, point 1; audit recs 1 and 5): which alerts a proposed rule set would have
// raised over a period, beside the rules in force, from the hub's own log. Partnerships argue
// about thresholds ("3 in 90 days or 3 in 30?") without evidence; the log is the evidence.
//
// The replay is the hub's own, in isolation: every stored event, every revision, is applied to
// a fresh chronology in the order the agencies recorded them (Event.recorded_at, then event id),
// and after each moment's records the children they concern are evaluated under both rule
// sets, at that moment, exactly as the live hub evaluates on arrival (EvaluateRules, RaiseNow:
// the alert horizon and the settling window included). The time rules are evaluated when they
// fall due (NextDue), as the hub's timer does. An alert counts once, when first raised; one
// raised before the period is not counted in it. Nothing is published and no state outside the
// replay is touched; the same log, rules and period give the same answer.
//
// Not modelled: alerts that later records withdrew (they were raised, and are counted), and
// strategy meetings the proposed alerts would themselves have led to (the records are as they
// happened under the rules then in force). Pure.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_WHAT_IF_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_WHAT_IF_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/aggregator/domain/child_id.h"
#include "services/aggregator/domain/episodes.h"
#include "services/aggregator/domain/reports/report_engine.h"
#include "services/aggregator/domain/rule_set.h"
#include "services/aggregator/domain/rules/history.h"

namespace homeward::aggregator::rules {

// The longest period one what-if covers.
inline constexpr absl::Duration kMaxWhatIfPeriod = absl::Hours(24 * 366 * 5);

struct WhatIfRequest {
  absl::Time from;  // alerts first raised in [from, to)
  absl::Time to;
  // The replay stops here if it is before `to`: nothing is evaluated in the future (a time rule
  // would otherwise fall due after the moment of the run).
  absl::Time now = absl::InfiniteFuture();
  EpisodeOptions episodes;  // as the live chronology reconciles them
};

// One rule under both sets: alerts first raised in the period and the children they concern.
struct RuleComparison {
  std::string rule_id;
  bool in_force = false;  // enabled in the shipped set
  bool proposed = false;  // enabled in the proposed set
  int shipped_alerts = 0;
  int proposed_alerts = 0;
  int shipped_children = 0;
  int proposed_children = 0;
  // Children alerted by this rule under both: whether the proposed set's first alert came
  // earlier, later or at the same moment, and the median of (proposed - shipped).
  int both_children = 0;
  int earlier = 0;
  int later = 0;
  int same = 0;
  std::optional<absl::Duration> median_shift;
};

// A child whose first strategy-meeting alert in the period is under one set only.
struct ChildDifference {
  ChildId child_id;
  std::vector<std::string> authorities;  // of that alert (who would have convened the meeting)
  std::string rule_id;
  absl::Time first_alert;
};

struct WhatIfResult {
  absl::Time from;
  absl::Time to;
  absl::Time replayed_to;  // min(to, now)
  size_t events_replayed = 0;  // every revision recorded before `to`
  std::vector<RuleChange> changes;  // shipped -> proposed
  std::vector<RuleComparison> rules;  // registry order; a rule enabled in either set

  // Strategy meetings (alerts whose severity, in the set that raised them, is "strategy
  // meeting"): children per set, and how the first alert moved for children under both.
  int shipped_meeting_children = 0;
  int proposed_meeting_children = 0;
  int meeting_earlier = 0;
  int meeting_later = 0;
  std::optional<absl::Duration> meeting_median_shift;
  std::vector<ChildDifference> meeting_only_shipped;   // by child id
  std::vector<ChildDifference> meeting_only_proposed;  // by child id
};

// INVALID_ARGUMENT for an empty or inverted period, or one longer than kMaxWhatIfPeriod;
// whatever reading the history gives (an unreadable event fails the run, never skipped).
absl::StatusOr<WhatIfResult> RunWhatIf(reports::EventHistory& history, const RuleSet& shipped, const RuleSet& proposed,
                                       const WhatIfRequest& request);

}  // namespace homeward::aggregator::rules

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_WHAT_IF_H_
