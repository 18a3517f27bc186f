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

namespace homeward::aggregator {

// INVALID_ARGUMENT, e.g. "rules[0] (repeat-missing): params.count: required (a number > 0)".
absl::StatusOr<RuleSet> ParseRulesFile(absl::string_view text);
// As ParseRulesFile, with the path in the message; NOT_FOUND if it cannot be read.
absl::StatusOr<RuleSet> LoadRulesFile(const std::string& path);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_ALERTS_RULES_FILE_H_
