// File: chronology_reply.h
//
// GetChronology's reply assembled from each entry's serialised form (issue 15). An entry's
// homeward.v1.ChronologyEntry is encoded once and kept (EntryWireCache); a reply is the page's
// head followed by those bytes as field 3, `entries`: exactly how GetChronologyResponse is
// encoded, so every client parses it as before. Only the entries a caller's masks can touch
// (by agency kind and payload type) are decoded, masked and encoded again.
//
// Thread safety: EntryWireCache is safe for concurrent use; AssembleChronologyReply is a function.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_CHRONOLOGY_REPLY_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_CHRONOLOGY_REPLY_H_

#include <array>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/access/access_policy.h"
#include "common/access/masking.h"
#include "common/domain/limits.h"
#include "services/aggregator/domain/chronology_store.h"

namespace homeward::aggregator {

// An entry as encoded, with what the encoding depends on beyond the event id: the superseded
// revisions it lists (a stale revision arriving later adds one, so the entry is encoded again).
struct EncodedEntry {
  std::string bytes;  // homeward.v1.ChronologyEntry, unmasked
  std::vector<std::string> superseded_event_ids;
};

// Encoded entries by event id, at most `max_bytes` of them (oldest encodings dropped first).
class EntryWireCache {
 public:
  explicit EntryWireCache(size_t max_bytes = kDefaultMaxBytes) : max_shard_bytes_(max_bytes / kShards) {}
  static constexpr size_t kDefaultMaxBytes = size_t{64} << 20;

  // The entry's encoding, made now if not held (or if the entry changed since).
  std::shared_ptr<const EncodedEntry> Get(const ChronologyEntry& entry);
  size_t bytes() const;

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable absl::Mutex mu;
    absl::flat_hash_map<std::string, std::shared_ptr<const EncodedEntry>> held ABSL_GUARDED_BY(mu);
    std::deque<std::string> order ABSL_GUARDED_BY(mu);  // insertion order, for dropping
    size_t bytes ABSL_GUARDED_BY(mu) = 0;
  };
  const size_t max_shard_bytes_;
  std::array<Shard, kShards> shards_;
};

struct ChronologyReply {
  std::string bytes;  // a homeward.v1.GetChronologyResponse
  int entries = 0;    // entries in it (fewer than the page's if the reply limit cut it short)
  std::set<std::string> withheld;  // fields withheld by masks
};

// The reply for a page (ChronologyStore::VisitPage's head and entries) as `reader` may see it,
// within `max_bytes` (docs/limits.md): past it, the page ends early (at least one entry) and
// its token goes on from the last entry kept.
ChronologyReply AssembleChronologyReply(const ChronologyPage& head, absl::Span<const ChronologyEntry* const> entries,
                                        EntryWireCache& cache, const std::vector<access::MaskRule>& masks,
                                        const access::Principal& reader, size_t max_bytes = limits::kMaxReplyBytes);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_CHRONOLOGY_REPLY_H_
