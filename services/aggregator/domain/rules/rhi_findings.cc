// Rule rhi-findings: a completed return home interview found push or pull factors, harm, or
// exploitation indicators: a planning task for the child's allocated social-care team, carrying
// the findings and the child's own words, due within N working days; done when a social-care
// record says the plan was updated (a note of kind "plan-updated"). The audit found that what
// children said in their interviews never reached their plans (recs 4c, 6c).
#include "absl/strings/str_join.h"
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {
namespace {

// The note kind a social-care system records when the child's plan takes in the findings.
constexpr char kPlanUpdated[] = "plan-updated";

// What the interview found, in a sentence; "" if nothing calls for planning.
std::string Findings(const ReturnInterview& i) {
  std::vector<std::string> parts;
  if (!i.push_factors.empty()) parts.push_back(absl::StrCat("push factors: ", absl::StrJoin(i.push_factors, ", ")));
  if (!i.pull_factors.empty()) parts.push_back(absl::StrCat("pull factors: ", absl::StrJoin(i.pull_factors, ", ")));
  if (i.harm_disclosed) parts.push_back("harm disclosed");
  if (!i.exploitation_indicators.empty()) {
    parts.push_back(absl::StrCat("exploitation indicators: ", absl::StrJoin(i.exploitation_indicators, ", ")));
  }
  return absl::StrJoin(parts, "; ");
}

// The team the child's social-care record allocates, or "" (then the rule's own team).
std::string AllocatedTeam(const ChildFacts& child) {
  std::string team;
  for (const ChronologyEntry& e : child.entries) {
    if (const auto* p = std::get_if<PlacementChanged>(&e.event.payload); p && !p->allocated_team.empty()) {
      team = p->allocated_team;
    }
  }
  return team;
}

void Evaluate(const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
  const int working_days = CountParam(r, "working_days");
  const std::string team = AllocatedTeam(child);
  for (const ChronologyEntry& e : child.entries) {
    const auto* i = PayloadIf<ReturnInterview>(e.event.payload);
    if (i == nullptr || i->outcome != InterviewOutcome::kCompleted) continue;
    const std::string findings = Findings(*i);
    if (findings.empty()) continue;
    raiser.Raise(r, FacetKey(e.event), e.event.occurred_at, {e.event.event_id},
                 absl::StrCat("return home interview on ", Day(e.event.occurred_at), " (", e.event.agency_id,
                              ") found ", findings,
                              i->childs_own_words.empty() ? "" : absl::StrCat("; in the child's words: \"",
                                                                              i->childs_own_words, "\"")),
                 {.due_at = AddWorkingDays(e.event.occurred_at, working_days), .team = team});
  }
}

// The first plan update recorded by social care at or after the interview.
std::optional<RuleDefinition::Done> Actioned(const Alert& alert, const ChildFacts& child) {
  for (const ChronologyEntry& e : child.entries) {  // chronology order: the first one
    const auto* note = std::get_if<ChronologyNote>(&e.event.payload);
    if (note == nullptr || note->kind != kPlanUpdated || e.event.agency_kind != AgencyKind::kSocialCare ||
        e.event.occurred_at < alert.triggered_by_event_time) {
      continue;
    }
    return RuleDefinition::Done{
        .at = e.event.occurred_at,
        .note = absl::StrCat("recorded in the plan: ", e.event.agency_id, " ", e.event.event_id, " (",
                             Day(e.event.occurred_at), e.event.occurred_at <= alert.due_at ? ", on time" : ", late", ")")};
  }
  return std::nullopt;
}

}  // namespace

const RuleDefinition& RhiFindingsRule() {
  static const auto* rule = new RuleDefinition{
      .id = "rhi-findings",
      .summary = "a completed return home interview found push or pull factors, harm or exploitation: a planning "
                 "task for the allocated team, due within N working days",
      .source = "audit recs 4c and 6c (interview findings to reach the child's plan); DfE statutory guidance on "
                "children who run away or go missing (2014): the interview's findings inform the plan",
      .params = {{"working_days", ParamUnit::kWorkingDays, 1, 30, "working days to record it in the plan (N)"}},
      .evaluate = Evaluate,
      .never_due = [](const RuleConfig*, const Alert&, const ChildFacts&) {
        return std::string("the interview is no longer recorded as completed with findings (the record was amended)");
      },
      .actioned = Actioned,
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
