// File: dead_letter.h
//
// The one dead-letter format for messages the hub cannot accept (the aggregator's consumer and
// push ingest; the importer's rejects name a file and line instead, never the record's content).
// A dead letter is a message on homeward.deadletter.v1 whose value is the original bytes, and
// whose header "homeward-reason" is a JSON object: who rejected it, where it came from, why, its
// size and SHA-256.
//
// Nothing accepted is lost, and no message can wedge the path that rejects it: an original too
// large to travel whole (over kMaxWholeBytes, e.g. a megabyte of random bytes on the events
// topic) is dead-lettered by reference — its first kPrefixBytes, with "stored": "reference",
// its size and its hash — so the reject always fits the producer's message limit. The original
// stays at its position in the log (topic, partition, offset) for as long as the log keeps it.
#ifndef HOMEWARD_COMMON_DEAD_LETTER_DEAD_LETTER_H_
#define HOMEWARD_COMMON_DEAD_LETTER_DEAD_LETTER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/publisher.h"

namespace homeward {

struct DeadLetterOrigin {
  std::string rejected_by;  // "aggregator", "ingest"
  // Where the original is in the log, when it came from one (topic "" otherwise).
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  std::string agency_id;  // the caller's agency, for pushed events
  std::string key;        // the dead letter's key: the log position or "<agency>/<record>"
};

// Originals up to this size travel whole; larger ones by reference.
inline constexpr size_t kMaxWholeBytes = 256 * 1024;
// How much of an original travels with a reference (enough to see what it was).
inline constexpr size_t kPrefixBytes = 4 * 1024;

// The dead letter for `original`, rejected for `why`. `force_reference` sends it by reference
// whatever its size (the fallback when the log refused a whole one).
OutboundMessage MakeDeadLetter(const DeadLetterOrigin& origin, absl::string_view original, const absl::Status& why,
                               bool force_reference = false);

// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace homeward

#endif  // HOMEWARD_COMMON_DEAD_LETTER_DEAD_LETTER_H_
