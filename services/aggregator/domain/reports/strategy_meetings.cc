// Strategy meetings (audit rec. 7d: a strategy meeting, with a Missing from Home Assessment and
// Trigger Plan, when risk escalates). The alerts whose rule calls for one (severity "strategy
// meeting", config/rules.json), whether a meeting was recorded for the child at or after the
// rule's condition was met, whether it recorded a trigger plan, and how long it took.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/reports/dimensions.h"
#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {
namespace {

using A = AlertFact;

}  // namespace

Report StrategyMeetings(const CityFacts& facts, const FactOptions&, const ReportRequest& request) {
  Report report = NewReport(request, "Strategy meetings",
                            "When the rules called for a strategy meeting, was one held, with a trigger plan, and how "
                            "soon? (audit rec. 7d)");
  std::vector<const A*> units;
  int withdrawn = 0;
  for (const A& a : facts.alerts) {
    if (a.severity != "strategy meeting" || !request.InPeriod(a.due_at)) continue;
    if (!request.authority.empty() &&
        std::find(a.authorities.begin(), a.authorities.end(), request.authority) == a.authorities.end()) {
      continue;
    }
    if (a.withdrawn || a.merged) {  // never due, or the same occasion as another alert
      ++withdrawn;
      continue;
    }
    units.push_back(&a);
  }
  // The first meeting recorded for the child at or after the condition was met.
  const auto meeting = [&facts](const A& a) -> const MeetingFact* {
    if (!a.child) return nullptr;
    for (const MeetingFact& m : facts.children[*a.child].meetings) {
      if (m.at >= a.due_at) return &m;
    }
    return nullptr;
  };
  const std::vector<Measure<A>> measures = {
      CountOf<A>({"alerts", "Alerts calling for a meeting", Unit::kCount, ""}, [](const A&) { return true; }),
      CountOf<A>({"held", "Meeting held", Unit::kCount, "A strategy meeting recorded for the child afterwards"},
                 [meeting](const A& a) { return meeting(a) != nullptr; }),
      CountOf<A>({"with_plan", "With a trigger plan", Unit::kCount, "The meeting recorded a Missing from Home Assessment and Trigger Plan"},
                 [meeting](const A& a) { return meeting(a) != nullptr && meeting(a)->trigger_plan; }),
      CountOf<A>({"without_plan", "Without a trigger plan", Unit::kCount, ""},
                 [meeting](const A& a) { return meeting(a) != nullptr && !meeting(a)->trigger_plan; }),
      CountOf<A>({"none", "No meeting recorded", Unit::kCount, ""}, [meeting](const A& a) { return meeting(a) == nullptr; }),
      RateOf<A>({"held_rate", "Meeting held (%)", Unit::kPercent, ""}, "held", "alerts"),
      RateOf<A>({"plan_rate", "Meetings with a trigger plan (%)", Unit::kPercent, ""}, "with_plan", "held"),
      MedianOf<A>({"median_hours", "Median hours to the meeting", Unit::kHours, "From when the rule's condition was met"},
                  [meeting](const A& a) -> std::optional<double> {
                    const MeetingFact* m = meeting(a);
                    if (m == nullptr) return std::nullopt;
                    return absl::ToDoubleHours(m->at - a.due_at);
                  }),
  };
  const std::vector<Partition> partitions = {{"alerts", {"held", "none"}}, {"held", {"with_plan", "without_plan"}}};
  using Rows = std::vector<std::string>;
  const auto bars = [](std::string title) {
    return Chart{.kind = ChartKind::kBar, .title = std::move(title), .series = {"alerts", "held", "with_plan"}};
  };
  const auto age = [&facts](const A& a) {
    if (!a.child || !facts.children[*a.child].date_of_birth) return -1;
    return AgeOn(*facts.children[*a.child].date_of_birth, absl::ToCivilDay(a.due_at, absl::UTCTimeZone()));
  };
  std::vector<Dimension<A>> dims = {
      {.title = "By rule",
       .row_heading = "Rule",
       .rows_of = [](const A& a) { return Rows{a.rule_id}; },
       .chart = bars("By rule")},
      AlertsByMonth(request, {"alerts", "held", "with_plan"}),
      AlertsByAuthority(bars("By authority")),
      {.title = "By age band",
       .row_heading = "Age when the condition was met",
       .rows = AgeBands(),
       .rows_of = [age](const A& a) { return Rows{AgeBand(age(a))}; },
       .chart = bars("By age band")},
      {.title = "By sex",
       .row_heading = "Sex",
       .rows = {"Female", "Male", "Other", "Not recorded"},
       .rows_of = [&facts](const A& a) { return Rows{SexLabel(a.child ? facts.children[*a.child].sex : Sex::kUnspecified)}; },
       .chart = bars("By sex")},
  };
  report.sections = TabulateAll(measures, partitions, dims, units, request.suppression_threshold);
  report.notes.push_back("Alerts counted: those whose rule's condition was met in the period (event time), as they stood "
                         "at the report's as-at time. A meeting counts for every alert it follows.");
  if (withdrawn > 0) {
    report.notes.push_back(absl::StrCat(withdrawn, " alert", withdrawn == 1 ? " was" : "s were",
                                        " withdrawn or merged into another about the same occasion, and not counted."));
  }
  return report;
}

}  // namespace homeward::aggregator::reports
