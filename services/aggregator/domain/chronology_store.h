// File: chronology_store.h
//
// The multi-agency chronology (audit rec. 6e): every event from every agency, per child, in
// event-time order, attributed to its source. Late arrivals slot in place; a redelivered event
// (same id) changes nothing; a higher revision of a source-record facet supersedes the lower one,
// which stays listed as superseded (rules-and-scenarios.md, "Conventions"). Identity is an
// IdentityGraph; episodes, profiles and probable matches are derived on request.
//
// Everything here is a function of the set of events applied, not of their order, so replicas
// fed the same events in any interleaving hold identical state, and a rebuild from the log
// reproduces it. Not durable by itself: the aggregator persists events (services/aggregator/store)
// and replays them into a fresh store at start.
//
// Thread safety: safe for concurrent use. Readers share a reader lock (queries run in parallel);
// a writer (Apply, ForgetEvents) holds it alone, and leaves nothing for readers to tidy.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_STORE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_STORE_H_

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/container/node_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/domain/agency_registry.h"
#include "common/domain/event.h"
#include "services/aggregator/domain/child_id.h"
#include "services/aggregator/domain/child_profile.h"
#include "services/aggregator/domain/chronology_entry.h"
#include "services/aggregator/domain/episodes.h"
#include "services/aggregator/domain/identity_graph.h"

namespace homeward::aggregator {

struct ChronologyQuery {
  std::string child;  // a child id or any "<scheme>:<value>" identifier
  std::optional<absl::Time> from;  // inclusive
  std::optional<absl::Time> to;    // exclusive
  std::vector<std::string> agency_ids;  // empty = all
  std::vector<std::string> kinds;       // empty = all
  int page_size = 100;                  // 0 = 100; at most 1000
  std::string page_token;               // from the previous page, or ""
};

struct ChronologyPage {
  ChildId child_id;
  std::vector<std::string> identifiers;
  std::vector<ChronologyEntry> entries;
  int total_entries = 0;
  std::string next_page_token;  // "" on the last page
};

// The page token that continues after `last` (ChronologyQuery.page_token): "<unix nanos>|<id>".
std::string ChronologyPageToken(const ChronologyEntry& last);

enum class ApplyOutcome {
  kAdded,       // a new entry
  kDuplicate,   // this event id was already applied: nothing changed
  kSuperseded,  // replaced a lower revision of the same facet
  kStale,       // a lower revision than the one held: recorded as superseded, not shown
  kPurge,       // a ChildPurged event: its events are forgotten (their ids stay known)
};

// What a child's events say, for the risk rules (alerts.h).
struct ChildFacts {
  ChildId child_id;
  std::vector<std::string> identifiers;  // every identifier linked to the child, sorted
  // Chronology order. The store's own entries, shared: taking them copies pointers (the rules
  // read a child's history after every batch that touches it).
  EntryList entries;
  std::vector<Episode> episodes;  // oldest first
};

struct ChildSummary {
  ChildId child_id;
  std::vector<std::string> identifiers;
  std::vector<std::string> names;
  std::optional<absl::CivilDay> date_of_birth;
  Sex sex = Sex::kUnspecified;  // as the latest record giving it says
};

// Two children whose records agree on name and date of birth (and sex, where both give it) but
// share no strong identifier: for a coordinator to confirm or reject, never merged silently.
struct ProbableMatch {
  ChildSummary a;  // a.child_id < b.child_id
  ChildSummary b;
  std::string evidence;  // e.g. "same name and date of birth: jay testchild 2011-03-14"
};

// What a retention purge removed.
struct PurgedChild {
  ChildId child_id;
  std::vector<std::string> event_ids;  // every revision, and identity decisions naming the child; sorted
};

class ChronologyStore {
 public:
  explicit ChronologyStore(EpisodeOptions episode_options = {}) : episode_options_(episode_options) {}
  ChronologyStore(const ChronologyStore&) = delete;
  ChronologyStore& operator=(const ChronologyStore&) = delete;

  // Applies one validated event. REQUIRES: ValidateEvent(event) was OK. `fingerprint` (any
  // value, the same for the same bytes within this process) is kept with the id, so a later
  // message with this id can be told a redelivery (same) from a conflict (HeldFingerprint).
  // Pass an event no longer needed by move: the entry is filed without copying it.
  ApplyOutcome Apply(Event event, absl::Time received_at, uint64_t fingerprint = 0) ABSL_LOCKS_EXCLUDED(mu_);

  // Whether the id is held, and with which fingerprint (0: unknown, e.g. purged).
  std::optional<uint64_t> HeldFingerprint(const std::string& event_id) const ABSL_LOCKS_EXCLUDED(mu_);

