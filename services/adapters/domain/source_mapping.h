// File: source_mapping.h
//
// How one agency's export maps onto Homeward's canonical fields. Formats differ between areas
// (column names, codes), so this is configuration: a new area needs a mapping file
// (config/mappings/*.json, read by LoadSourceMapping in services/adapters/mapping), not code.
//
// A MappedRow reads a SourceRow through a mapping: canonical field names in, the area's column
// names and codes translated.
#ifndef HOMEWARD_SERVICES_ADAPTERS_DOMAIN_SOURCE_MAPPING_H_
#define HOMEWARD_SERVICES_ADAPTERS_DOMAIN_SOURCE_MAPPING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/adapters/domain/source_row.h"

namespace homeward::adapters {

struct SourceMapping {
  // Which mapper reads the records: "police-csv", "care-home-csv", "rhi-csv", "note-csv",
  // "ssda903-missing-csv" or "social-care-json" (see formats.h).
  std::string format;
  std::string agency_id;   // the producing agency, e.g. "police.west-midlands"
  AgencyKind agency_kind = AgencyKind::kUnspecified;
  // Qualifies the agency's own person ids: the police force for police person ids, the local
  // authority for LA child ids.
  std::string issuer;
  absl::TimeZone time_zone = absl::UTCTimeZone();  // for times written without an offset
  // Revision for formats whose records carry no version (the SSDA903 return: its year).
  int64_t default_revision = 1;
  // canonical field -> this area's column name. Fields not listed use the canonical name.
  absl::flat_hash_map<std::string, std::string> columns;
  // canonical field -> (this area's code, upper-cased -> canonical code).
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, std::string>> codes;
};

class MappedRow {
 public:
  // Both must outlive the MappedRow.
  MappedRow(const SourceRow& row, const SourceMapping& mapping) : row_(row), mapping_(mapping) {}

  const std::string& location() const { return row_.location(); }
  const SourceMapping& mapping() const { return mapping_; }

  // The column this area uses for `field`.
  std::string Column(absl::string_view field) const;
  // The trimmed value of `field`, or "".
  std::string Get(absl::string_view field) const;
  // INVALID_ARGUMENT "<column>: required" when empty.
  absl::StatusOr<std::string> Required(absl::string_view field) const;
  // The value of `field` translated through the mapping's code table for it (case-insensitive);
  // a value with no entry is returned as written, for the mapper to accept or reject.
  std::string Code(absl::string_view field) const;
  // `value` translated through the code table for `field` (for values inside a list field).
  std::string Translate(absl::string_view field, absl::string_view value) const;
  // The codes this area's table for `field` lists (upper-cased, sorted); empty without a table.
  std::vector<std::string> Codes(absl::string_view field) const;

 private:
  const SourceRow& row_;
  const SourceMapping& mapping_;
};

// The canonical columns a format's export must carry, in this area's names (for the whole-file
// check before anything is published).
std::vector<std::string> AreaColumns(const SourceMapping& mapping, const std::vector<std::string>& canonical);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_DOMAIN_SOURCE_MAPPING_H_
