#include "services/adapters/domain/formats.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/adapters/domain/other_mappings.h"
#include "services/adapters/domain/police_mapping.h"

namespace homeward::adapters {

absl::StatusOr<Format> FindFormat(absl::string_view name) {
  static const auto* formats = new std::vector<Format>{
      {"police-csv", FileKind::kCsv, PoliceColumns(), &MapPoliceRow},
      {"care-home-csv", FileKind::kCsv, CareHomeColumns(), &MapCareHomeRow},
      {"rhi-csv", FileKind::kCsv, RhiColumns(), &MapRhiRow},
      {"note-csv", FileKind::kCsv, NoteColumns(), &MapNoteRow},
      {"ssda903-missing-csv", FileKind::kCsv, Ssda903Columns(), &MapSsda903Row},
      {"social-care-json", FileKind::kSocialCareJson, {}, &MapSocialCareRow},
  };
  std::string known;
  for (const Format& f : *formats) {
    if (f.name == name) return f;
    absl::StrAppend(&known, known.empty() ? "" : ", ", f.name);
  }
  return absl::NotFoundError(absl::StrCat("unknown format '", name, "' (known: ", known, ")"));
}

}  // namespace homeward::adapters
