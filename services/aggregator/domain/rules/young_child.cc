// Rule young-child: the child is aged A or under when an episode starts.
#include "absl/time/civil_time.h"
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {
namespace {

int AgeAt(absl::CivilDay dob, absl::Time t) { return AgeOn(dob, absl::ToCivilDay(t, absl::UTCTimeZone())); }

void Evaluate(const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
  const auto dob = DateOfBirth(child);
  if (!dob) return;
  const int max_age = CountParam(r, "max_age");
  for (const Episode& e : child.episodes) {
    const int age = AgeAt(*dob, e.start);
    if (age > max_age) continue;
    raiser.Raise(r, e.episode_id, e.start, SourceEvents(e), absl::StrCat("aged ", age, " when the episode began (", When(e.start), ")"));
  }
}

std::string NeverDue(const RuleConfig*, const Alert& alert, const ChildFacts& child) {
  const auto dob = DateOfBirth(child);
  const Episode* e = EpisodeOf(alert, child);
  if (!dob || e == nullptr) return "the records now held no longer meet rule young-child";
  return absl::StrCat("the date of birth now recorded (", absl::FormatCivilTime(*dob), ") gives age ",
                      AgeAt(*dob, e->start), " at the episode");
}

}  // namespace

const RuleDefinition& YoungChildRule() {
  static const auto* rule = new RuleDefinition{
      .id = "young-child",
      .summary = "the child is aged A or under when the episode starts",
      .source = "rules-and-scenarios.md; Merseyside: 13 and under always missing, never absent",
      .params = {{"max_age", ParamUnit::kYears, 1, 17, "age in years (A)"}},
      .evaluate = Evaluate,
      .never_due = NeverDue,
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
