#include "common/codec/report_csv.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace homeward {
namespace {

std::string Field(std::string v) {
  if (!v.empty() && std::string("=+-@\t\r").find(v[0]) != std::string::npos) v.insert(0, "'");
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string quoted = "\"";
  for (char c : v) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string CsvLine(const std::vector<std::string>& values) {
  std::vector<std::string> fields;
  fields.reserve(values.size());
  for (const std::string& v : values) fields.push_back(Field(v));
  return absl::StrCat(absl::StrJoin(fields, ","), "\r\n");
}

std::string AsAtText(const google::protobuf::Timestamp& as_at) {
  const absl::Time t = absl::FromUnixSeconds(as_at.seconds()) + absl::Nanoseconds(as_at.nanos());
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

std::string ReportCsv(const v1::Report& report) {
  const std::string as_at = AsAtText(report.as_at());
  std::string out = CsvLine({"report", "as_at", "section", "row", "measure", "value", "suppressed"});
  for (const v1::ReportSection& s : report.sections()) {
    for (const v1::ReportRow& r : s.rows()) {
      for (int c = 0; c < r.cells_size() && c < s.columns_size(); ++c) {
        const v1::ReportCell& cell = r.cells(c);
        const std::string value =
            cell.suppressed() || cell.not_applicable() ? cell.display() : absl::StrCat(cell.value());
        absl::StrAppend(&out, CsvLine({report.name(), as_at, s.title(), r.label(), s.columns(c).key(), value,
                                       cell.suppressed() ? "yes" : "no"}));
      }
    }
  }
  return out;
}

std::string ReturnCsv(const v1::StatutoryReturn& ret) {
  std::string out = CsvLine({ret.columns().begin(), ret.columns().end()});
  for (const auto& row : ret.rows()) absl::StrAppend(&out, CsvLine({row.values().begin(), row.values().end()}));
  return out;
}

}  // namespace homeward
