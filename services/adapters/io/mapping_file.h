// File: mapping_file.h
//
// Reads an area's mapping file (config/mappings/*.json; docs/formats/mapping-files.md):
//   {"format": "police-csv", "agency_id": "police.warwickshire", "agency_kind": "police",
//    "issuer": "warwickshire", "time_zone": "Europe/London", "revision": 1,
//    "columns": {"occurrence_ref": "OccurrenceNo", ...},
//    "codes": {"category": {"MFH": "missing", "ABS": "absent"}, ...}}
#ifndef HOMEWARD_SERVICES_ADAPTERS_IO_MAPPING_FILE_H_
#define HOMEWARD_SERVICES_ADAPTERS_IO_MAPPING_FILE_H_

#include <string>

#include "common/file.h"  // ReadWholeFile, for exports and mapping files
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/adapters/domain/source_mapping.h"

namespace homeward::adapters {

// INVALID_ARGUMENT naming the key that is missing or wrong: not JSON, an unknown format or
// agency kind, an unknown time zone, a non-string column or code.
absl::StatusOr<SourceMapping> ParseMappingFile(absl::string_view text);
// As ParseMappingFile; NOT_FOUND if the file cannot be read. Errors name the file.
absl::StatusOr<SourceMapping> LoadMappingFile(const std::string& path);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_IO_MAPPING_FILE_H_
