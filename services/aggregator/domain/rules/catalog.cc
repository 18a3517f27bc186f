#include "services/aggregator/domain/rules/catalog.h"

namespace homeward::aggregator::rules {

const std::vector<const RuleDefinition*>& Registry() {
  // The order alerts were always evaluated in: the strategy-meeting rules, then compliance,
  // escalation, data quality and notifications.
  static const auto* table = new std::vector<const RuleDefinition*>{
      &RepeatMissingRule(),      &LongMissingRule(),      &HighRiskRule(),         &YoungChildRule(),
      &ExploitationRule(),       &RhiOverdueRule(),       &TriggerPlanMissingRule(), &NormalisedRiskRule(),
      &CategoryMismatchRule(),   &ImpossibleTimesRule(),  &OutOfAreaRule(),        &EarlyHelpRule(),
      &RhiFindingsRule(),        &LogGapRule(),
  };
  return *table;
}

const RuleDefinition* FindRule(const std::string& id) {
  for (const RuleDefinition* r : Registry()) {
    if (r->id == id) return r;
  }
  return nullptr;
}

}  // namespace homeward::aggregator::rules
