// homeward report [<name>] --from=YYYY-MM-DD --to=YYYY-MM-DD [--authority=...] [--as_at=TIME] [--csv|--json]
//
// Without a name: the reports there are. An aggregate report prints as tables (or, with --csv,
// one tidy CSV: section, row, measure, value); a statutory return (ssda903-missing,
// annex-a-missing) prints as the return's own CSV, its validation findings on stderr.
#include <algorithm>
#include <iostream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/codec/report_csv.h"
#include "homeward/v1/report_service.grpc.pb.h"
#include "services/cli/cli_common.h"
#include "services/cli/commands.h"

ABSL_FLAG(std::string, as_at, "", "report: the log as at this time (RFC 3339, e.g. 2026-12-06T09:00:00Z); default now");
ABSL_FLAG(bool, csv, false, "report: print CSV (a report as section,row,measure,value; a return as the return itself)");
ABSL_DECLARE_FLAG(std::string, from);
ABSL_DECLARE_FLAG(std::string, to);
ABSL_DECLARE_FLAG(std::string, authority);
ABSL_DECLARE_FLAG(bool, json);

namespace homeward::cli {
namespace {

// Reports can rebuild the log as at a past time: give them longer than a lookup.
constexpr absl::Duration kReportDeadline = absl::Minutes(5);

bool ParseDay(const std::string& text, const char* flag, v1::CivilDate* out) {
  absl::CivilDay day;
  if (text.empty()) {
    std::cerr << "homeward report: --" << flag << "=YYYY-MM-DD is required\n";
    return false;
  }
  if (!absl::ParseCivilTime(text, &day)) {
    std::cerr << "homeward report: --" << flag << "='" << text << "' is not a day (YYYY-MM-DD)\n";
    return false;
  }
  out->set_year(static_cast<int32_t>(day.year()));
  out->set_month(day.month());
  out->set_day(day.day());
  return true;
}

// Splits a label into lines of at most `width` characters, at spaces.
std::vector<std::string> Wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    absl::StrAppend(&line, line.empty() ? "" : " ", word);
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

void PrintSection(const v1::ReportSection& s) {
  std::cout << "\n" << s.title() << "\n";
  if (!s.description().empty()) std::cout << s.description() << "\n";
  constexpr size_t kHeaderWidth = 12;
  size_t label_width = s.row_heading().size();
  for (const v1::ReportRow& r : s.rows()) label_width = std::max(label_width, r.label().size());
  std::vector<std::vector<std::string>> headers;
  std::vector<size_t> widths;
  size_t header_lines = 1;
  for (int c = 0; c < s.columns_size(); ++c) {
    headers.push_back(Wrap(s.columns(c).label(), kHeaderWidth));
    size_t w = 0;
    for (const std::string& h : headers.back()) w = std::max(w, h.size());
    for (const v1::ReportRow& r : s.rows()) w = std::max(w, r.cells(c).display().size());
    widths.push_back(w);
    header_lines = std::max(header_lines, headers.back().size());
  }
  for (size_t line = 0; line < header_lines; ++line) {
    const std::string first = line + 1 == header_lines ? s.row_heading() : "";
    std::cout << first << std::string(label_width - first.size(), ' ');
    for (size_t c = 0; c < headers.size(); ++c) {
      // Headers sit on the bottom lines, right-aligned over their figures.
      const size_t offset = header_lines - headers[c].size();
      const std::string h = line >= offset ? headers[c][line - offset] : "";
      std::cout << "  " << std::string(widths[c] - h.size(), ' ') << h;
    }
    std::cout << "\n";
  }
  for (const v1::ReportRow& r : s.rows()) {
    std::cout << r.label() << std::string(label_width - r.label().size(), ' ');
    for (int c = 0; c < r.cells_size(); ++c) {
      const std::string& d = r.cells(c).display();
      // Display strings may hold multi-byte characters ("–"): pad by characters, not bytes.
      const size_t chars = static_cast<size_t>(std::count_if(d.begin(), d.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
      std::cout << "  " << std::string(widths[c] > chars ? widths[c] - chars : 0, ' ') << d;
    }
    std::cout << "\n";
  }
}

int ListReports() {
  v1::ListReportsResponse response;
  const grpc::Status status = v1::ReportService::NewStub(Connect())->ListReports(NewContext().get(), {}, &response);
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(response)) return 0;
  std::cout << "Reports (homeward report <name> --from=YYYY-MM-DD --to=YYYY-MM-DD):\n";
  for (const v1::ReportDescription& r : response.reports()) {
    const std::string head = absl::StrCat("  ", r.name());
    std::cout << head << std::string(head.size() < 26 ? 26 - head.size() : 1, ' ') << r.title()
              << (r.statutory() ? " (statutory return)" : "") << "\n"
              << std::string(26, ' ') << r.description() << "\n";
  }
  std::cout << "Counts below " << response.suppression_threshold() << " are shown as <"
            << response.suppression_threshold() << ".\n";
  return 0;
}

int RunStatutory(const std::string& name, const v1::CivilDate& from, const v1::CivilDate& to,
                 const google::protobuf::Timestamp* as_at) {
  v1::RunStatutoryReturnRequest request;
  request.set_name(name);
  *request.mutable_from() = from;
  *request.mutable_to() = to;
  request.set_authority(absl::GetFlag(FLAGS_authority));
  if (as_at != nullptr) *request.mutable_as_at() = *as_at;
  v1::StatutoryReturn response;
  const grpc::Status status =
      v1::ReportService::NewStub(Connect())->RunStatutoryReturn(NewContext(kReportDeadline).get(), request, &response);
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(response)) return 0;
  std::cout << ReturnCsv(response);
  std::cerr << response.file_name() << ": " << response.rows_size() << " rows for " << response.authority() << ", as at "
            << FormatTime(response.as_at()) << "\n";
  for (const std::string& n : response.notes()) std::cerr << "note: " << n << "\n";
  if (response.findings().empty()) {
    std::cerr << "validation: no findings\n";
  } else {
    std::cerr << "validation: " << response.findings_size() << " finding(s) to correct before submitting:\n";
    for (const v1::ValidationFinding& f : response.findings()) {
      std::cerr << "  rule " << f.rule() << (f.row() > 0 ? absl::StrCat(", row ", f.row()) : "") << ": " << f.message() << "\n";
    }
  }
  return 0;
}

}  // namespace

int Report(const std::string& name) {
  if (name.empty()) return ListReports();
  v1::CivilDate from, to;
  if (!ParseDay(absl::GetFlag(FLAGS_from), "from", &from) || !ParseDay(absl::GetFlag(FLAGS_to), "to", &to)) return 2;
  std::optional<google::protobuf::Timestamp> as_at;
  if (const std::string text = absl::GetFlag(FLAGS_as_at); !text.empty()) {
    absl::Time t;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
      std::cerr << "homeward report: --as_at='" << text << "' is not an RFC 3339 time (2026-12-06T09:00:00Z): " << error
                << "\n";
      return 2;
    }
    as_at.emplace();
    as_at->set_seconds(absl::ToUnixSeconds(t));
    as_at->set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(as_at->seconds())) / absl::Nanoseconds(1)));
  }
  if (name == "ssda903-missing" || name == "annex-a-missing") {
    return RunStatutory(name, from, to, as_at ? &*as_at : nullptr);
  }
  v1::RunReportRequest request;
  request.set_name(name);
  *request.mutable_from() = from;
  *request.mutable_to() = to;
  request.set_authority(absl::GetFlag(FLAGS_authority));
  if (as_at) *request.mutable_as_at() = *as_at;
  v1::Report report;
  const grpc::Status status =
      v1::ReportService::NewStub(Connect())->RunReport(NewContext(kReportDeadline).get(), request, &report);
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(report)) return 0;
  const std::string as_at_text = AsAtText(report.as_at());
  if (absl::GetFlag(FLAGS_csv)) {
    std::cout << ReportCsv(report);
    return 0;
  }
  std::cout << report.title() << "\n" << report.description() << "\n"
            << FormatDate(report.from()) << " to " << FormatDate(report.to()) << " ("
            << report.time_zone() << "); " << (report.authority().empty() ? "every authority" : report.authority())
            << "; as at " << FormatTime(report.as_at()) << " (run again with --as_at=" << as_at_text
            << " for the same figures); counts below " << report.suppression_threshold() << " shown as <"
            << report.suppression_threshold() << ", figures resting on them as [c]\n";
  for (const v1::ReportSection& s : report.sections()) PrintSection(s);
  if (!report.notes().empty()) {
    std::cout << "\nNotes\n";
    for (const std::string& n : report.notes()) std::cout << "- " << n << "\n";
  }
  return 0;
}

}  // namespace homeward::cli
