// File: social_care_json.h
//
// A children's social care JSON export (docs/formats/social-care-json.md) flattened into one
// SourceRow per entry, so it is mapped like any other export:
//   {"agency_id": "lcs.coventry",
//    "children": [{"la_child_id": "...", "nhs_number": "...", ...,
//                  "placements": [{...}], "missing_episodes": [{...}], "strategy_meetings": [{...}]}]}
// Each row holds the child's fields, the entry's fields, `entry_type` (placement,
// missing_episode, strategy_meeting) and the file's agency_id unless the entry names its own.
// Booleans become "Y"/"N", numbers their text, arrays of strings a ';'-separated list.
#ifndef HOMEWARD_SERVICES_ADAPTERS_IO_SOCIAL_CARE_JSON_H_
#define HOMEWARD_SERVICES_ADAPTERS_IO_SOCIAL_CARE_JSON_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/adapters/domain/source_row.h"

namespace homeward::adapters {

// INVALID_ARGUMENT if the text is not JSON or has no "children" array. A child or entry of the
// wrong shape is listed in `malformed` with its JSON pointer; the rest still go through.
absl::StatusOr<SourceTable> ParseSocialCareJson(absl::string_view text);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_IO_SOCIAL_CARE_JSON_H_
