// Rule trigger-plan-missing: a strategy meeting recorded without a Missing from Home Assessment
// and Trigger Plan.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {

const RuleDefinition& TriggerPlanMissingRule() {
  static const auto* rule = new RuleDefinition{
      .id = "trigger-plan-missing",
      .summary = "a strategy meeting is recorded without a Missing from Home Assessment and Trigger Plan",
      .source = "rules-and-scenarios.md; audit rec. 7d",
      .evaluate = [](const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
        for (const ChronologyEntry& e : child.entries) {
          const auto* m = std::get_if<StrategyMeetingHeld>(&e.event.payload);
          if (m == nullptr || m->trigger_plan_recorded) continue;
          raiser.Raise(r, FacetKey(e.event), e.event.occurred_at, {e.event.event_id},
                       absl::StrCat("strategy meeting on ", When(e.event.occurred_at),
                                    " recorded without a Missing from Home Assessment and Trigger Plan"));
        }
      },
      .cleared_note = "a trigger plan is now recorded for the meeting",
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
