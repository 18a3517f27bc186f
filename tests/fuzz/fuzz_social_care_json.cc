// Fuzz target: the social-care case system's JSON export, parsed and mapped (placements, missing
// from care, strategy meetings). Malformed records are errors; nothing crashes or hangs.
#include <cstdint>

#include "services/adapters/io/social_care_json.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace homeward;
  absl::StatusOr<adapters::SourceTable> table =
      adapters::ParseSocialCareJson(absl::string_view(reinterpret_cast<const char*>(data), size));
  if (!table.ok()) return 0;
  for (const auto& [mapping, format] : fuzz::Mappings()) {
    if (format.file_kind != adapters::FileKind::kSocialCareJson) continue;
    for (const adapters::SourceRow& row : table->rows) (void)format.map(adapters::MappedRow(row, mapping), fuzz::FixedNow());
  }
  return 0;
}
