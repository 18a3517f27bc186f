#include "services/adapters/io/csv_table.h"

#include <csv.h>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace homeward::adapters {
namespace {

// Collects libcsv's field and record callbacks into records, tracking line numbers.
struct Collector {
  std::vector<std::string> current;
  std::vector<std::pair<int, std::vector<std::string>>> records;
  int line = 1;          // line the parser has reached
  int record_start = 1;  // line the current record started on
};

void OnField(void* data, size_t len, void* opaque) {
  auto* c = static_cast<Collector*>(opaque);
  c->current.emplace_back(static_cast<const char*>(data), len);
}

void OnRecord(int, void* opaque) {
  auto* c = static_cast<Collector*>(opaque);
  c->records.emplace_back(c->record_start, std::move(c->current));
  c->current.clear();
}

}  // namespace

absl::StatusOr<SourceTable> ParseCsv(absl::string_view text) {
  // Spreadsheet programs save "CSV UTF-8" with a byte-order mark: it is not part of the first
  // column's name. A UTF-16 file is another encoding altogether: say so rather than misread it.
  if (absl::StartsWith(text, "\xFF\xFE") || absl::StartsWith(text, "\xFE\xFF")) {
    return absl::InvalidArgumentError(
        "the file is UTF-16 (Unicode text); save it as CSV UTF-8 (comma delimited) and import that");
  }
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT_FINI) != 0) {
    return absl::InternalError("cannot initialise CSV parser");
  }
  Collector collector;
  // Feed line by line so each record knows the line it started on.
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    end = end == absl::string_view::npos ? text.size() : end + 1;
    const size_t n = csv_parse(&parser, text.data() + pos, end - pos, &OnField, &OnRecord, &collector);
    if (n != end - pos) {
      const std::string err = csv_strerror(csv_error(&parser));
      csv_free(&parser);
      return absl::InvalidArgumentError(absl::StrCat("line ", collector.line, ": ", err));
    }
    ++collector.line;
    // Outside a quoted field, a newline ends the record: the next one starts on the next line.
    if (parser.pstate == 0 /* ROW_NOT_BEGUN */) collector.record_start = collector.line;
    pos = end;
  }
  // libcsv only reports this in strict mode, which would also refuse the whole file for one
  // stray quote mid-row; check it here instead (FIELD_BEGUN inside quotes at end of input).
  if (parser.pstate == 2 && parser.quoted) {
    csv_free(&parser);
    return absl::InvalidArgumentError(
        absl::StrCat("line ", collector.record_start, ": quoted field never closed"));
  }
  if (csv_fini(&parser, &OnField, &OnRecord, &collector) != 0) {
    const std::string err = csv_strerror(csv_error(&parser));
    csv_free(&parser);
    return absl::InvalidArgumentError(absl::StrCat("line ", collector.record_start, ": ", err));
  }
  csv_free(&parser);

  if (collector.records.empty()) return absl::InvalidArgumentError("no header row");
  SourceTable table;
  for (auto& field : collector.records.front().second) {
    table.columns.push_back(std::string(absl::StripAsciiWhitespace(field)));
  }
  for (size_t i = 1; i < collector.records.size(); ++i) {
    auto& [line, fields] = collector.records[i];
    if (fields.size() == 1 && absl::StripAsciiWhitespace(fields[0]).empty()) continue;  // blank line
    if (fields.size() != table.columns.size()) {
      table.malformed.emplace_back(absl::StrCat("line ", line), absl::StrCat("expected ", table.columns.size(),
                                                                             " fields, found ", fields.size()));
      continue;
    }
    absl::flat_hash_map<std::string, std::string> by_name;
    for (size_t f = 0; f < fields.size(); ++f) by_name[table.columns[f]] = std::move(fields[f]);
    table.rows.emplace_back(absl::StrCat("line ", line), std::move(by_name));
  }
  return table;
}


}  // namespace homeward::adapters
