// Rule long-missing: an episode still open H hours after it started (a timer, not an event).
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {
namespace {

void Evaluate(const RuleConfig& r, const ChildFacts& child, absl::Time now, Raiser& raiser) {
  const absl::Duration h = HoursParam(r, "hours");
  for (const Episode& e : child.episodes) {
    if (e.impossible_times) continue;  // rule impossible-times
    const absl::Time due = e.start + h;
    if (now >= due && e.end.value_or(now) - e.start >= h) {
      raiser.Raise(r, e.episode_id, e.start, SourceEvents(e),
                   absl::StrCat(e.end ? "missing for " : "still missing after ", FormatSpan(e.end.value_or(now) - e.start),
                                " (threshold ", r.params.at("hours"), " h), from ", When(e.start)),
                   {.due_at = due});
    }
  }
}

std::optional<absl::Time> NextDue(const RuleConfig& r, const ChildFacts& child, absl::Time now) {
  std::optional<absl::Time> next;
  for (const Episode& e : child.episodes) {
    const absl::Time t = e.start + HoursParam(r, "hours");
    if (!e.end && t > now && (!next || t < *next)) next = t;
  }
  return next;
}

std::string NeverDue(const RuleConfig* r, const Alert& alert, const ChildFacts& child) {
  const Episode* e = EpisodeOf(alert, child);
  if (e != nullptr && e->impossible_times) return "the episode's times cannot be trusted (see impossible-times)";
  if (e != nullptr && e->end.has_value()) {
    return absl::StrCat("the episode lasted ", FormatSpan(*e->end - e->start), " (", When(e->start), " to ",
                        When(*e->end), "), under the ", r ? r->params.at("hours") : 0, " h threshold");
  }
  return "the records now held no longer meet rule long-missing";
}

}  // namespace

const RuleDefinition& LongMissingRule() {
  static const auto* rule = new RuleDefinition{
      .id = "long-missing",
      .summary = "an episode is still open H hours after it started",
      .source = "rules-and-scenarios.md; Torbay and Leeds 24 h and 72 h strategy meetings",
      .params = {{"hours", ParamUnit::kHours, 0.25, 24 * 30, "hours missing (H)"}},
      .time_rule = true,
      .settles_on_arrival = true,
      .evaluate = Evaluate,
      .next_due = NextDue,
      .never_due = NeverDue,
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