  // When the current missing report of agency record (`agency_id`, `source_record`) says the
  // absence began (its occurred_at), if one is held: a found record of the same agency record
  // must not be dated before it (CheckReturnAfterReport).
  std::optional<absl::Time> ReportStart(const std::string& agency_id, const std::string& source_record) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // NOT_FOUND if no event names the child; INVALID_ARGUMENT for a malformed identifier, an
  // empty or inverted time range, a page size outside 0..1000, a page token not from us, or a
  // kind or agency no record has (a typo would otherwise list nothing, as if there were nothing),
  // naming the kinds or agencies there are.
  absl::StatusOr<ChronologyPage> Query(const ChronologyQuery& query) const ABSL_LOCKS_EXCLUDED(mu_);
  // The same page without copying it: `visit` gets the page's head (its `entries` empty) and the
  // entries, valid only during the call, which runs under the store's reader lock (so it must
  // not call back into the store). Errors as Query, and then `visit` is not called.
  absl::Status VisitPage(
      const ChronologyQuery& query,
      absl::FunctionRef<void(const ChronologyPage& head, absl::Span<const ChronologyEntry* const> entries)> visit) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // The child id of `child` (an identifier or a child id). Errors as Query.
  absl::StatusOr<ChildId> ResolveChild(const std::string& child) const ABSL_LOCKS_EXCLUDED(mu_);
  // The child id of `child`, then every other identifier linked to it. Errors as Query.
  absl::StatusOr<std::vector<std::string>> IdentifiersOf(const std::string& child) const ABSL_LOCKS_EXCLUDED(mu_);

  // The child's episodes, oldest first. Errors as Query.
  absl::StatusOr<std::vector<Episode>> Episodes(const std::string& child) const ABSL_LOCKS_EXCLUDED(mu_);

  // The child's profile at `now`. Errors as Query.
  absl::StatusOr<ChildProfile> Profile(const std::string& child, absl::Time now, const ProfileOptions& options = {}) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // Children named by `identifier` (at most one), or whose records give this family name and
  // date of birth (and given name, if not empty); case-insensitive.
  absl::StatusOr<std::vector<ChildSummary>> SearchByIdentifier(const std::string& identifier) const
      ABSL_LOCKS_EXCLUDED(mu_);
  std::vector<ChildSummary> SearchByName(const std::string& family_name, const std::string& given_name,
                                         absl::CivilDay date_of_birth) const ABSL_LOCKS_EXCLUDED(mu_);

  // Whether a coordinator's decision keeps these two children apart (child ids).
  bool KeptSeparate(const ChildId& child_a, const ChildId& child_b) const ABSL_LOCKS_EXCLUDED(mu_);

  // Pending probable matches, ordered by (a, b). A pair a coordinator kept separate is not listed.
  std::vector<ProbableMatch> ProbableMatches() const ABSL_LOCKS_EXCLUDED(mu_);

  // The child an event is about now (its record's first identifier, resolved).
  std::optional<ChildId> ChildOf(const Event& event) const ABSL_LOCKS_EXCLUDED(mu_);
  // The children an event concerns now: for an identity decision, the child of each of its two
  // identifiers (two after a separation); otherwise ChildOf. Sorted, distinct.
  std::vector<ChildId> ChildrenOf(const Event& event) const ABSL_LOCKS_EXCLUDED(mu_);
  // The current entries of these events (a superseded id gives its facet's current revision),
  // each once, in chronology order; ids not held are left out.
  std::vector<ChronologyEntry> EntriesById(const std::vector<std::string>& event_ids) const ABSL_LOCKS_EXCLUDED(mu_);
  // The child whose chronology holds the event `event_id` now (links and separations move a
  // record's events between children, never out of the store), if it is held and current.
  std::optional<ChildId> ChildOfEvent(const std::string& event_id) const ABSL_LOCKS_EXCLUDED(mu_);
  // Every child id, sorted.
  std::vector<ChildId> Children() const ABSL_LOCKS_EXCLUDED(mu_);
  // Children with no entry received at or after `cutoff` (retention), sorted.
  std::vector<ChildId> ChildrenQuietSince(absl::Time cutoff) const ABSL_LOCKS_EXCLUDED(mu_);
  // The child's entries and episodes. Errors as Query.
  absl::StatusOr<ChildFacts> Facts(const std::string& child) const ABSL_LOCKS_EXCLUDED(mu_);
  // The same without reconciling the episodes (`episodes` left empty), for a caller that needs
  // them only when the entries hold something: ReconcileEpisodes(entries, episode_options())
  // then gives what Facts would have.
  absl::StatusOr<ChildFacts> FactsWithoutEpisodes(const std::string& child) const ABSL_LOCKS_EXCLUDED(mu_);
  const EpisodeOptions& episode_options() const { return episode_options_; }

  // The child id of `child` and the authorities whose coordinators may see them
  // (ChildAuthorities, as `registry` entitles), without copying the chronology. Errors as Query.
  struct Scope {
    ChildId child_id;
    std::vector<std::string> identifiers;  // every identifier linked to the child, sorted
    std::vector<std::string> authorities;
  };
  absl::StatusOr<Scope> ScopeOf(const std::string& child, const std::string& home_authority,
                                const AgencyRegistry& registry) const ABSL_LOCKS_EXCLUDED(mu_);

