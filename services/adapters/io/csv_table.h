// File: csv_table.h
//
// Agency CSV exports as SourceTables, parsed by libcsv (RFC 4180: quoted fields, embedded
// commas and newlines, doubled quotes). Each row's location is "line N" (the header is line 1).
#ifndef HOMEWARD_SERVICES_ADAPTERS_IO_CSV_TABLE_H_
#define HOMEWARD_SERVICES_ADAPTERS_IO_CSV_TABLE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/adapters/domain/source_row.h"

namespace homeward::adapters {

// Parses CSV text. INVALID_ARGUMENT if the text is not CSV at all (a quoted field never closed,
// no header, a UTF-16 file). A leading UTF-8 byte-order mark is skipped. A row with the wrong number of fields does not fail the table; it is listed in
// `malformed` so the good rows still go through.
absl::StatusOr<SourceTable> ParseCsv(absl::string_view text);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_IO_CSV_TABLE_H_
