// File: source_row.h
//
// One record of an agency export, whatever its file format: a CSV row, or one entry of a JSON
// export flattened to named fields. Adapters' mappings read fields by name through MappedRow.
#ifndef HOMEWARD_SERVICES_ADAPTERS_DOMAIN_SOURCE_ROW_H_
#define HOMEWARD_SERVICES_ADAPTERS_DOMAIN_SOURCE_ROW_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace homeward::adapters {

class SourceRow {
 public:
  // `location` says where the record is, for rejections: "line 12" or "/children/3/placements/0".
  SourceRow(std::string location, absl::flat_hash_map<std::string, std::string> fields)
      : location_(std::move(location)), fields_(std::move(fields)) {}

  const std::string& location() const { return location_; }

  // The trimmed value of `name`, or "" if the field is absent or blank.
  std::string Get(absl::string_view name) const {
    const auto it = fields_.find(name);
    return it == fields_.end() ? "" : std::string(absl::StripAsciiWhitespace(it->second));
  }
  bool Has(absl::string_view name) const { return fields_.contains(name); }

 private:
  std::string location_;
  absl::flat_hash_map<std::string, std::string> fields_;
};

// A whole export: the records in file order, and the ones too broken to be records at all.
struct SourceTable {
  // Field names present in the file (a CSV header); empty when every record carries its own.
  std::vector<std::string> columns;
  std::vector<SourceRow> rows;
  // (location, reason) for records that could not be read (wrong field count, not an object).
  std::vector<std::pair<std::string, std::string>> malformed;
};

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_DOMAIN_SOURCE_ROW_H_
