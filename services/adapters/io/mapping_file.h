// File: mapping_file.h
//
// Reads an area's mapping file (config/mappings/*.json; docs/formats/README.md):
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

// INVALID_ARGUMENT naming the key that is missing or wrong: not JSON; a key that is not one of
// the above ("ageny_id: not a mapping file key (did you mean agency_id?)"); an unknown format,
// agency kind or time zone; a non-string column or code; under "columns", a field the format
// does not read ("columns.ocurrence_ref: not a field of police-csv (did you mean
// occurrence_ref?)"); under "codes", a field with no code table in the format, or a code mapped
// to a value the field's parser refuses ("codes.category.MFH: 'mising' is not a category
// (missing, absent, away)"). Checked whole at load, so a mistake is not blamed on every row.
absl::StatusOr<SourceMapping> ParseMappingFile(absl::string_view text);
// As ParseMappingFile; NOT_FOUND if the file cannot be read. Errors name the file.
absl::StatusOr<SourceMapping> LoadMappingFile(const std::string& path);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_IO_MAPPING_FILE_H_
