// Rule impossible-times (data quality): an episode whose return is dated before its start.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {

const RuleDefinition& ImpossibleTimesRule() {
  static const auto* rule = new RuleDefinition{
      .id = "impossible-times",
      .summary = "an episode whose return is dated before its start",
      .source = "brief.md feature table row 21 (end before start); issue 11 point 5",
      .evaluate = [](const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
        for (const Episode& e : child.episodes) {
          if (!e.impossible_times) continue;
          std::string flag;
          for (const std::string& f : e.flags) {
            if (absl::StartsWith(f, "impossible times")) flag = f;
          }
          raiser.Raise(r, e.episode_id, e.start, SourceEvents(e), flag);
        }
      },
      .cleared_note = "the episode's times are now in order",
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
