// Recording consistency (audit rec. 7a: consistent missing/absent categorisation; 7b: consistent
// episode recording between police and social care; brief §4, the DfE warning that LAs record
// "away" as "missing"). For episodes both recorded: whether their categories agree (the same
// canonical category, as rule category-mismatch compares them) and how far apart their times
// are; the episodes only one of them recorded; and the SSDA903 rules 574 and 575.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/reports/dimensions.h"
#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {
namespace {

using E = EpisodeFact;

bool Both(const E& e) { return e.police && e.social_care; }

}  // namespace

Report RecordingConsistency(const CityFacts& facts, const FactOptions&, const ReportRequest& request) {
  Report report = NewReport(request, "Recording consistency",
                            "Do police and social care record the same episodes, with the same category and times? "
                            "(audit rec. 7a, 7b; SSDA903 rules 574 and 575)");
  const std::vector<const E*> units = EpisodesBegun(facts, request);
  const std::vector<Measure<E>> measures = {
      CountOf<E>({"episodes", "Episodes", Unit::kCount, ""}, [](const E&) { return true; }),
      CountOf<E>({"both", "Police and social care", Unit::kCount, "Recorded by both (social care's case record or 903 return)"},
                 Both),
      CountOf<E>({"agree", "Categories agree", Unit::kCount, "Of those both recorded"},
                 [](const E& e) { return Both(e) && e.police_category == e.social_care_category; }),
      RateOf<E>({"agree_rate", "Category agreement (%)", Unit::kPercent, ""}, "agree", "both"),
      MedianOf<E>({"start_minutes", "Median start difference (minutes)", Unit::kMinutes,
                   "Between the police and social care start times (timed records only)"},
                  [](const E& e) -> std::optional<double> {
                    if (!e.start_difference) return std::nullopt;
                    return absl::ToDoubleMinutes(*e.start_difference);
                  }),
      MedianOf<E>({"end_minutes", "Median end difference (minutes)", Unit::kMinutes, ""},
                  [](const E& e) -> std::optional<double> {
                    if (!e.end_difference) return std::nullopt;
                    return absl::ToDoubleMinutes(*e.end_difference);
                  }),
      CountOf<E>({"police_only", "Police only", Unit::kCount, ""}, [](const E& e) { return e.police && !e.social_care; }),
      CountOf<E>({"social_care_only", "Social care only", Unit::kCount, ""},
                 [](const E& e) { return e.social_care && !e.police; }),
      CountOf<E>({"neither", "Neither", Unit::kCount, "Recorded only by others (a care home, a school, health)"},
                 [](const E& e) { return !e.police && !e.social_care; }),
      CountOf<E>({"rule_574", "903 rule 574", Unit::kCount, "One agency recorded overlapping periods for it"},
                 [](const E& e) { return e.rule_574; }),
      CountOf<E>({"rule_575", "903 rule 575", Unit::kCount, "Still open although the placement changed"},
                 [](const E& e) { return e.rule_575; }),
  };
  const std::vector<Partition> partitions = {{"episodes", {"both", "police_only", "social_care_only", "neither"}}};
  report.sections = TabulateAll(measures, partitions,
                                EpisodeDimensions(
                                    request, [](const E& e) { return e.start; }, {"both", "agree", "police_only", "social_care_only"},
                                    {"both", "police_only", "social_care_only"}),
                                units, request.suppression_threshold);
  report.notes.push_back(
      "Categories agree when police and social care give the same category: police 'absent' and social care "
      "'away without authorisation' are different categories, as rule category-mismatch treats them.");
  return report;
}

}  // namespace homeward::aggregator::reports