  // What a purge of the child removes: every entry (with its superseded revisions) and every
  // identity decision naming the child's identifiers. Changes nothing. Errors as Query.
  absl::StatusOr<PurgedChild> PurgePlan(const std::string& child) const ABSL_LOCKS_EXCLUDED(mu_);
  // Forgets these events (a ChildPurged event, on every replica): their entries, the identifiers
  // and names only they gave, and the decisions they were. The ids stay known, so a redelivery
  // is a duplicate, not a return. Returns how many were held.
  size_t ForgetEvents(const std::vector<std::string>& event_ids) ABSL_LOCKS_EXCLUDED(mu_);
  // PurgePlan, then ForgetEvents (one replica, in memory: tests and tools).
  absl::StatusOr<PurgedChild> Purge(const std::string& child) ABSL_LOCKS_EXCLUDED(mu_);
  // Marks purged event ids (from the durable store at start) as seen, so they are never applied.
  void MarkPurged(const std::vector<std::string>& event_ids) ABSL_LOCKS_EXCLUDED(mu_);

  // Distinct event ids applied (including superseded and stale revisions).
  size_t event_count() const ABSL_LOCKS_EXCLUDED(mu_);
  // The latest Event.recorded_at of any event applied (InfinitePast when none): when it is no
  // later than a time T, this store holds exactly the events recorded by T (reports as at T).
  absl::Time latest_recorded_at() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // What is known of one source-record facet: every revision applied (superseded, stale and
  // purged ones too) with its fingerprint, and the current one, if any. Event ids are
  // "<facet>@<revision>" (ValidateEvent), so no id is held as a string of its own.
  struct FacetState {
    int64_t revision = 0;  // the current revision, when `key` is set
    // The identifier its entry is filed under (a key of entries_, which does not move); null
    // when no revision is current.
    const std::string* key = nullptr;
    absl::InlinedVector<std::pair<int64_t, uint64_t>, 1> seen;  // revision -> fingerprint

    bool current() const { return key != nullptr; }
    // The fingerprint of `revision`, if it was applied.
    std::optional<uint64_t> Seen(int64_t revision) const;
  };
  // The facet and revision an event id names; nullopt if it does not have that form.
  static std::optional<std::pair<absl::string_view, int64_t>> SplitId(absl::string_view event_id);
  // Records an id as seen with `fingerprint` (overwriting: a purged id's is 0). Returns whether
  // it was seen before.
  bool MarkSeenLocked(absl::string_view event_id, uint64_t fingerprint, bool overwrite)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Family name, given name, date of birth: the probable-match key.
  using NameKey = std::tuple<std::string, std::string, absl::CivilDay>;

  absl::StatusOr<ChildId> ResolveLocked(const std::string& child) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  EntryList EntriesOfLocked(const ChildId& child_id) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The same, in chronology order, without copying (valid while mu_ is held).
  std::vector<const ChronologyEntry*> EntryPointersLocked(const ChildId& child_id) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The merge of the child's identifiers' lists, in chronology order, each entry as `take` gives it.
  template <typename Handle, typename Take>
  std::vector<Handle> MergedLocked(const ChildId& child_id, Take take) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  ChildSummary SummaryLocked(const ChildId& child_id) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Files the entry in `entries` (a list of entries_), in chronology order.
  void Insert(std::vector<EntryList::Shared>& entries, ChronologyEntry entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<PurgedChild> PurgePlanLocked(const std::string& child) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  size_t ForgetLocked(const std::vector<std::string>& event_ids) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const EpisodeOptions episode_options_;
  mutable absl::Mutex mu_;
  IdentityGraph identities_ ABSL_GUARDED_BY(mu_);
  // Current entries filed under one identifier of their record; a child's chronology is the
  // merge of its identifiers' lists, so links and separations never move entries. Sorted. Each
  // entry is allocated alone: a list grows by pointers (not by 800-byte entries, half of them
  // spare capacity), and an insert in the middle moves pointers. Shared, and never changed once
  // filed (a change files a changed copy): Facts hands them out without copying them. A node
  // map, so that a facet's state points at the key its entry is filed under instead of holding
  // a copy of it; a list is erased only once empty, when no facet points at it.
  absl::node_hash_map<std::string, std::vector<EntryList::Shared>> entries_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, FacetState> facets_ ABSL_GUARDED_BY(mu_);
  // Ids seen that are not "<facet>@<revision>" (only a purge can name one), fingerprint 0.
  absl::flat_hash_set<std::string> other_ids_ ABSL_GUARDED_BY(mu_);
  size_t seen_count_ ABSL_GUARDED_BY(mu_) = 0;  // distinct event ids seen
  // "<agency>\x1f<record>" -> the start its current missing report gives.
  absl::flat_hash_map<std::string, absl::Time> report_starts_ ABSL_GUARDED_BY(mu_);
  // Probable-match index: name key -> identifiers filed under it.
  std::map<NameKey, std::set<std::string>> names_ ABSL_GUARDED_BY(mu_);
  // Every note kind and agency id applied (to tell a filter's typo from an empty result).
  std::set<std::string> note_kinds_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> agencies_ ABSL_GUARDED_BY(mu_);
  absl::Time latest_recorded_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_STORE_H_
