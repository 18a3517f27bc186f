// Rule high-risk: any agency grades the child high risk during an episode.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {

const RuleDefinition& HighRiskRule() {
  static const auto* rule = new RuleDefinition{
      .id = "high-risk",
      .summary = "any agency grades the child high risk during an episode",
      .source = "rules-and-scenarios.md; the APP risk continuum (brief §1)",
      .evaluate = [](const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
        for (const Episode& e : child.episodes) {
          if (e.highest_grade != RiskGrade::kHigh) continue;
          raiser.Raise(r, e.episode_id, e.start, SourceEvents(e),
                       absl::StrCat("graded high risk during the episode from ", When(e.start)));
        }
      },
      .never_due = [](const RuleConfig*, const Alert&, const ChildFacts&) {
        return std::string("no record of the episode now grades it high");
      },
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
