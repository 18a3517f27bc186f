// Rule category-mismatch: agencies record the same episode differently (missing against absent
// or away, or times more than the reconciliation's tolerance apart).
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {

const RuleDefinition& CategoryMismatchRule() {
  static const auto* rule = new RuleDefinition{
      .id = "category-mismatch",
      .summary = "agencies record the same episode differently (missing against absent or away, or times over 2 h apart)",
      .source = "rules-and-scenarios.md; audit rec. 7a, 7b; DfE SSDA903 data warning (the tolerance is the episode "
                "reconciliation's)",
      .evaluate = [](const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
        for (const Episode& e : child.episodes) {
          if (!e.categories_differ && !e.times_differ) continue;
          raiser.Raise(r, e.episode_id, e.start, SourceEvents(e),
                       absl::StrCat("agencies recorded the episode from ", When(e.start), " differently: ",
                                    e.flags.empty() ? "" : e.flags.front()));
        }
      },
      .cleared_note = "the agencies' records of the episode now agree",
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
