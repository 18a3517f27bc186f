// Residential homes (audit rec. 3: engage residential homes). Per home that recorded absences:
// its episodes and children, how often its children came back to an interview, and how many of
// them went missing more than once.
#include <map>

#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/reports/dimensions.h"
#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {
namespace {

using E = EpisodeFact;

// Children with two or more of the units.
int64_t Repeaters(const std::vector<const E*>& units) {
  std::map<size_t, int> per_child;
  for (const E* e : units) ++per_child[e->child];
  return static_cast<int64_t>(std::count_if(per_child.begin(), per_child.end(), [](const auto& c) { return c.second >= 2; }));
}

}  // namespace

Report Providers(const CityFacts& facts, const FactOptions&, const ReportRequest& request) {
  Report report = NewReport(request, "Residential homes",
                            "For each residential home that records absences: episodes, children, return interviews "
                            "and repeat episodes (audit rec. 3)");
  std::vector<const E*> units = EpisodesBegun(facts, request);
  std::erase_if(units, [](const E* e) { return !e->residential_home; });
  const std::vector<Measure<E>> measures = {
      CountOf<E>({"episodes", "Episodes", Unit::kCount, "Episodes the home recorded, begun in the period"},
                 [](const E&) { return true; }),
      DistinctOf<E>({"children", "Children", Unit::kCount, ""}, [](const E& e) { return std::optional<size_t>(e.child); }),
      GroupCountOf<E>({"repeat_children", "Children with 2 or more", Unit::kCount, "Of this row's episodes"}, Repeaters),
      RateOf<E>({"repeat_rate", "Repeat rate (%)", Unit::kPercent, "Children with 2 or more, of the children"},
                "repeat_children", "children"),
      CountOf<E>({"ended", "Ended", Unit::kCount, ""}, [](const E& e) { return e.end && !e.impossible_times; }),
      CountOf<E>({"rhi_completed", "RHI completed", Unit::kCount, "At any time after the return"},
                 [](const E& e) { return e.end && !e.impossible_times && e.rhi.completed_at; }),
      CountOf<E>({"rhi_declined", "RHI declined", Unit::kCount, ""},
                 [](const E& e) { return e.end && !e.impossible_times && e.rhi.declined_at; }),
      RateOf<E>({"rhi_rate", "RHI engagement (%)", Unit::kPercent, "Completed, of those ended"}, "rhi_completed", "ended"),
      MedianOf<E>({"median_hours", "Median duration (hours)", Unit::kHours, ""},
                  [](const E& e) -> std::optional<double> {
                    if (std::optional<absl::Duration> d = e.Duration()) return absl::ToDoubleHours(*d);
                    return std::nullopt;
                  }),
  };
  using Rows = std::vector<std::string>;
  report.sections.push_back(Tabulate(
      measures, {},
      Dimension<E>{.title = "By home",
                   .row_heading = "Residential home",
                   .description = "A home is an agency registered as a residential home that recorded the absence.",
                   .rows_of = [](const E& e) { return e.residential_homes; },
                   .exclusive = false,
                   .chart = {.kind = ChartKind::kBar, .title = "RHI engagement by home (%)", .series = {"rhi_rate"}}},
      units, request.suppression_threshold));
  report.sections.push_back(Tabulate(
      measures, {},
      Dimension<E>{.title = "By month",
                   .row_heading = "Month",
                   .rows = MonthsOf(request),
                   .rows_of = [&request](const E& e) { return Rows{MonthLabel(e.start, request)}; },
                   .chart = {.kind = ChartKind::kLine, .title = "Month by month", .series = {"episodes", "rhi_completed"}}},
      units, request.suppression_threshold));
  report.notes.push_back("A child counts once in a row; episodes two homes both recorded count for each home.");
  return report;
}

}  // namespace homeward::aggregator::reports
