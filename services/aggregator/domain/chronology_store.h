// File: chronology_store.h
//
// The multi-agency chronology (audit rec. 6e): every event from every agency, per child, in
// event-time order, attributed to its source. Late arrivals slot in place; a redelivered event
// (same id) changes nothing; a higher revision of the same source-record facet supersedes the
// lower one, which stays listed as superseded (rules-and-scenarios.md, "Conventions").
//
// In memory: durability, episodes and probable matches are the issue "the shared chronology".
//
// Thread safety: safe for concurrent use (one writer, many readers is the usual pattern).
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_STORE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/aggregator/domain/identity_index.h"

namespace homeward::aggregator {

struct ChronologyEntry {
  Event event;
  std::string kind;     // EntryKind(event)
  std::string summary;  // Summarize(event)
  absl::Time received_at;
  std::vector<std::string> superseded_event_ids;
};

struct ChronologyQuery {
  std::string child;  // a child id or any "<scheme>:<value>" identifier
  std::optional<absl::Time> from;  // inclusive
  std::optional<absl::Time> to;    // exclusive
  std::vector<std::string> agency_ids;  // empty = all
  std::vector<std::string> kinds;       // empty = all
  int page_size = 100;                  // 1..1000
  std::string page_token;               // from the previous page, or ""
};

struct ChronologyPage {
  std::string child_id;
  std::vector<std::string> identifiers;
  std::vector<ChronologyEntry> entries;
  int total_entries = 0;
  std::string next_page_token;  // "" on the last page
};

enum class ApplyOutcome {
  kAdded,       // a new entry
  kDuplicate,   // this event id was already applied: nothing changed
  kSuperseded,  // replaced a lower revision of the same facet
  kStale,       // a lower revision than the one held: recorded as superseded, not shown
};

class ChronologyStore {
 public:
  ChronologyStore() = default;
  ChronologyStore(const ChronologyStore&) = delete;
  ChronologyStore& operator=(const ChronologyStore&) = delete;

  // Applies one validated event. REQUIRES: ValidateEvent(event) was OK.
  ApplyOutcome Apply(const Event& event, absl::Time received_at) ABSL_LOCKS_EXCLUDED(mu_);

  // NOT_FOUND if no event names the child; INVALID_ARGUMENT for a malformed identifier, an
  // empty or inverted time range, a page size outside 0..1000 or a page token not from us.
  absl::StatusOr<ChronologyPage> Query(const ChronologyQuery& query) const ABSL_LOCKS_EXCLUDED(mu_);

  // Number of distinct event ids applied (including duplicates' originals, superseded, stale).
  size_t event_count() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // Where the current revision of a source-record facet lives.
  struct FacetHead {
    int64_t revision = 0;
    std::string event_id;
    std::string identity;  // one identifier of its child, to find the child after links
  };

  std::vector<ChronologyEntry>& EntriesOf(const std::string& child_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Insert(const std::string& child_id, ChronologyEntry entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string ResolveChild(const Event& event) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  IdentityIndex identities_ ABSL_GUARDED_BY(mu_);
  // Entries per child id, sorted by (occurred_at, event_id).
  absl::flat_hash_map<std::string, std::vector<ChronologyEntry>> entries_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, FacetHead> facets_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> seen_ids_ ABSL_GUARDED_BY(mu_);
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_STORE_H_
