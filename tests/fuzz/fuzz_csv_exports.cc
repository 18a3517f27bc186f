// Fuzz target: an agency's CSV export, read by libcsv and mapped by every CSV mapping shipped
// (police forces, care home, RHI, education, health, the 903 return). Bad rows are answered with
// errors; nothing crashes or hangs.
#include <cstdint>

#include "services/adapters/io/csv_table.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace homeward;
  absl::StatusOr<adapters::SourceTable> table =
      adapters::ParseCsv(absl::string_view(reinterpret_cast<const char*>(data), size));
  if (!table.ok()) return 0;
  for (const auto& [mapping, format] : fuzz::Mappings()) {
    if (format.file_kind != adapters::FileKind::kCsv) continue;
    for (const adapters::SourceRow& row : table->rows) (void)format.map(adapters::MappedRow(row, mapping), fuzz::FixedNow());
  }
  return 0;
}
