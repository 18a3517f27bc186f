// Rule normalised-risk: N episodes within D days, every one graded low or no apparent risk.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {
namespace {

bool AllGradedLow(const std::vector<const Episode*>& in) {
  return std::all_of(in.begin(), in.end(), [](const Episode* e) {
    return e->highest_grade == RiskGrade::kLow || e->highest_grade == RiskGrade::kNoApparentRisk;
  });
}

void Evaluate(const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
  const int count = CountParam(r, "count");
  const absl::Duration window = DaysParam(r, "window_days");
  const auto& episodes = child.episodes;
  for (size_t k = 0; k < episodes.size(); ++k) {
    const auto in = Window(episodes, k, window);
    if (static_cast<int>(in.size()) < count || !AllGradedLow(in)) continue;
    raiser.Raise(r, episodes[k].episode_id, episodes[k].start, WindowCauses(in),
                 absl::StrCat(in.size(), " episodes within ", r.params.at("window_days"),
                              " days, every one graded low or no apparent risk"),
                 {.anchor = SourceEvents(episodes[k])});
  }
}

}  // namespace

const RuleDefinition& NormalisedRiskRule() {
  static const auto* rule = new RuleDefinition{
      .id = "normalised-risk",
      .summary = "N episodes within D days, every one graded low or no apparent risk",
      .source = "rules-and-scenarios.md; the audit's finding on normalisation (older boys); audit rec. 5",
      .params = {{"count", ParamUnit::kCount, 1, 100, "episodes (N)"},
                 {"window_days", ParamUnit::kDays, 1, 3650, "rolling window (D)"}},
      .evaluate = Evaluate,
      .never_due = [](const RuleConfig*, const Alert&, const ChildFacts&) {
        return std::string("the episodes now recorded no longer meet the rule (records amended, or reports joined "
                           "into one episode)");
      },
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
