// Rule repeat-missing: the Nth episode starts within a rolling window of D days.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {
namespace {

void Evaluate(const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
  const int count = CountParam(r, "count");
  const absl::Duration window = DaysParam(r, "window_days");
  const auto& episodes = child.episodes;
  for (size_t k = 0; k < episodes.size(); ++k) {
    const auto in = Window(episodes, k, window);
    if (static_cast<int>(in.size()) < count) continue;
    raiser.Raise(r, episodes[k].episode_id, episodes[k].start, WindowCauses(in),
                 absl::StrCat(in.size(), " episodes within ", r.params.at("window_days"), " days, the latest starting ",
                              When(episodes[k].start)),
                 {.anchor = SourceEvents(episodes[k])});
  }
}

}  // namespace

const RuleDefinition& RepeatMissingRule() {
  static const auto* rule = new RuleDefinition{
      .id = "repeat-missing",
      .summary = "the Nth episode starts within a rolling window of D days (event time)",
      .source = "rules-and-scenarios.md; Essex 'missing 3 times in 90 days', Derbyshire 3 in 30 days; audit rec. 1",
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
