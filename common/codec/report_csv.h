// File: report_csv.h
//
// Reports and statutory returns as CSV (RFC 4180: quoted where needed, CRLF line ends), the same
// from the `homeward` CLI and the web workspace's download:
//  - a report as one tidy table: report, as_at, section, row, measure, value, suppressed; a
//    withheld value is its display ("<5", "[c]"), never the figure;
//  - a return as the return's own columns and rows.
// A cell that starts with = + - @ (which a spreadsheet would run as a formula) gets a leading
// apostrophe (OWASP's advice against CSV injection): agency text reaches these files.
#ifndef HOMEWARD_COMMON_CODEC_REPORT_CSV_H_
#define HOMEWARD_COMMON_CODEC_REPORT_CSV_H_

#include <string>
#include <vector>

#include "homeward/v1/report_service.pb.h"

namespace homeward {

// A report's as-at time as the RFC 3339 text that runs it again for the same figures (UTC, with
// fractional seconds when it has them: the default as-at is the moment of the run).
std::string AsAtText(const google::protobuf::Timestamp& as_at);

std::string CsvLine(const std::vector<std::string>& values);
std::string ReportCsv(const v1::Report& report);
std::string ReturnCsv(const v1::StatutoryReturn& ret);

}  // namespace homeward

#endif  // HOMEWARD_COMMON_CODEC_REPORT_CSV_H_
