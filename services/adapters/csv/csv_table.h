// File: csv_table.h
//
// An agency's CSV export as a header and rows, parsed by libcsv (RFC 4180: quoted fields,
// embedded commas and newlines, doubled quotes). Each row remembers its line number so that a
// rejection can name it.
#ifndef HOMEWARD_SERVICES_ADAPTERS_CSV_CSV_TABLE_H_
#define HOMEWARD_SERVICES_ADAPTERS_CSV_CSV_TABLE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace homeward::adapters {

// One data row: field values by header name.
class CsvRow {
 public:
  CsvRow(int line, absl::flat_hash_map<std::string, std::string> fields)
      : line_(line), fields_(std::move(fields)) {}

  // The line the row starts on (the header is line 1).
  int line() const { return line_; }
  // The trimmed value of `column`, or "" if the column is absent or blank.
  std::string Get(absl::string_view column) const;

 private:
  int line_;
  absl::flat_hash_map<std::string, std::string> fields_;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  // Rows whose field count differs from the header's: (line, reason). Not in `rows`.
  std::vector<std::pair<int, std::string>> malformed;
};

// Parses CSV text. INVALID_ARGUMENT if the text is not CSV at all (unterminated quote at end of
// input, no header). A row with the wrong number of fields does not fail the table; it is listed
// in `malformed` so the good rows still go through.
absl::StatusOr<CsvTable> ParseCsv(absl::string_view text);

// Reads and parses a file; NOT_FOUND if it cannot be read.
absl::StatusOr<CsvTable> ReadCsvFile(const std::string& path);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_CSV_CSV_TABLE_H_
