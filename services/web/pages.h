// File: pages.h
//
// The workspace's pages, each a pure function from what the hub answered (protobuf messages) to
// a whole HTML document (html.h). The server (server.h) asks the hub on the signed-in person's
// behalf and hands the answers here; nothing here calls anything.
#ifndef HOMEWARD_SERVICES_WEB_PAGES_H_
#define HOMEWARD_SERVICES_WEB_PAGES_H_

#include <map>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "homeward/v1/alert_service.pb.h"
#include "homeward/v1/audit_service.pb.h"
#include "homeward/v1/chronology_service.pb.h"
#include "homeward/v1/report_service.pb.h"
#include "homeward/v1/rules_service.pb.h"
#include "services/web/html.h"

namespace homeward::web {

// ---- signing in ----

// `demo_people`: the development sign-in's demo people (empty in production); `nonce`: the
// sign-in form's double-submit token (also in its cookie).
std::string SignInPage(const std::vector<std::string>& demo_people, absl::string_view nonce, absl::string_view next,
                       absl::string_view error);
std::string PurposePage(const Viewer& viewer, const std::map<std::string, std::string>& lawful_bases,
                        absl::string_view next, absl::string_view error);
std::string HomePage(const Viewer& viewer);
// 400, 403, 404, 409, 429, 500 or 503, with what the hub said (escaped).
std::string ErrorPage(const Viewer* viewer, int status, absl::string_view message);

// ---- a child ----

struct SearchForm {
  std::string identifier;
  std::string family_name;
  std::string given_name;
  std::string date_of_birth;  // YYYY-MM-DD
};
// `results` null: no search yet.
std::string SearchPage(const Viewer& viewer, const SearchForm& form, const v1::SearchChildrenResponse* results,
                       absl::string_view error);
std::string ProfilePage(const Viewer& viewer, const v1::ChildProfile& profile);
std::string EpisodesPage(const Viewer& viewer, const v1::GetEpisodesResponse& episodes);

struct TimelineFilters {
  std::string child;  // as asked
  std::vector<std::string> agencies;
  std::vector<std::string> kinds;
  std::string from;  // YYYY-MM-DD
  std::string to;
  std::vector<std::string> event_ids;  // only these entries (an alert's causes)
};
// The child's records in event-time order, grouped by episode, with the lanes of each agency
// drawn as SVG; `print`: the strategy-meeting pack.
std::string TimelinePage(const Viewer& viewer, const v1::GetChronologyResponse& chronology,
                         const v1::GetEpisodesResponse& episodes, const TimelineFilters& filters, bool print);
// The lanes: one per agency, each record a mark at its time, each episode a band. Accessible:
// role="img" with a title and description, beside the list that says the same in words.
std::string TimelineSvg(const v1::GetChronologyResponse& chronology, const v1::GetEpisodesResponse& episodes);

// ---- alerts ----

struct AlertFilters {
  std::string state = "open";  // "open", "raised", "acknowledged", "actioned", "closed", "withdrawn", "all"
  std::string rule;
  std::string severity;
  std::string child;
  std::string page;            // page token
};
std::string AlertsPage(const Viewer& viewer, const v1::ListAlertsResponse& alerts, const AlertFilters& filters,
                       absl::string_view notice);
// One alert as a row of the queue (also sent to the browser when it changes, server-sent).
std::string AlertRow(const Viewer& viewer, const v1::Alert& alert);
// One alert with the records that caused it.
std::string AlertRecordsPage(const Viewer& viewer, const v1::Alert& alert,
                             const std::vector<v1::ChronologyEntry>& records);

// ---- administrators and auditors ----

std::string MatchesPage(const Viewer& viewer, const v1::ListProbableMatchesResponse& matches, absl::string_view notice,
                        absl::string_view error);
std::string AccessPage(const Viewer& viewer, const v1::ListAccessResponse& entries, absl::string_view child,
                       absl::string_view subject);
std::string VerifyPage(const Viewer& viewer, const v1::VerifyAccessLogResponse& result);

// ---- partnership reports (issue 14) ----

// What the report form asked for, as typed (YYYY-MM-DD days; as_at RFC 3339 or empty).
struct ReportForm {
  std::string name;
  std::string from;
  std::string to;
  std::string authority;
  std::string as_at;
};
// The reports there are; statutory returns only for coordinators.
std::string ReportsPage(const Viewer& viewer, const v1::ListReportsResponse& reports, const ReportForm& form);
// One report: for each section a chart, and the table beside it that gives every figure.
std::string ReportPage(const Viewer& viewer, const v1::Report& report, const ReportForm& form);
// A statutory return: its validation findings, notes and rows, and the CSV download.
std::string ReturnPage(const Viewer& viewer, const v1::StatutoryReturn& ret, const ReportForm& form);
// A section's chart as accessible SVG (role="img", a title and a description naming the table);
// "" when the section has none. `id` must be unique in the page.
std::string ReportChartSvg(const v1::ReportSection& section, const std::string& id);
std::string ReportTable(const v1::ReportSection& section, const std::string& id);
// ---- risk rules (issue 16) ----

// The what-if form as typed: a whole rules file, and the period (YYYY-MM-DD days).
struct WhatIfForm {
  std::string proposed;
  std::string from;
  std::string to;
};
// The rules in force, the what-if form, and (after a run) what the proposal would have raised;
// `error` above the form when the hub refused it.
std::string RulesPage(const Viewer& viewer, const v1::ListRulesResponse& rules, const WhatIfForm& form,
                      const v1::WhatIfResponse* result, absl::string_view error);

// An axis label: "25", "2.5", "50%".
std::string FormatAxis(double value, bool percent);

// ---- pieces several pages share ----

// One chronology entry as a block: when, who, what, in the agency's own words, marked when
// amended, late or withheld; an RHI's push and pull factors and the child's own words shown
// prominently.
std::string EntryBlock(const v1::ChronologyEntry& entry);
// A severity as a coloured tag.
std::string SeverityTag(const v1::Alert& alert);

}  // namespace homeward::web

#endif  // HOMEWARD_SERVICES_WEB_PAGES_H_
