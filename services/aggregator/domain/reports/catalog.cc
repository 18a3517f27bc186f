#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {

const std::vector<ReportInfo>& Catalog() {
  static const auto* catalog = new std::vector<ReportInfo>{
      {"rhi-compliance", "Return home interviews",
       "Episodes ended; RHI offered and completed within 72 hours, completed late, declined (with reasons), not "
       "offered; median hours from return to interview; by provider (audit rec. 4a)"},
      {"episodes", "Episodes and children",
       "Episodes and distinct children; missing, absent or away; how long; children with repeat episodes (rec. 7b)"},
      {"normalisation", "Normalisation of repeat episodes",
       "Police grades of repeat episodes by sex and age band; the share graded low or no apparent risk; what followed "
       "normalised-risk alerts (rec. 5)",
       false, true},
      {"recording-consistency", "Recording consistency",
       "Episodes recorded by police and social care, category agreement, time differences, one agency only; 903 rules "
       "574 and 575 (rec. 7a, 7b)"},
      {"strategy-meetings", "Strategy meetings",
       "Alerts that call for a strategy meeting, meetings held, with a trigger plan, hours from alert to meeting, by "
       "rule (rec. 7d)",
       false, true},
      {"out-of-area", "Children placed out of area",
       "The same measures for children placed out of the city, placed in it by others, and at home, side by side "
       "(rec. 7c)"},
      {"providers", "Residential homes",
       "Per residential home: episodes, children, RHI engagement, repeat rate (rec. 3)"},
      {"alerts", "Alerts",
       "Alerts raised, acknowledged within the escalation time, escalated, closed, by team (rec. 1)", false, true},
      {"ssda903-missing", "SSDA903 Missing table",
       "The DfE 903 return's Missing table for the authority's looked-after children, with the 903 validation rules' "
       "findings (lists children: coordinators of the authority only)",
       true},
      {"annex-a-missing", "Annex A List 8: children who went missing",
       "Ofsted Annex A List 8's missing-episode and return-interview columns for the authority's looked-after children "
       "(lists children: coordinators of the authority only)",
       true},
  };
  return *catalog;
}

const ReportInfo* FindReport(absl::string_view name) {
  for (const ReportInfo& r : Catalog()) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

absl::Status CheckRequest(const ReportRequest& request, absl::Time now) {
  if (FindReport(request.name) == nullptr) {
    std::vector<std::string> names;
    for (const ReportInfo& r : Catalog()) names.push_back(r.name);
    return absl::InvalidArgumentError(
        absl::StrCat("no report is called '", request.name, "'; there are: ", absl::StrJoin(names, ", ")));
  }
  if (request.to < request.from) {
    return absl::InvalidArgumentError(absl::StrCat("the period ends (", absl::FormatCivilTime(request.to),
                                                   ") before it begins (", absl::FormatCivilTime(request.from), ")"));
  }
  if (request.to - request.from >= 366 * kMaxReportYears + kMaxReportYears / 4) {
    return absl::InvalidArgumentError(absl::StrCat("a report covers at most ", kMaxReportYears,
                                                   " years; run it for shorter periods"));
  }
  if (request.as_at > now) {
    return absl::InvalidArgumentError(absl::StrCat("the as-at time ", absl::FormatTime(request.as_at),
                                                   " is in the future: a report can only say what was recorded"));
  }
  if (request.suppression_threshold < 1) {
    return absl::InvalidArgumentError("the suppression threshold must be at least 1");
  }
  return absl::OkStatus();
}

absl::StatusOr<Report> BuildReport(const CityFacts& facts, const FactOptions& options, const ReportRequest& request) {
  const std::string& n = request.name;
  if (n == "rhi-compliance") return RhiCompliance(facts, options, request);
  if (n == "episodes") return EpisodesAndChildren(facts, options, request);
  if (n == "normalisation") return Normalisation(facts, options, request);
  if (n == "recording-consistency") return RecordingConsistency(facts, options, request);
  if (n == "strategy-meetings") return StrategyMeetings(facts, options, request);
  if (n == "out-of-area") return OutOfArea(facts, options, request);
  if (n == "providers") return Providers(facts, options, request);
  if (n == "alerts") return AlertsReport(facts, options, request);
  if (const ReportInfo* r = FindReport(n); r != nullptr && r->statutory) {
    return absl::InvalidArgumentError(absl::StrCat(n, " is a statutory return (it lists children): run it as one"));
  }
  return absl::InvalidArgumentError(absl::StrCat("no report is called '", n, "'"));
}

absl::StatusOr<StatutoryReturn> BuildReturn(const CityFacts& facts, const FactOptions& options,
                                            const ReportRequest& request) {
  if (request.authority.empty()) return absl::InvalidArgumentError("a statutory return is for one authority");
  if (request.name == "ssda903-missing") return Ssda903Missing(facts, options, request);
  if (request.name == "annex-a-missing") return AnnexAMissing(facts, options, request);
  return absl::InvalidArgumentError(absl::StrCat("'", request.name, "' is not a statutory return (ssda903-missing, annex-a-missing)"));
}

}  // namespace homeward::aggregator::reports
