// File: rules_file.h
//
// Reads config/rules.json into a RuleSet. A bad configuration is refused at start with an
// error naming the rule and the field; nothing half-configured ever runs.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_ALERTS_RULES_FILE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_ALERTS_RULES_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/aggregator/domain/rule_set.h"
#include "services/aggregator/domain/rules/history.h"

namespace homeward::aggregator {

// INVALID_ARGUMENT, e.g. "rules[0] (repeat-missing): params.count: required (a number > 0)".
absl::StatusOr<RuleSet> ParseRulesFile(absl::string_view text);
// As ParseRulesFile, with the path in the message; NOT_FOUND if it cannot be read.
absl::StatusOr<RuleSet> LoadRulesFile(const std::string& path);

// A rules file that ParseRulesFile reads back as `rules` (for a rule set made in code).
std::string FormatRulesFile(const RuleSet& rules);

// Puts `rules` (read from `text`, at `source`) in force in `history` at `now`, and returns the
// revision in force: the latest, if it is the same rule set, or a new one. FAILED_PRECONDITION
// (CheckVersions) if a rule's meaning changed from the latest without a new version: the hub
// does not start, so no alert is ever recorded under a version that meant two things.
absl::StatusOr<rules::RulesRevision> AdoptRules(rules::RulesHistory& history, const RuleSet& rules,
                                                const std::string& text, const std::string& source, absl::Time now);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_ALERTS_RULES_FILE_H_
