// File: adapters.h
//
// Helpers for adapter tests: map one CSV row (or every row) through a mapping.
#ifndef HOMEWARD_TESTS_TESTING_ADAPTERS_H_
#define HOMEWARD_TESTS_TESTING_ADAPTERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/adapters/domain/formats.h"
#include "services/adapters/domain/source_mapping.h"
#include "services/adapters/io/csv_table.h"
#include "tests/testing/events.h"

namespace homeward::testing {

// The mapping for `format` with default columns and codes, as the shipped config would give.
inline adapters::SourceMapping Mapping(const std::string& format, const std::string& agency_id, AgencyKind kind,
                                       const std::string& issuer) {
  adapters::SourceMapping m;
  m.format = format;
  m.agency_id = agency_id;
  m.agency_kind = kind;
  m.issuer = issuer;
  return m;
}

// Maps the single data row of `csv` with `mapping`'s format at TestNow().
inline absl::StatusOr<std::vector<Event>> MapOneCsvRow(const adapters::SourceMapping& mapping,
                                                       const std::string& csv) {
  auto table = adapters::ParseCsv(csv);
  if (!table.ok()) return table.status();
  if (table->rows.size() != 1) return absl::InternalError("test CSV must hold exactly one row");
  auto format = adapters::FindFormat(mapping.format);
  if (!format.ok()) return format.status();
  return format->map(adapters::MappedRow(table->rows[0], mapping), TestNow());
}

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_ADAPTERS_H_
