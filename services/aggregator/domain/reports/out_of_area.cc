// Out of area (audit rec. 7c: "children placed out of the city got a weaker response"). The
// same measures, side by side, for children the city places outside it, children other
// authorities place in it, children it places within it, and children living at home.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/reports/dimensions.h"
#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {
namespace {

using E = EpisodeFact;

constexpr Area kGroups[] = {Area::kPlacedOut, Area::kPlacedIn, Area::kPlacedWithin, Area::kAtHome};

}  // namespace

Report OutOfArea(const CityFacts& facts, const FactOptions& options, const ReportRequest& request) {
  Report report = NewReport(request, "Children placed out of area",
                            absl::StrCat("Is the response as good for children ", request.City(),
                                         " places elsewhere, and for those placed in ", request.City(),
                                         " by others, as for children at home? (audit rec. 7c)"));
  std::vector<const E*> units;
  for (const E& e : facts.episodes) {
    if (request.InPeriod(e.start) && AreaOf(e, request) != Area::kElsewhere) units.push_back(&e);
  }
  const absl::Duration due = options.rhi_due;
  const std::string h = absl::StrCat(absl::ToInt64Hours(due), " h");
  const std::vector<Measure<E>> measures = {
      CountOf<E>({"episodes", "Episodes", Unit::kCount, ""}, [](const E&) { return true; }),
      DistinctOf<E>({"children", "Children", Unit::kCount, ""}, [](const E& e) { return std::optional<size_t>(e.child); }),
      DistinctOf<E>({"repeat_children", absl::StrCat("Children with ", options.repeat_count, "+ in ",
                                                     absl::ToInt64Hours(options.repeat_window) / 24, " days"),
                     Unit::kCount, ""},
                    [&options](const E& e) {
                      return e.in_repeat_window >= options.repeat_count ? std::optional<size_t>(e.child) : std::nullopt;
                    }),
      CountOf<E>({"high_risk", "Graded high by police", Unit::kCount, ""},
                 [](const E& e) { return e.police_grade == RiskGrade::kHigh; }),
      CountOf<E>({"ended", "Ended", Unit::kCount, "Of these episodes, those with a return recorded"},
                 [](const E& e) { return e.end && !e.impossible_times; }),
      CountOf<E>({"rhi_in_time", absl::StrCat("RHI within ", h), Unit::kCount, "Completed within the time of the return"},
                 [due](const E& e) {
                   return e.end && !e.impossible_times && e.rhi.completed_at && *e.rhi.completed_at <= *e.end + due;
                 }),
      RateOf<E>({"rhi_in_time_rate", absl::StrCat("RHI within ", h, " (%)"), Unit::kPercent, "Of those ended"},
                "rhi_in_time", "ended"),
      CountOf<E>({"no_rhi", "No RHI recorded", Unit::kCount, "Ended, and no RHI provider record names it"},
                 [](const E& e) { return e.end && !e.impossible_times && !e.rhi.any_record; }),
      MedianOf<E>({"median_hours", "Median duration (hours)", Unit::kHours, ""},
                  [](const E& e) -> std::optional<double> {
                    if (std::optional<absl::Duration> d = e.Duration()) return absl::ToDoubleHours(*d);
                    return std::nullopt;
                  }),
  };
  using Rows = std::vector<std::string>;
  Rows groups;
  for (Area a : kGroups) groups.push_back(AreaLabel(a, request));
  report.sections.push_back(Tabulate(
      measures, {}, Dimension<E>{.title = "Side by side",
                                 .row_heading = "Where the child lived when the episode began",
                                 .rows = groups,
                                 .rows_of = [&request](const E& e) { return Rows{AreaLabel(AreaOf(e, request), request)}; },
                                 .chart = {.kind = ChartKind::kBar,
                                           .title = absl::StrCat("RHI within ", h, " (%)"),
                                           .series = {"rhi_in_time_rate"}}},
      units, request.suppression_threshold));

  // Month by month, one column per group.
  std::vector<Measure<E>> per_group;
  std::vector<std::string> keys;
  for (Area a : kGroups) {
    const std::string key = absl::StrCat("episodes_", static_cast<int>(a));
    keys.push_back(key);
    per_group.push_back(CountOf<E>({key, AreaLabel(a, request), Unit::kCount, "Episodes"},
                                   [a, &request](const E& e) { return AreaOf(e, request) == a; }));
  }
  per_group.push_back(CountOf<E>({"episodes", "All", Unit::kCount, ""}, [](const E&) { return true; }));
  report.sections.push_back(Tabulate(
      per_group, {{"episodes", keys}},
      Dimension<E>{.title = "Episodes by month",
                   .row_heading = "Month",
                   .rows = MonthsOf(request),
                   .rows_of = [&request](const E& e) { return Rows{MonthLabel(e.start, request)}; },
                   .chart = {.kind = ChartKind::kLine, .title = "Episodes month by month", .series = keys}},
      units, request.suppression_threshold));
  const std::vector<Dimension<E>> standard =
      EpisodeDimensions(request, [](const E& e) { return e.start; }, {}, {"episodes", "ended", "rhi_in_time"});
  for (const Dimension<E>& d : standard) {
    if (d.title == "By age band" || d.title == "By sex") {
      report.sections.push_back(Tabulate(measures, {}, d, units, request.suppression_threshold));
    }
  }
  report.notes.push_back(absl::StrCat("Where a child lived is the placement in force when the episode began, as ",
                                      "the placing authority's social care recorded it; 'at home' means no placement "
                                      "as a looked-after child was in force."));
  return report;
}

}  // namespace homeward::aggregator::reports
