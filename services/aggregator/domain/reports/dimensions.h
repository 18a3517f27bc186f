// File: dimensions.h
//
// The ways every report splits its figures (issue 14, point 4): by month, authority, age band,
// sex, looked after or not, and in or out of area; and which episodes a report on an authority
// counts. Shared by the reports in this directory. Pure.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_DIMENSIONS_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_DIMENSIONS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/aggregator/domain/reports/report.h"
#include "services/aggregator/domain/reports/report_facts.h"
#include "services/aggregator/domain/reports/tabulate.h"

namespace homeward::aggregator::reports {

// "Jan 2026": the month of `t` in the request's zone.
std::string MonthLabel(absl::Time t, const ReportRequest& request);
// Every month the period touches, in order.
std::vector<std::string> MonthsOf(const ReportRequest& request);

// "1st", "2nd", "3rd", "4th", ... "11th", "12th", "13th", "21st".
std::string Ordinal(int n);

// The age bands, youngest first ("Under 10" ... "18 and over", then "Not recorded").
const std::vector<std::string>& AgeBands();
std::string AgeBand(int age);
std::string SexLabel(Sex sex);

// Where the child lived when the episode began, relative to the report's city
// (ReportRequest::City(); audit rec. 7c).
enum class Area { kPlacedOut, kPlacedIn, kPlacedWithin, kAtHome, kElsewhere };
Area AreaOf(const EpisodeFact& e, const ReportRequest& request);
std::string AreaLabel(Area area, const ReportRequest& request);

// Whether a report on `request.authority` counts the episode: every episode when it is "";
// otherwise those of children the authority is responsible for (placing authority, or the
// authority their records name) and of children other authorities placed in it.
bool Concerns(const EpisodeFact& e, const ReportRequest& request);

// The episodes begun in the period that concern the request's authority (Concerns), in order.
std::vector<const EpisodeFact*> EpisodesBegun(const CityFacts& facts, const ReportRequest& request);

// Two dimensions every report on alerts has: the month the rule's condition was met (a line
// chart of `trend`), and the authority the alert went to (rows overlap: an out-of-area child's
// alert goes to both).
Dimension<AlertFact> AlertsByMonth(const ReportRequest& request, std::vector<std::string> trend);
Dimension<AlertFact> AlertsByAuthority(Chart chart);

// The standard dimensions over episodes, each row chosen by `when` (the start, or the return).
// `trend` is the month table's line chart (column keys).
std::vector<Dimension<EpisodeFact>> EpisodeDimensions(const ReportRequest& request,
                                                      std::function<absl::Time(const EpisodeFact&)> when,
                                                      std::vector<std::string> trend,
                                                      std::vector<std::string> bars);

// One section per dimension.
template <typename T>
std::vector<Section> TabulateAll(const std::vector<Measure<T>>& measures, const std::vector<Partition>& partitions,
                                 const std::vector<Dimension<T>>& dimensions, const std::vector<const T*>& units,
                                 int threshold) {
  std::vector<Section> sections;
  for (const Dimension<T>& d : dimensions) sections.push_back(Tabulate(measures, partitions, d, units, threshold));
  return sections;
}

// A Report with the request's period, authority, as-at, zone and threshold filled in.
Report NewReport(const ReportRequest& request, std::string title, std::string description);

}  // namespace homeward::aggregator::reports

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_DIMENSIONS_H_
