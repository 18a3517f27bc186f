// Fuzz target: bytes from Kafka or push ingest -> homeward.v1.Event -> validation. Whatever the
// bytes, decoding and validation answer with a status (no crash, no hang), and an event they
// accept survives a round trip through the codec unchanged.
#include <cstdint>
#include <cstdlib>

#include "common/codec/event_codec.h"
#include "common/domain/event_validation.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace homeward;
  absl::StatusOr<Event> event = DecodeEvent(absl::string_view(reinterpret_cast<const char*>(data), size));
  if (!event.ok()) return 0;
  if (!ValidateEvent(*event, fuzz::FixedNow()).ok()) return 0;
  (void)Summarize(*event);
  const std::string once = EncodeEvent(*event);
  absl::StatusOr<Event> again = DecodeEvent(once);
  if (!again.ok() || EncodeEvent(*again) != once) std::abort();  // an accepted event must round-trip
  return 0;
}
