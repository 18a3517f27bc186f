// File: reports.h
//
// The partnership reports and statutory returns (issue 14), each built in a file of its own
// from CityFacts, and the catalogue the ReportService lists and runs them from. Every report
// answers one of the audit's monitoring questions (../shared/domain/audit-summary.txt):
//
//   rhi-compliance         return home interviews within 72 h          rec. 4a
//   episodes               episodes, children, categories, durations   rec. 7b
//   normalisation          police grades of repeat episodes            rec. 5
//   recording-consistency  police and social care on the same episode  rec. 7a, 7b
//   strategy-meetings      alerts that call for one, meetings, plans   rec. 7d
//   out-of-area            children placed out, placed in, at home     rec. 7c
//   providers              residential homes                           rec. 3
//   alerts                 raised, acknowledged in time, escalated     rec. 1
//   ssda903-missing        the SSDA903 Missing table (statutory)       brief §4
//   annex-a-missing        Ofsted Annex A List 8 (statutory)           brief §4
//
// Pure: the same facts and request give the same report.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORTS_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/aggregator/domain/reports/report.h"
#include "services/aggregator/domain/reports/report_facts.h"

namespace homeward::aggregator::reports {

struct ReportInfo {
  std::string name;
  std::string title;
  std::string description;
  bool statutory = false;  // lists children: RunStatutoryReturn, coordinators of the authority only
  bool uses_alerts = false;
};

// Every report and return, in the order they are listed.
const std::vector<ReportInfo>& Catalog();
const ReportInfo* FindReport(absl::string_view name);

// INVALID_ARGUMENT naming the problem: an unknown report (listing those there are), a period
// that is inverted or longer than kMaxReportYears, an as-at time after `now`, a threshold below 1.
absl::Status CheckRequest(const ReportRequest& request, absl::Time now);

// The aggregate report `request.name` (not a statutory one). REQUIRES: CheckRequest was OK.
absl::StatusOr<Report> BuildReport(const CityFacts& facts, const FactOptions& options, const ReportRequest& request);
// The statutory return `request.name`, for `request.authority` (which must be given).
absl::StatusOr<StatutoryReturn> BuildReturn(const CityFacts& facts, const FactOptions& options,
                                            const ReportRequest& request);

// The builders, one per file.
Report RhiCompliance(const CityFacts& facts, const FactOptions& options, const ReportRequest& request);
Report EpisodesAndChildren(const CityFacts& facts, const FactOptions& options, const ReportRequest& request);
Report Normalisation(const CityFacts& facts, const FactOptions& options, const ReportRequest& request);
Report RecordingConsistency(const CityFacts& facts, const FactOptions& options, const ReportRequest& request);
Report StrategyMeetings(const CityFacts& facts, const FactOptions& options, const ReportRequest& request);
Report OutOfArea(const CityFacts& facts, const FactOptions& options, const ReportRequest& request);
Report Providers(const CityFacts& facts, const FactOptions& options, const ReportRequest& request);
Report AlertsReport(const CityFacts& facts, const FactOptions& options, const ReportRequest& request);
StatutoryReturn Ssda903Missing(const CityFacts& facts, const FactOptions& options, const ReportRequest& request);
StatutoryReturn AnnexAMissing(const CityFacts& facts, const FactOptions& options, const ReportRequest& request);

// The SSDA903 validation rules on a Missing table's rows (columns CHILD, DOB, MISSING,
// MIS_START, MIS_END, as Ssda903Missing writes them) for the collection period [from, to]:
// 570 (start after the period), 571 (end outside it), 574 (a period starting while the previous
// one is open, or overlapping it), and the table's own: CHILD, DOB, MISSING (M or A) and
// MIS_START present and well-formed, MIS_END not before MIS_START. Rule 575 needs placements and
// is checked by Ssda903Missing. Written from the rules' wording, independently of the extract.
std::vector<Finding> Validate903Missing(const std::vector<std::vector<std::string>>& rows, absl::CivilDay from,
                                        absl::CivilDay to);

}  // namespace homeward::aggregator::reports

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORTS_H_
