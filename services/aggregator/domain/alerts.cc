#include "services/aggregator/domain/alerts.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator {
namespace {

AlertTransition Hub(const Alert& alert, TransitionKind kind, absl::Time at, std::string note) {
  return AlertTransition{.alert_id = alert.alert_id, .kind = kind, .by = kHubActor, .at = at, .note = std::move(note)};
}

// Why a raised alert was never due, in the words of its rule.
std::string NeverDue(const RuleSet& rules, const rules::RuleDefinition* definition, const Alert& alert,
                     const ChildFacts& child) {
  const std::string why = definition != nullptr && definition->never_due != nullptr
                              ? definition->never_due(rules.Find(alert.rule_id), alert, child)
                              : absl::StrCat("the records now held no longer meet rule ", alert.rule_id);
  return absl::StrCat("later records show it was never due: ", why);
}

}  // namespace

std::vector<Alert> EvaluateRules(const RuleSet& rules, const ChildFacts& child, absl::Time now) {
  rules::Raiser raiser(child, rules, now);
  for (const rules::RuleDefinition* definition : rules::Registry()) {
    const RuleConfig* config = rules.Find(definition->id);
    if (config != nullptr && definition->evaluate != nullptr) definition->evaluate(*config, child, now, raiser);
  }
  return std::move(raiser.alerts);
}

std::optional<absl::Time> SettlingUntil(const RuleSet& rules, const Alert& due, absl::Time now,
                                        const EvaluationContext& context) {
  const rules::RuleDefinition* definition = rules::FindRule(due.rule_id);
  if (definition == nullptr || !definition->settles_on_arrival || !context.last_arrival.has_value()) return std::nullopt;
  const absl::Time until = *context.last_arrival + rules.settle;
  // A threshold that passed before the records arrived is history being loaded: let it settle.
  if (due.due_at < *context.last_arrival && now < until) return until;
  return std::nullopt;
}

bool RaiseNow(const RuleSet& rules, const Alert& due, absl::Time now, const EvaluationContext& context) {
  if (due.triggered_by_event_time < now - rules.alert_horizon) return false;  // history, not a call to act now
  return !SettlingUntil(rules, due, now, context).has_value();
}

std::vector<Alert> AlertsToRaise(const RuleSet& rules, const ChildFacts& child, absl::Time now,
                                 const EvaluationContext& context) {
  std::vector<Alert> out;
  for (Alert& a : EvaluateRules(rules, child, now)) {
    if (RaiseNow(rules, a, now, context)) out.push_back(std::move(a));
  }
  return out;
}

std::optional<absl::Time> NextDue(const RuleSet& rules, const ChildFacts& child, absl::Time now) {
  std::optional<absl::Time> next;
  for (const rules::RuleDefinition* definition : rules::Registry()) {
    const RuleConfig* config = rules.Find(definition->id);
    if (config == nullptr || definition->next_due == nullptr) continue;
    const std::optional<absl::Time> t = definition->next_due(*config, child, now);
    if (t && (!next || *t < *next)) next = t;
  }
  return next;
}

std::optional<AlertTransition> ReviewAlert(const RuleSet& rules, const Alert& alert, const ChildFacts& child,
                                           const std::vector<Alert>& due, absl::Time now) {
  if (!IsOpen(alert)) return std::nullopt;
  const bool still_due = std::any_of(due.begin(), due.end(), [&](const Alert& d) { return SameOccasion(d, alert); });
  // An alert is judged by the rule that raised it: one raised under another version of the rule
  // (a threshold since changed), or by a rule since switched off, is not withdrawn by the new.
  const RuleConfig* rule = rules.Find(alert.rule_id);
  if (!still_due && (rule == nullptr || rule->version != alert.rule_version)) return std::nullopt;
  const rules::RuleDefinition* definition = rules::FindRule(alert.rule_id);
  if (!still_due) {
    if (definition != nullptr && !definition->cleared_note.empty()) {
      return Hub(alert, TransitionKind::kClose, now, definition->cleared_note);
    }
    return Hub(alert, TransitionKind::kWithdraw, now, NeverDue(rules, definition, alert, child));
  }
  if (definition != nullptr && definition->closes != nullptr) {
    if (std::optional<std::string> note = definition->closes(alert, child)) {
      return Hub(alert, TransitionKind::kClose, now, *std::move(note));
    }
  }
  if (definition != nullptr && definition->actioned != nullptr && alert.state < AlertState::kActioned) {
    if (std::optional<rules::RuleDefinition::Done> done = definition->actioned(alert, child)) {
      return Hub(alert, TransitionKind::kAction, done->at, std::move(done->note));
    }
  }
  if ((alert.severity == "strategy meeting" || alert.severity == "escalation") && alert.state < AlertState::kActioned) {
    for (const ChronologyEntry& e : child.entries) {
      if (std::holds_alternative<StrategyMeetingHeld>(e.event.payload) &&
          e.event.occurred_at >= alert.triggered_by_event_time) {
        return Hub(alert, TransitionKind::kAction, e.event.occurred_at,
                   absl::StrCat("strategy meeting recorded: ", e.event.event_id));
      }
    }
  }
  return std::nullopt;
}

std::vector<AlertTransition> FollowIdentity(const ChildId& child_id, const std::vector<const Alert*>& alerts,
                                            const std::vector<Alert>& due, absl::Time now, const std::string& why) {
  std::vector<AlertTransition> out;
  for (const Alert* a : alerts) {
    if (a->child_id == child_id) continue;
    AlertTransition t = Hub(*a, TransitionKind::kRekey, now, absl::StrCat("now about child ", child_id.value(), ": ", why));
    t.child_id = child_id;
    out.push_back(std::move(t));
  }
  std::set<std::string> merged;
  for (const Alert& occasion : due) {
    std::vector<const Alert*> same;
    for (const Alert* a : alerts) {
      if (IsOpen(*a) && !merged.contains(a->alert_id) && SameOccasion(occasion, *a)) same.push_back(a);
    }
    if (same.size() < 2) continue;
    const Alert* keep = *std::min_element(same.begin(), same.end(), [](const Alert* x, const Alert* y) {
      return std::tie(x->raised_at, x->alert_id) < std::tie(y->raised_at, y->alert_id);
    });
    for (const Alert* a : same) {
      if (a == keep) continue;
      merged.insert(a->alert_id);
      AlertTransition t = Hub(*a, TransitionKind::kMerge, now,
                              absl::StrCat("the same occasion as ", keep->alert_id, ": ", why));
      t.merged_into = keep->alert_id;
      out.push_back(std::move(t));
      if (!a->acknowledged_by.empty() && keep->acknowledged_by.empty()) {
        // An acknowledgement of the same occasion stands: the team has seen it. Dated as it was
        // given, so every replica records the same one.
        const auto ack = std::find_if(a->history.begin(), a->history.end(), [](const AlertTransition& h) {
          return h.kind == TransitionKind::kAcknowledge;
        });
        out.push_back(AlertTransition{.alert_id = keep->alert_id,
                                      .kind = TransitionKind::kAcknowledge,
                                      .by = a->acknowledged_by,
                                      .at = ack != a->history.end() ? ack->at : now,
                                      .note = absl::StrCat("acknowledged as ", a->alert_id, " before the records were linked")});
      }
    }
  }
  return out;
}

}  // namespace homeward::aggregator
