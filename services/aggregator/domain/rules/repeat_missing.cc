// Rule repeat-missing: the Nth episode starts within a rolling window of D days.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {

const RuleDefinition& RepeatMissingRule() {
  static const auto* rule = new RuleDefinition{
      .id = "repeat-missing",
      .summary = "the Nth episode starts within a rolling window of D days (event time)",
      .source = "rules-and-scenarios.md; Essex 'missing 3 times in 90 days', Derbyshire 3 in 30 days; audit rec. 1",
      .params = {{"count", ParamUnit::kCount, 1, 100, "episodes (N)"},
                 {"window_days", ParamUnit::kDays, 1, 3650, "rolling window (D)"}},
      .evaluate = [](const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
        RaiseRepeats(r, child, raiser, [](const auto&) { return true; }, [&](const std::vector<const Episode*>& in) {
          return absl::StrCat(in.size(), " episodes within ", r.params.at("window_days"), " days, the latest starting ",
                              When(in.back()->start));
        });
      },
      .never_due = RepeatNeverDue,
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
