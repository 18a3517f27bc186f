// Rule rhi-overdue: no return home interview completed, or refusal recorded, within H hours of
// the return.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {
namespace {

void Evaluate(const RuleConfig& r, const ChildFacts& child, absl::Time now, Raiser& raiser) {
  const absl::Duration h = HoursParam(r, "hours");
  for (const Episode& e : child.episodes) {
    if (!e.end || e.impossible_times) continue;
    const absl::Time due = *e.end + h;
    const InterviewStatus* done = FirstInterviewDone(e);
    if (now >= due && (done == nullptr || done->at > due)) {
      raiser.Raise(r, e.episode_id, *e.end, SourceEvents(e),
                   absl::StrCat("no return home interview completed or refused within ", r.params.at("hours"),
                                " h of the return at ", When(*e.end)),
                   {.due_at = due});
    }
  }
}

std::optional<absl::Time> NextDue(const RuleConfig& r, const ChildFacts& child, absl::Time now) {
  std::optional<absl::Time> next;
  for (const Episode& e : child.episodes) {
    if (!e.end) continue;
    const absl::Time t = *e.end + HoursParam(r, "hours");
    if (t > now && (!next || t < *next)) next = t;
  }
  return next;
}

std::string NeverDue(const RuleConfig* r, const Alert& alert, const ChildFacts& child) {
  const Episode* e = EpisodeOf(alert, child);
  if (e != nullptr && e->impossible_times) return "the episode's times cannot be trusted (see impossible-times)";
  if (e != nullptr && !e->end.has_value()) return "the episode is no longer recorded as ended";
  if (e != nullptr) {
    if (const InterviewStatus* i = FirstInterviewDone(*e)) {
      return absl::StrCat("the return home interview was ", ToString(i->outcome), " at ", When(i->at), ", ",
                          FormatSpan(i->at - *e->end), " after the return, within ", r ? r->params.at("hours") : 0, " h");
    }
  }
  return "the records now held no longer meet rule rhi-overdue";
}

// Done late: the duty is met, the alert closes.
std::optional<std::string> Closes(const Alert& alert, const ChildFacts& child) {
  const Episode* e = EpisodeOf(alert, child);
  if (e == nullptr || !e->end.has_value()) return std::nullopt;
  const InterviewStatus* i = FirstInterviewDone(*e);
  if (i == nullptr) return std::nullopt;
  return absl::StrCat("the return home interview was ", ToString(i->outcome), " at ", When(i->at), ", ",
                      FormatSpan(i->at - *e->end), " after the return (late)");
}

}  // namespace

const RuleDefinition& RhiOverdueRule() {
  static const auto* rule = new RuleDefinition{
      .id = "rhi-overdue",
      .summary = "no return home interview completed (or refusal recorded) within H hours of the return",
      .source = "rules-and-scenarios.md; DfE statutory guidance (2014), the 72-hour duty (brief §2); audit rec. 4",
      .params = {{"hours", ParamUnit::kHours, 0.25, 24 * 30, "hours after the return (H)"}},
      .time_rule = true,
      .settles_on_arrival = true,
      .evaluate = Evaluate,
      .next_due = NextDue,
      .never_due = NeverDue,
      .closes = Closes,
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
