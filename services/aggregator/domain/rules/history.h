// File: history.h
//
// The rules file's change history (issue 16, point 1). Each rule carries a version, and every
// alert records the version that raised it, so a rule whose meaning changes (a threshold, a
// severity) must change its version: CheckVersions refuses a rule set that does not. Each
// distinct rule set the hub has run under is a revision, kept by a RulesHistory (the SQLite
// store, or a vector in tests); DiffRuleSets says what changed between two. Pure.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_HISTORY_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_HISTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/aggregator/domain/rule_set.h"

namespace homeward::aggregator::rules {

// One change between two rule sets, e.g. {"repeat-missing", "window_days 90 -> 30"}; rule_id is
// empty for a setting of the whole set (default_authority, escalate_after, ...).
struct RuleChange {
  std::string rule_id;
  std::string what;
  friend bool operator==(const RuleChange&, const RuleChange&) = default;
};

// What changed from `before` to `after`, in registry order, then the set's own settings.
std::vector<RuleChange> DiffRuleSets(const RuleSet& before, const RuleSet& after);

// FAILED_PRECONDITION naming every rule whose parameters or severity changed while its version
// did not, or whose version went down; OK otherwise (a new or removed rule, a new team or
// wording, switching a rule on or off need no new version).
absl::Status CheckVersions(const RuleSet& before, const RuleSet& after);

// A rule set the hub ran under, from when.
struct RulesRevision {
  int64_t revision = 0;  // 1, 2, ... in order of adoption
  absl::Time adopted_at;
  std::string source;  // where it was read from (the rules file's path)
  std::string text;    // the file as read
};

class RulesHistory {
 public:
  virtual ~RulesHistory() = default;
  // Every revision, oldest first.
  virtual absl::StatusOr<std::vector<RulesRevision>> Revisions() = 0;
  // Keeps `revision` (its number is the next one). An error means it was not kept.
  virtual absl::Status Append(const RulesRevision& revision) = 0;
};

}  // namespace homeward::aggregator::rules

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_HISTORY_H_
