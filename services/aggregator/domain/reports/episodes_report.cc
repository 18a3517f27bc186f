// Episodes and children (audit rec. 7b: one count of episodes that police and social care both
// recognise). An episode is the hub's reconciliation of every agency's record of one absence
// (episodes.h); counted by when it began. Categories are missing, absent (police, brief §2) and
// away from placement without authorisation (social care, brief §1), as the agencies agree.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/reports/dimensions.h"
#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {
namespace {

using E = EpisodeFact;

bool Lasted(const E& e, absl::Duration at_least, absl::Duration under) {
  const std::optional<absl::Duration> d = e.Duration();
  return d && *d >= at_least && *d < under;
}

}  // namespace

Report EpisodesAndChildren(const CityFacts& facts, const FactOptions& options, const ReportRequest& request) {
  Report report = NewReport(request, "Episodes and children",
                            "How many episodes, of how many children; missing, absent or away; how long they lasted; "
                            "children who go missing again and again (audit rec. 7b)");
  const std::vector<const E*> units = EpisodesBegun(facts, request);
  const absl::Duration day = absl::Hours(24);
  const std::string repeat = absl::StrCat(options.repeat_count, "+ episodes in ", absl::ToInt64Hours(options.repeat_window) / 24, " days");
  const std::vector<Measure<E>> measures = {
      CountOf<E>({"episodes", "Episodes", Unit::kCount, "Episodes that began in the period"}, [](const E&) { return true; }),
      DistinctOf<E>({"children", "Children", Unit::kCount, "Distinct children with an episode"},
                    [](const E& e) { return std::optional<size_t>(e.child); }),
      CountOf<E>({"missing", "Missing", Unit::kCount, ""},
                 [](const E& e) { return e.category == AbsenceCategory::kMissing; }),
      CountOf<E>({"absent", "Absent", Unit::kCount, "Police 'absent' (no apparent risk)"},
                 [](const E& e) { return e.category == AbsenceCategory::kAbsent; }),
      CountOf<E>({"away", "Away without authorisation", Unit::kCount, "Social care's 'away from placement'"},
                 [](const E& e) { return e.category == AbsenceCategory::kAwayWithoutAuthorisation; }),
      CountOf<E>({"differ", "Agencies differ", Unit::kCount, "The recording agencies categorised it differently"},
                 [](const E& e) { return e.categories_differ; }),
      CountOf<E>({"uncategorised", "Not categorised", Unit::kCount, ""},
                 [](const E& e) { return !e.categories_differ && e.category == AbsenceCategory::kUnspecified; }),
      CountOf<E>({"under_24h", "Under 24 h", Unit::kCount, ""}, [day](const E& e) { return Lasted(e, absl::ZeroDuration(), day); }),
      CountOf<E>({"24h_to_72h", "24 to 72 h", Unit::kCount, ""}, [day](const E& e) { return Lasted(e, day, 3 * day); }),
      CountOf<E>({"3_to_7_days", "3 to 7 days", Unit::kCount, ""}, [day](const E& e) { return Lasted(e, 3 * day, 7 * day); }),
      CountOf<E>({"over_7_days", "Over 7 days", Unit::kCount, ""},
                 [day](const E& e) { return Lasted(e, 7 * day, absl::InfiniteDuration()); }),
      CountOf<E>({"open", "Still open", Unit::kCount, "No return recorded yet"}, [](const E& e) { return !e.end; }),
      CountOf<E>({"doubtful", "Times in doubt", Unit::kCount, "A return dated before its report"},
                 [](const E& e) { return e.end && e.impossible_times; }),
      DistinctOf<E>({"repeat_children", absl::StrCat("Children with ", repeat), Unit::kCount, "As rule repeat-missing counts"},
                    [&options](const E& e) {
                      return e.in_repeat_window >= options.repeat_count ? std::optional<size_t>(e.child) : std::nullopt;
                    }),
      MedianOf<E>({"median_hours", "Median duration (hours)", Unit::kHours, "Episodes that have ended"},
                  [](const E& e) -> std::optional<double> {
                    if (std::optional<absl::Duration> d = e.Duration()) return absl::ToDoubleHours(*d);
                    return std::nullopt;
                  }),
  };
  const std::vector<Partition> partitions = {
      {"episodes", {"missing", "absent", "away", "differ", "uncategorised"}},
      {"episodes", {"under_24h", "24h_to_72h", "3_to_7_days", "over_7_days", "open", "doubtful"}},
  };
  report.sections = TabulateAll(measures, partitions,
                                EpisodeDimensions(
                                    request, [](const E& e) { return e.start; }, {"episodes", "children"},
                                    {"missing", "absent", "away", "differ"}),
                                units, request.suppression_threshold);
  report.notes.push_back(absl::StrCat("Episodes counted: those that began between ", absl::FormatCivilTime(request.from),
                                      " and ", absl::FormatCivilTime(request.to), " (", request.zone.name(),
                                      "). A child counts once in a row, though they may be in several rows."));
  return report;
}

}  // namespace homeward::aggregator::reports
