// Return home interviews (audit rec. 4a: audit RHI completion). A child who returns is offered
// an independent return home interview, held within 72 hours of the return (DfE 2014 statutory
// guidance, brief §1; rule rhi-overdue's `hours`). Counted: episodes that ended in the period,
// by when the child returned.
#include <map>

#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/reports/dimensions.h"
#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {
namespace {

using E = EpisodeFact;

bool CompletedInTime(const E& e, absl::Duration due) { return e.rhi.completed_at && *e.rhi.completed_at <= *e.end + due; }

std::vector<Measure<E>> RhiMeasures(const FactOptions& o) {
  const absl::Duration due = o.rhi_due;
  const std::string h = absl::StrCat(absl::ToInt64Hours(due), " h");
  return {
      CountOf<E>({"ended", "Episodes ended", Unit::kCount, "Episodes whose child returned in the period"},
                 [](const E&) { return true; }),
      CountOf<E>({"offered_in_time", absl::StrCat("RHI offered within ", h), Unit::kCount,
                  "An offer (or the interview itself, or a refusal) recorded within the time of the return"},
                 [due](const E& e) { return e.rhi.offered_at && *e.rhi.offered_at <= *e.end + due; }),
      CountOf<E>({"completed_in_time", absl::StrCat("Completed within ", h), Unit::kCount, ""},
                 [due](const E& e) { return CompletedInTime(e, due); }),
      CountOf<E>({"completed_late", "Completed late", Unit::kCount, absl::StrCat("Completed more than ", h, " after the return")},
                 [due](const E& e) { return e.rhi.completed_at && !CompletedInTime(e, due); }),
      CountOf<E>({"declined", "Declined", Unit::kCount, "The child refused (the reasons are below)"},
                 [](const E& e) { return e.rhi.declined_at.has_value(); }),
      CountOf<E>({"not_offered", "Not offered", Unit::kCount, "A recorded decision not to offer one"},
                 [](const E& e) { return e.rhi.not_offered; }),
      CountOf<E>({"awaiting", "Offered, no outcome yet", Unit::kCount, ""},
                 [](const E& e) {
                   return e.rhi.any_record && !e.rhi.completed_at && !e.rhi.declined_at && !e.rhi.not_offered;
                 }),
      CountOf<E>({"none", "No RHI recorded", Unit::kCount, "No record from an RHI provider names the episode"},
                 [](const E& e) { return !e.rhi.any_record; }),
      RateOf<E>({"completed_in_time_rate", absl::StrCat("Completed within ", h, " (%)")}, "completed_in_time", "ended"),
      RateOf<E>({"offered_in_time_rate", absl::StrCat("Offered within ", h, " (%)")}, "offered_in_time", "ended"),
      MedianOf<E>({"median_hours", "Median hours from return to RHI", Unit::kHours, "Completed interviews only"},
                  [](const E& e) -> std::optional<double> {
                    if (!e.rhi.completed_at) return std::nullopt;
                    return absl::ToDoubleHours(*e.rhi.completed_at - *e.end);
                  }),
  };
}

}  // namespace

Report RhiCompliance(const CityFacts& facts, const FactOptions& options, const ReportRequest& request) {
  Report report = NewReport(request, "Return home interviews",
                            "Were children who came back offered and given a return home interview within 72 hours "
                            "of their return? (audit rec. 4a; DfE 2014 statutory guidance)");
  std::vector<const E*> units;
  int doubtful = 0;
  int date_only = 0;
  for (const E& e : facts.episodes) {
    if (!Concerns(e, request)) continue;
    if (e.impossible_times) {  // its return cannot be placed in time: said, not counted
      if (request.InPeriod(e.start)) ++doubtful;
      continue;
    }
    if (!e.end || !request.InPeriod(*e.end)) continue;
    if (e.date_only) ++date_only;
    units.push_back(&e);
  }
  const std::vector<Measure<E>> measures = RhiMeasures(options);
  const std::vector<Partition> partitions = {
      {"ended", {"completed_in_time", "completed_late", "declined", "not_offered", "awaiting", "none"}}};
  std::vector<Dimension<E>> dims = EpisodeDimensions(
      request, [](const E& e) { return *e.end; }, {"ended", "completed_in_time", "none"},
      {"ended", "completed_in_time"});
  dims.push_back({.title = "By RHI provider",
                  .row_heading = "Provider",
                  .rows_of = [](const E& e) {
                    return std::vector<std::string>{e.rhi.any_record ? e.rhi.provider : "No RHI recorded"};
                  },
                  .chart = {.kind = ChartKind::kBar, .title = "By RHI provider", .series = {"ended", "completed_in_time"}}});
  report.sections = TabulateAll(measures, partitions, dims, units, request.suppression_threshold);

  // Reasons for refusing, as recorded. Free text could name someone, so a reason is listed only
  // when at least `threshold` refusals give it word for word; the rest are counted together.
  std::map<std::string, int> reasons;
  std::vector<const E*> declined;
  for (const E* e : units) {
    if (!e->rhi.declined_at) continue;
    declined.push_back(e);
    ++reasons[e->rhi.declined_reason];
  }
  const int threshold = request.suppression_threshold;
  const std::string other = absl::StrCat("Other reasons (each given fewer than ", threshold, " times)");
  Dimension<E> by_reason{.title = "Reasons for declining",
                         .row_heading = "Reason, as recorded",
                         .description = "Only reasons given word for word by enough refusals to be safe to show.",
                         .rows_of = [&reasons, threshold, other](const E& e) {
                           const std::string& r = e.rhi.declined_reason;
                           return std::vector<std::string>{reasons.at(r) >= threshold && !r.empty() ? r : other};
                         }};
  report.sections.push_back(Tabulate<E>(
      {CountOf<E>({"declined", "Declined", Unit::kCount, ""}, [](const E&) { return true; })}, {}, by_reason, declined,
      threshold));

  report.notes.push_back(absl::StrCat("Episodes counted: those whose child returned between ", absl::FormatCivilTime(request.from),
                                      " and ", absl::FormatCivilTime(request.to), ", by the time of the return (", request.zone.name(),
                                      "). The 72-hour clock starts at the return."));
  if (doubtful > 0) {
    report.notes.push_back(absl::StrCat(doubtful, " episode", doubtful == 1 ? " is" : "s are",
                                        " not counted: a return is dated before its report (rule impossible-times); "
                                        "correct the record and it will be."));
  }
  if (date_only > 0) {
    report.notes.push_back(absl::StrCat(date_only, " episode", date_only == 1 ? " is" : "s are",
                                        " known only from the 903 return, which records dates, not times: "
                                        "the return is taken as the start of that day."));
  }
  return report;
}

}  // namespace homeward::aggregator::reports
