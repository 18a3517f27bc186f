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

}  // namespace

const RuleDefinition& NormalisedRiskRule() {
  static const auto* rule = new RuleDefinition{
      .id = "normalised-risk",
      .summary = "N episodes within D days, every one graded low or no apparent risk",
      .source = "rules-and-scenarios.md; the audit's finding on normalisation (older boys); audit rec. 5",
      .params = {{"count", ParamUnit::kCount, 1, 100, "episodes (N)"},
                 {"window_days", ParamUnit::kDays, 1, 3650, "rolling window (D)"}},
      .evaluate = [](const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
        RaiseRepeats(r, child, raiser, AllGradedLow, [&](const std::vector<const Episode*>& in) {
          return absl::StrCat(in.size(), " episodes within ", r.params.at("window_days"),
                              " days, every one graded low or no apparent risk");
        });
      },
      .never_due = RepeatNeverDue,
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
