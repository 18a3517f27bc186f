// Alerts (audit rec. 1: act before crisis). How many alerts the rules raised, whether the duty
// team acknowledged them within the escalation time (rules.json escalate_after_minutes), how
// many were escalated and closed; by team, rule, month, authority and severity.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/reports/dimensions.h"
#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {
namespace {

using A = AlertFact;

}  // namespace

Report AlertsReport(const CityFacts& facts, const FactOptions& options, const ReportRequest& request) {
  const absl::Duration limit = options.escalate_after;
  const std::string within = absl::StrCat(absl::ToInt64Minutes(limit), " min");
  Report report = NewReport(request, "Alerts",
                            absl::StrCat("Alerts raised, acknowledged within ", within,
                                         ", escalated and closed, by team (audit rec. 1)"));
  std::vector<const A*> units;
  for (const A& a : facts.alerts) {
    if (!request.InPeriod(a.due_at)) continue;
    if (!request.authority.empty() &&
        std::find(a.authorities.begin(), a.authorities.end(), request.authority) == a.authorities.end()) {
      continue;
    }
    units.push_back(&a);
  }
  const auto live = [](const A& a) { return !a.withdrawn; };
  const auto in_time = [limit](const A& a) { return a.acknowledged_at && *a.acknowledged_at - a.raised_at <= limit; };
  const std::vector<Measure<A>> measures = {
      CountOf<A>({"all", "All alerts", Unit::kCount, "Raised, including those later withdrawn"}, [](const A&) { return true; }),
      CountOf<A>({"withdrawn", "Withdrawn", Unit::kCount, "Later records showed it was never due"},
                 [](const A& a) { return a.withdrawn; }),
      CountOf<A>({"raised", "Raised", Unit::kCount, "Not withdrawn"}, live),
      CountOf<A>({"ack_in_time", absl::StrCat("Acknowledged within ", within), Unit::kCount, "From when it was raised"},
                 [live, in_time](const A& a) { return live(a) && in_time(a); }),
      CountOf<A>({"ack_late", "Acknowledged later", Unit::kCount, ""},
                 [live, in_time](const A& a) { return live(a) && a.acknowledged_at && !in_time(a); }),
      CountOf<A>({"not_ack", "Not acknowledged", Unit::kCount, "Perhaps closed without an acknowledgement"},
                 [live](const A& a) { return live(a) && !a.acknowledged_at; }),
      RateOf<A>({"ack_in_time_rate", absl::StrCat("Acknowledged within ", within, " (%)"), Unit::kPercent, ""},
                "ack_in_time", "raised"),
      CountOf<A>({"escalated", "Escalated", Unit::kCount, "Not acknowledged in time, so escalated"},
                 [live](const A& a) { return live(a) && a.escalated; }),
      CountOf<A>({"closed", "Closed", Unit::kCount, "By a person, or by the hub when its condition was met"},
                 [live](const A& a) { return live(a) && a.closed_at; }),
      CountOf<A>({"open", "Still open", Unit::kCount, ""}, [live](const A& a) { return live(a) && !a.closed_at; }),
      // Planning tasks (rule rhi-findings, audit recs 4c, 6c): the interview's findings recorded in
      // the child's plan by the task's due time, or after it.
      CountOf<A>({"plan_on_time", "Tasks recorded in the plan on time", Unit::kCount,
                  "Planning tasks from return home interviews done by their due date"},
                 [live](const A& a) { return live(a) && a.severity == "planning task" && a.actioned_at && *a.actioned_at <= a.due_at; }),
      CountOf<A>({"plan_late", "Tasks recorded in the plan late", Unit::kCount, ""},
                 [live](const A& a) { return live(a) && a.severity == "planning task" && a.actioned_at && *a.actioned_at > a.due_at; }),
      MedianOf<A>({"median_minutes", "Median minutes to acknowledge", Unit::kMinutes, ""},
                  [live](const A& a) -> std::optional<double> {
                    if (!live(a) || !a.acknowledged_at) return std::nullopt;
                    return absl::ToDoubleMinutes(*a.acknowledged_at - a.raised_at);
                  }),
  };
  const std::vector<Partition> partitions = {{"all", {"raised", "withdrawn"}},
                                             {"raised", {"ack_in_time", "ack_late", "not_ack"}},
                                             {"raised", {"closed", "open"}}};
  using Rows = std::vector<std::string>;
  const auto bars = [](std::string title) {
    return Chart{.kind = ChartKind::kBar, .title = std::move(title), .series = {"raised", "ack_in_time", "escalated"}};
  };
  const std::vector<Dimension<A>> dims = {
      {.title = "By team", .row_heading = "Team", .rows_of = [](const A& a) { return Rows{a.team}; }, .chart = bars("By team")},
      {.title = "By rule", .row_heading = "Rule", .rows_of = [](const A& a) { return Rows{a.rule_id}; }, .chart = bars("By rule")},
      AlertsByMonth(request, {"raised", "ack_in_time", "escalated"}),
      {.title = "By severity",
       .row_heading = "Severity",
       .rows = {"strategy meeting", "escalation", "compliance", "notification", "data quality", "planning task"},
       .rows_of = [](const A& a) { return Rows{a.severity}; },
       .chart = bars("By severity")},
      AlertsByAuthority(bars("By authority")),
  };
  report.sections = TabulateAll(measures, partitions, dims, units, request.suppression_threshold);
  report.notes.push_back(absl::StrCat(
      "Alerts counted: those whose rule's condition was met in the period (event time), as they stood at the "
      "report's as-at time. Acknowledgement times run from when the hub raised the alert; an alert raised for "
      "history loaded in bulk may be acknowledged long after its condition was met."));
  return report;
}

}  // namespace homeward::aggregator::reports
