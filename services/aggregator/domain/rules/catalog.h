// File: catalog.h
//
// The registry of risk rules: one definition per file in this directory, one row each in
// Registry() (catalog.cc). Adding a rule is a file, a line here and a row there; choosing,
// tuning or proposing rules is configuration (config/rules.json, docs/rules.md). Pure.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_CATALOG_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_CATALOG_H_

#include <string>
#include <vector>

#include "services/aggregator/domain/rules/rule.h"

namespace homeward::aggregator::rules {

// Every rule, in evaluation order (a child's alerts are listed in this order).
const std::vector<const RuleDefinition*>& Registry();
// The rule with this id, or null.
const RuleDefinition* FindRule(const std::string& id);

// One per file.
const RuleDefinition& RepeatMissingRule();
const RuleDefinition& LongMissingRule();
const RuleDefinition& HighRiskRule();
const RuleDefinition& YoungChildRule();
const RuleDefinition& ExploitationRule();
const RuleDefinition& RhiOverdueRule();
const RuleDefinition& TriggerPlanMissingRule();
const RuleDefinition& NormalisedRiskRule();
const RuleDefinition& CategoryMismatchRule();
const RuleDefinition& ImpossibleTimesRule();
const RuleDefinition& OutOfAreaRule();
const RuleDefinition& EarlyHelpRule();
const RuleDefinition& RhiFindingsRule();
const RuleDefinition& LogGapRule();

}  // namespace homeward::aggregator::rules

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_CATALOG_H_
