// File: masking.h
//
// Need to know (golden rule 6: necessary, proportionate, relevant): fields of an event that a
// role does not see, as configuration. A rule names a field path in homeward.v1.Event
// ("return_interview.childs_own_words") and optionally the kind of agency whose records it
// applies to ("health" masks health records only).
#ifndef HOMEWARD_COMMON_ACCESS_MASKING_H_
#define HOMEWARD_COMMON_ACCESS_MASKING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "homeward/v1/event.pb.h"

namespace homeward::access {

struct MaskRule {
  std::string agency_kind;  // "" = every agency; else e.g. "health", "rhi_provider"
  std::string field;        // dotted path of field names in homeward.v1.Event
};

// Parses "field" or "agency_kind:field"; INVALID_ARGUMENT if the path names no field of
// homeward.v1.Event or the agency kind is unknown.
absl::StatusOr<MaskRule> ParseMaskRule(absl::string_view text);

// Clears every field the rules mask in `event`; returns the paths it cleared (only fields that
// held something), so the reader can be told what was withheld.
std::vector<std::string> MaskEvent(const std::vector<MaskRule>& rules, v1::Event& event);

}  // namespace homeward::access

#endif  // HOMEWARD_COMMON_ACCESS_MASKING_H_
