#include "services/aggregator/domain/chronology_store.h"

#include <algorithm>
#include <tuple>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/domain/child_identifiers.h"
#include "services/aggregator/domain/child_profile.h"

namespace homeward::aggregator {
namespace {

bool Contains(const std::vector<std::string>& set, const std::string& value) {
  return set.empty() || std::find(set.begin(), set.end(), value) != set.end();
}

// The identifiers an event names, sorted; a record naming none stands for itself.
std::vector<std::string> IdentitiesOf(const Event& event) {
  if (const auto* d = std::get_if<IdentityDecision>(&event.payload)) {
    std::vector<std::string> pair = {d->identifier_a, d->identifier_b};
    std::sort(pair.begin(), pair.end());
    return pair;
  }
  std::vector<std::string> ids = StrongIdentifiers(event.child);
  if (ids.empty()) ids.push_back(absl::StrCat("record:", event.agency_id, "/", event.source_record));
  return ids;
}

std::string Normalise(const std::string& name) { return absl::AsciiStrToLower(absl::StripAsciiWhitespace(name)); }

std::string RecordKey(absl::string_view agency_id, absl::string_view source_record) {
  return absl::StrCat(agency_id, "\x1f", source_record);
}

// "<agency>/<record>/<facet>@<revision>" -> "<agency>/<record>/<facet>".
absl::string_view FacetOfId(absl::string_view event_id) {
  const size_t at = event_id.rfind('@');
  return at == absl::string_view::npos ? event_id : event_id.substr(0, at);
}

// The id of a facet's current revision (event ids are "<facet>@<revision>": ValidateEvent).
std::string HeadId(absl::string_view facet, int64_t revision) { return absl::StrCat(facet, "@", revision); }

}  // namespace

std::string ChronologyPageToken(const ChronologyEntry& e) {
  return absl::StrCat(absl::ToUnixNanos(e.event.occurred_at), "|", e.event.event_id);
}

void ChronologyStore::Insert(std::vector<EntryList::Shared>& entries, ChronologyEntry entry) {
  const auto at = std::upper_bound(entries.begin(), entries.end(), entry,
                                   [](const ChronologyEntry& a, const auto& b) { return EntryBefore(a, *b); });
  // An agency names a child the same way in event after event: keep that reference once. Its
  // nearest neighbours in the list (the same identifier's events, in time order) are where an
  // equal one is, if anywhere; looking no further keeps filing O(1) in the list's length.
  constexpr ptrdiff_t kLookAround = 4;
  const ptrdiff_t i = at - entries.begin();
  const ptrdiff_t n = static_cast<ptrdiff_t>(entries.size());
  for (ptrdiff_t j = std::max<ptrdiff_t>(0, i - kLookAround); j < std::min(n, i + kLookAround); ++j) {
    const SharedValue<ChildRef>& held = entries[j]->event.child;
    if (held == entry.event.child) {
      entry.event.child.ShareWith(held);
      break;
    }
  }
  entries.insert(at, std::make_shared<const ChronologyEntry>(std::move(entry)));
}

std::optional<uint64_t> ChronologyStore::FacetState::Seen(int64_t revision) const {
  for (const auto& [r, fingerprint] : seen) {
    if (r == revision) return fingerprint;
  }
  return std::nullopt;
}

std::optional<std::pair<absl::string_view, int64_t>> ChronologyStore::SplitId(absl::string_view event_id) {
  const size_t at = event_id.rfind('@');
  if (at == absl::string_view::npos) return std::nullopt;
  const absl::string_view digits = event_id.substr(at + 1);
  int64_t revision = 0;
  // Only the canonical form ("x@+1" or "x@01" is another id, not revision 1 of x).
  if (!absl::SimpleAtoi(digits, &revision) || absl::StrCat(revision) != digits) return std::nullopt;
  return std::make_pair(event_id.substr(0, at), revision);
}

bool ChronologyStore::MarkSeenLocked(absl::string_view event_id, uint64_t fingerprint, bool overwrite) {
  const auto split = SplitId(event_id);
  if (!split.has_value()) {
    const bool added = other_ids_.insert(std::string(event_id)).second;
    seen_count_ += added ? 1 : 0;
    return !added;
  }
  auto it = facets_.find(split->first);
  if (it == facets_.end()) it = facets_.emplace(std::string(split->first), FacetState{}).first;
  for (auto& [revision, held] : it->second.seen) {
    if (revision != split->second) continue;
    if (overwrite) held = fingerprint;
    return true;
  }
  it->second.seen.emplace_back(split->second, fingerprint);
  ++seen_count_;
  return false;
}

ApplyOutcome ChronologyStore::Apply(Event event, absl::Time received_at, uint64_t fingerprint) {
  absl::MutexLock lock(&mu_);
  if (MarkSeenLocked(event.event_id, fingerprint, /*overwrite=*/false)) return ApplyOutcome::kDuplicate;
  latest_recorded_at_ = std::max(latest_recorded_at_, event.recorded_at);
  if (const auto* purge = std::get_if<ChildPurged>(&event.payload)) {
    ForgetLocked(purge->event_ids);
    return ApplyOutcome::kPurge;
  }
  const std::vector<std::string> ids = IdentitiesOf(event);
  agencies_.insert(event.agency_id);
  if (const auto* note = std::get_if<ChronologyNote>(&event.payload)) note_kinds_.insert(note->kind);
  const std::string facet = FacetKey(event);

  auto it = facets_.find(facet);
  if (it == facets_.end()) it = facets_.emplace(facet, FacetState{}).first;  // only if the id broke its form
  if (it->second.current() && event.revision < it->second.revision) {
    auto& held = entries_[*it->second.key];
    const std::string head_id = HeadId(facet, it->second.revision);
    auto current = std::find_if(held.begin(), held.end(), [&](const auto& e) { return e->event.event_id == head_id; });
    // Filed entries are const: a change files a changed copy.
    auto changed = std::make_shared<ChronologyEntry>(**current);
    auto& superseded = changed->superseded_event_ids;
    superseded.insert(std::upper_bound(superseded.begin(), superseded.end(), event.event_id), event.event_id);
    *current = std::move(changed);
    return ApplyOutcome::kStale;
  }
  ApplyOutcome outcome = ApplyOutcome::kAdded;
  std::vector<std::string> superseded;  // the new entry's lower revisions
  std::optional<std::vector<std::string>> named_before;  // what the superseded revision named
  if (it->second.current()) {  // a higher revision (an equal one has the same id: a duplicate)
    auto& held = entries_[*it->second.key];
    const std::string head_id = HeadId(facet, it->second.revision);
    auto current = std::find_if(held.begin(), held.end(), [&](const auto& e) { return e->event.event_id == head_id; });
    if (!std::holds_alternative<IdentityDecision>((*current)->event.payload)) named_before = IdentitiesOf((*current)->event);
    superseded = (*current)->superseded_event_ids;
    superseded.insert(std::upper_bound(superseded.begin(), superseded.end(), (*current)->event.event_id),
                      (*current)->event.event_id);
    held.erase(current);
    outcome = ApplyOutcome::kSuperseded;
  }
  auto& [filed_under, list] = *entries_.try_emplace(ids.front()).first;
  it->second.revision = event.revision;
  it->second.key = &filed_under;
  if (std::holds_alternative<MissingReported>(event.payload)) {
    report_starts_[RecordKey(event.agency_id, event.source_record)] = event.occurred_at;
  }
  if (const auto* d = std::get_if<IdentityDecision>(&event.payload)) {
    identities_.Decide(d->identifier_a, d->identifier_b, d->link, event.occurred_at, event.event_id);
    if (named_before.has_value()) identities_.RemoveFacet(*named_before);
  } else {
    if (named_before.has_value()) {
      identities_.ReplaceFacet(*named_before, ids);
    } else {
      identities_.AddFacet(ids);
    }
    if (!event.child->family_name.empty() && event.child->date_of_birth.has_value()) {
      names_[{Normalise(event.child->family_name), Normalise(event.child->given_name), *event.child->date_of_birth}]
          .insert(ids.front());
    }
  }
  identities_.Settle();  // readers share the graph under a reader lock: it must not change under them
  Insert(list,
         ChronologyEntry{.event = std::move(event), .received_at = received_at, .superseded_event_ids = std::move(superseded)});
  return outcome;
}

absl::StatusOr<ChildId> ChronologyStore::ResolveLocked(const std::string& child) const {
  auto identifier = ParseChildIdentifier(child);
  if (!identifier.ok()) return identifier.status();
  std::optional<ChildId> child_id = identities_.Find(*identifier);
  if (!child_id.has_value()) return absl::NotFoundError(absl::StrCat("no record names child ", *identifier));
  return *child_id;
}

template <typename Handle, typename Take>
std::vector<Handle> ChronologyStore::MergedLocked(const ChildId& child_id, Take take) const {
  std::vector<Handle> all;
  for (const std::string& member : identities_.Members(child_id)) {
    const auto it = entries_.find(member);
    if (it == entries_.end()) continue;
    const size_t middle = all.size();
    for (const auto& e : it->second) all.push_back(take(e));
    std::inplace_merge(all.begin(), all.begin() + middle, all.end(),
                       [](const auto& a, const auto& b) { return EntryBefore(*a, *b); });
  }
  return all;
}

std::vector<const ChronologyEntry*> ChronologyStore::EntryPointersLocked(const ChildId& child_id) const {
  return MergedLocked<const ChronologyEntry*>(child_id, [](const EntryList::Shared& e) { return e.get(); });
}

EntryList ChronologyStore::EntriesOfLocked(const ChildId& child_id) const {
  return EntryList(MergedLocked<EntryList::Shared>(child_id, [](const EntryList::Shared& e) { return e; }));
}

std::optional<uint64_t> ChronologyStore::HeldFingerprint(const std::string& event_id) const {
  absl::ReaderMutexLock lock(&mu_);
  if (const auto split = SplitId(event_id)) {
    const auto it = facets_.find(split->first);
    if (it == facets_.end()) return std::nullopt;
    return it->second.Seen(split->second);
  }
  return other_ids_.contains(event_id) ? std::optional<uint64_t>(0) : std::nullopt;
}

std::optional<absl::Time> ChronologyStore::ReportStart(const std::string& agency_id,
                                                       const std::string& source_record) const {
  absl::ReaderMutexLock lock(&mu_);
  const auto it = report_starts_.find(RecordKey(agency_id, source_record));
  if (it == report_starts_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<ChronologyStore::Scope> ChronologyStore::ScopeOf(const std::string& child,
                                                               const std::string& home_authority,
                                                               const AgencyRegistry& registry) const {
  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<ChildId> child_id = ResolveLocked(child);
  if (!child_id.ok()) return child_id.status();
  return Scope{.child_id = *child_id,
               .identifiers = identities_.Members(*child_id),
               .authorities = ChildAuthorities(EntryPointersLocked(*child_id), home_authority, registry)};
}

ChildSummary ChronologyStore::SummaryLocked(const ChildId& child_id) const {
  ChildSummary s{.child_id = child_id, .identifiers = identities_.Members(child_id)};
  absl::Time dob_at = absl::InfinitePast();
  for (const ChronologyEntry* e : EntryPointersLocked(child_id)) {
    const ChildRef& c = e->event.child;
    if (c.family_name.empty()) continue;
    const std::string name = absl::StrCat(c.given_name, c.given_name.empty() ? "" : " ", c.family_name);
    if (std::find(s.names.begin(), s.names.end(), name) == s.names.end()) s.names.push_back(name);
    if (c.date_of_birth && e->event.recorded_at >= dob_at) {
      s.date_of_birth = c.date_of_birth;
      dob_at = e->event.recorded_at;
    }
    if (c.sex != Sex::kUnspecified) s.sex = c.sex;
  }
  return s;
}

absl::StatusOr<ChronologyPage> ChronologyStore::Query(const ChronologyQuery& query) const {
  absl::StatusOr<ChronologyPage> out;
  absl::Status status = VisitPage(query, [&](const ChronologyPage& head, absl::Span<const ChronologyEntry* const> entries) {
    out = head;
    out->entries.reserve(entries.size());
    for (const ChronologyEntry* e : entries) out->entries.push_back(*e);
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status ChronologyStore::VisitPage(
    const ChronologyQuery& query,
    absl::FunctionRef<void(const ChronologyPage& head, absl::Span<const ChronologyEntry* const> entries)> visit) const {
  if (query.page_size < 0 || query.page_size > 1000) {
    return absl::InvalidArgumentError(absl::StrCat("page_size ", query.page_size, " outside 0..1000"));
  }
  if (query.from && query.to && *query.from >= *query.to) {
    return absl::InvalidArgumentError("time range: 'from' must be before 'to'");
  }
  std::optional<std::pair<absl::Time, std::string>> after;
  if (!query.page_token.empty()) {
    const size_t bar = query.page_token.find('|');
    int64_t nanos = 0;
    if (bar == std::string::npos || !absl::SimpleAtoi(query.page_token.substr(0, bar), &nanos)) {
      return absl::InvalidArgumentError("page_token: not a token this service issued");
    }
    after.emplace(absl::FromUnixNanos(nanos), query.page_token.substr(bar + 1));
  }

  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<ChildId> child_id = ResolveLocked(query.child);
  if (!child_id.ok()) return child_id.status();
  for (const std::string& kind : query.kinds) {
    const auto& standard = StandardEntryKinds();
    if (std::find(standard.begin(), standard.end(), kind) != standard.end() || note_kinds_.contains(kind)) continue;
    return absl::InvalidArgumentError(absl::StrCat("kinds: no record is of kind '", kind, "' (kinds: ",
                                                   absl::StrJoin(standard, ", "), note_kinds_.empty() ? "" : "; notes: ",
                                                   absl::StrJoin(note_kinds_, ", "), ")"));
  }
  for (const std::string& agency : query.agency_ids) {
    if (agencies_.contains(agency)) continue;
    return absl::InvalidArgumentError(absl::StrCat("agency_ids: no record comes from agency '", agency, "' (agencies: ",
                                                   absl::StrJoin(agencies_, ", "), ")"));
  }
  ChronologyPage head{.child_id = *child_id, .identifiers = identities_.Members(*child_id)};
  const size_t limit = query.page_size == 0 ? 100 : static_cast<size_t>(query.page_size);
  // Filter and page over pointers: nothing is copied.
  std::vector<const ChronologyEntry*> page;
  for (const ChronologyEntry* entry : EntryPointersLocked(*child_id)) {
    const ChronologyEntry& e = *entry;
    if (query.from && e.event.occurred_at < *query.from) continue;
    if (query.to && e.event.occurred_at >= *query.to) continue;
    if (!Contains(query.agency_ids, e.event.agency_id)) continue;
    if (!query.kinds.empty() && !Contains(query.kinds, EntryKind(e.event))) continue;
    ++head.total_entries;
    if (after && std::tie(e.event.occurred_at, e.event.event_id) <= std::tie(after->first, after->second)) continue;
    if (page.size() < limit) {
      page.push_back(entry);
    } else if (head.next_page_token.empty()) {
      head.next_page_token = ChronologyPageToken(*page.back());
    }
  }
  visit(head, page);
  return absl::OkStatus();
}

absl::StatusOr<ChildId> ChronologyStore::ResolveChild(const std::string& child) const {
  absl::ReaderMutexLock lock(&mu_);
  return ResolveLocked(child);
}

absl::StatusOr<std::vector<std::string>> ChronologyStore::IdentifiersOf(const std::string& child) const {
  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<ChildId> child_id = ResolveLocked(child);
  if (!child_id.ok()) return child_id.status();
  std::vector<std::string> ids = {child_id->value()};
  for (std::string& id : identities_.Members(*child_id)) {
    if (id != child_id->value()) ids.push_back(std::move(id));
  }
  return ids;
}

absl::StatusOr<std::vector<Episode>> ChronologyStore::Episodes(const std::string& child) const {
  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<ChildId> child_id = ResolveLocked(child);
  if (!child_id.ok()) return child_id.status();
  return ReconcileEpisodes(EntriesOfLocked(*child_id), episode_options_);
}

absl::StatusOr<ChildProfile> ChronologyStore::Profile(const std::string& child, absl::Time now,
                                                      const ProfileOptions& options) const {
  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<ChildId> child_id = ResolveLocked(child);
  if (!child_id.ok()) return child_id.status();
  const EntryList entries = EntriesOfLocked(*child_id);
  return BuildProfile(*child_id, identities_.Members(*child_id), entries,
                      ReconcileEpisodes(entries, episode_options_), now, options);
}

absl::StatusOr<std::vector<ChildSummary>> ChronologyStore::SearchByIdentifier(const std::string& identifier) const {
  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<ChildId> child_id = ResolveLocked(identifier);
  if (absl::IsNotFound(child_id.status())) return std::vector<ChildSummary>{};
  if (!child_id.ok()) return child_id.status();
  return std::vector<ChildSummary>{SummaryLocked(*child_id)};
}

std::vector<ChildSummary> ChronologyStore::SearchByName(const std::string& family_name, const std::string& given_name,
                                                        absl::CivilDay date_of_birth) const {
  absl::ReaderMutexLock lock(&mu_);
  const std::string family = Normalise(family_name), given = Normalise(given_name);
  std::set<ChildId> children;
  for (auto it = names_.lower_bound({family, "", absl::CivilDay::min()}); it != names_.end(); ++it) {
    const auto& [f, g, dob] = it->first;
    if (f != family) break;
    if (dob != date_of_birth || (!given.empty() && g != given)) continue;
    for (const std::string& id : it->second) children.insert(*identities_.Find(id));
  }
  std::vector<ChildSummary> out;
  for (const ChildId& child : children) out.push_back(SummaryLocked(child));
  return out;
}

bool ChronologyStore::KeptSeparate(const ChildId& child_a, const ChildId& child_b) const {
  absl::ReaderMutexLock lock(&mu_);
  return identities_.KeptSeparate(child_a, child_b);
}

std::vector<ProbableMatch> ChronologyStore::ProbableMatches() const {
  absl::ReaderMutexLock lock(&mu_);
  std::map<std::pair<ChildId, ChildId>, std::string> evidence;  // pair -> why, first found
  for (const auto& [key, ids] : names_) {
    std::set<ChildId> children;
    for (const std::string& id : ids) children.insert(*identities_.Find(id));
    for (auto a = children.begin(); a != children.end(); ++a) {
      for (auto b = std::next(a); b != children.end(); ++b) {
        if (identities_.KeptSeparate(*a, *b)) continue;
        const auto& [family, given, dob] = key;
        evidence.try_emplace({*a, *b}, absl::StrCat("same name and date of birth: ", given, " ", family, " ",
                                                    absl::FormatCivilTime(dob)));
      }
    }
  }
  std::vector<ProbableMatch> out;
  for (const auto& [pair, why] : evidence) {
    ProbableMatch m{.a = SummaryLocked(pair.first), .b = SummaryLocked(pair.second), .evidence = why};
    // Where both give a sex and they differ, name and date of birth alone are not a match.
    if (m.a.sex != Sex::kUnspecified && m.b.sex != Sex::kUnspecified && m.a.sex != m.b.sex) continue;
    out.push_back(std::move(m));
  }
  return out;
}

std::optional<ChildId> ChronologyStore::ChildOf(const Event& event) const {
  absl::ReaderMutexLock lock(&mu_);
  return identities_.Find(IdentitiesOf(event).front());
}

std::vector<ChildId> ChronologyStore::ChildrenOf(const Event& event) const {
  absl::ReaderMutexLock lock(&mu_);
  std::set<ChildId> children;
  for (const std::string& id : IdentitiesOf(event)) {
    if (auto child = identities_.Find(id)) children.insert(*child);
    if (!std::holds_alternative<IdentityDecision>(event.payload)) break;  // a record's first identifier
  }
  return {children.begin(), children.end()};
}

std::vector<ChronologyEntry> ChronologyStore::EntriesById(const std::vector<std::string>& event_ids) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<ChronologyEntry> out;
  std::set<std::string> taken;
  for (const std::string& id : event_ids) {
    const auto head = facets_.find(FacetOfId(id));
    if (head == facets_.end() || !head->second.current()) continue;
    const std::string head_id = HeadId(head->first, head->second.revision);
    if (!taken.insert(head_id).second) continue;
    const auto list = entries_.find(*head->second.key);
    if (list == entries_.end()) continue;
    for (const auto& e : list->second) {
      if (e->event.event_id == head_id) out.push_back(*e);
    }
  }
  std::sort(out.begin(), out.end(), &EntryBefore);
  return out;
}

std::optional<ChildId> ChronologyStore::ChildOfEvent(const std::string& event_id) const {
  absl::ReaderMutexLock lock(&mu_);
  const auto head = facets_.find(FacetOfId(event_id));
  if (head == facets_.end() || !head->second.current()) return std::nullopt;
  return identities_.Find(*head->second.key);
}

std::vector<ChildId> ChronologyStore::Children() const {
  absl::ReaderMutexLock lock(&mu_);
  std::set<ChildId> children;
  for (const auto& [key, entries] : entries_) {
    if (auto child = identities_.Find(key)) children.insert(*child);
  }
  return {children.begin(), children.end()};
}

std::vector<ChildId> ChronologyStore::ChildrenQuietSince(absl::Time cutoff) const {
  absl::ReaderMutexLock lock(&mu_);
  std::map<ChildId, bool> active;  // child -> something received since the cutoff
  for (const auto& [key, entries] : entries_) {
    const std::optional<ChildId> child = identities_.Find(key);
    if (!child) continue;
    bool& recent = active[*child];
    for (const auto& e : entries) recent = recent || e->received_at >= cutoff;
  }
  std::vector<ChildId> quiet;
  for (const auto& [child, recent] : active) {
    if (!recent) quiet.push_back(child);
  }
  return quiet;
}

absl::StatusOr<ChildFacts> ChronologyStore::Facts(const std::string& child) const {
  absl::StatusOr<ChildFacts> facts = FactsWithoutEpisodes(child);
  if (facts.ok()) facts->episodes = ReconcileEpisodes(facts->entries, episode_options_);
  return facts;
}

absl::StatusOr<ChildFacts> ChronologyStore::FactsWithoutEpisodes(const std::string& child) const {
  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<ChildId> child_id = ResolveLocked(child);
  if (!child_id.ok()) return child_id.status();
  return ChildFacts{.child_id = *child_id, .identifiers = identities_.Members(*child_id),
                    .entries = EntriesOfLocked(*child_id)};
}

absl::Time ChronologyStore::latest_recorded_at() const {
  absl::ReaderMutexLock lock(&mu_);
  return latest_recorded_at_;
}

size_t ChronologyStore::event_count() const {
  absl::ReaderMutexLock lock(&mu_);
  return seen_count_;
}

absl::StatusOr<PurgedChild> ChronologyStore::PurgePlanLocked(const std::string& child) const {
  absl::StatusOr<ChildId> child_id = ResolveLocked(child);
  if (!child_id.ok()) return child_id.status();
  PurgedChild plan{.child_id = *child_id};
  const std::vector<std::string> members = identities_.Members(*child_id);
  const auto named = [&](const std::string& id) { return std::find(members.begin(), members.end(), id) != members.end(); };
  const auto take = [&](const ChronologyEntry& e) {
    plan.event_ids.push_back(e.event.event_id);
    plan.event_ids.insert(plan.event_ids.end(), e.superseded_event_ids.begin(), e.superseded_event_ids.end());
  };
  for (const ChronologyEntry* e : EntryPointersLocked(*child_id)) take(*e);
  // Identity decisions are filed under their own pair, and name the child's identifiers.
  for (const auto& [key, entries] : entries_) {
    for (const auto& e : entries) {
      const auto* d = std::get_if<IdentityDecision>(&e->event.payload);
      if (d != nullptr && (named(d->identifier_a) || named(d->identifier_b))) take(*e);
    }
  }
  std::sort(plan.event_ids.begin(), plan.event_ids.end());
  plan.event_ids.erase(std::unique(plan.event_ids.begin(), plan.event_ids.end()), plan.event_ids.end());
  return plan;
}

absl::StatusOr<PurgedChild> ChronologyStore::PurgePlan(const std::string& child) const {
  absl::ReaderMutexLock lock(&mu_);
  return PurgePlanLocked(child);
}

size_t ChronologyStore::ForgetLocked(const std::vector<std::string>& event_ids) {
  size_t held = 0;
  std::set<std::string> emptied;  // identifiers whose entry lists may now be empty
  for (const std::string& id : event_ids) {
    // A redelivery of a purged id is a duplicate whatever its bytes: fingerprint 0.
    if (MarkSeenLocked(id, 0, /*overwrite=*/true)) ++held;
    const auto head = facets_.find(FacetOfId(id));
    if (head == facets_.end() || !head->second.current()) continue;
    auto& list = entries_[*head->second.key];
    const std::string head_id = HeadId(head->first, head->second.revision);
    const auto entry = std::find_if(list.begin(), list.end(), [&](const auto& e) { return e->event.event_id == head_id; });
    if (entry == list.end()) continue;
    if (head_id != id) {  // a superseded revision: the newer one stays, without it
      auto changed = std::make_shared<ChronologyEntry>(**entry);  // replaced, not changed in place
      std::erase(changed->superseded_event_ids, id);
      *entry = std::move(changed);
      continue;
    }
    const Event& e = (*entry)->event;
    if (const auto* d = std::get_if<IdentityDecision>(&e.payload)) {
      identities_.RemoveDecision(d->identifier_a, d->identifier_b, e.event_id);
    } else {
      identities_.RemoveFacet(IdentitiesOf(e));
    }
    if (std::holds_alternative<MissingReported>(e.payload)) report_starts_.erase(RecordKey(e.agency_id, e.source_record));
    emptied.insert(*head->second.key);
    list.erase(entry);
    head->second.key = nullptr;  // no revision is current; the revisions seen stay known
    head->second.revision = 0;
  }
  for (const std::string& key : emptied) {
    const auto it = entries_.find(key);
    if (it == entries_.end() || !it->second.empty()) continue;
    entries_.erase(it);
    for (auto n = names_.begin(); n != names_.end();) {
      n->second.erase(key);
      n = n->second.empty() ? names_.erase(n) : std::next(n);
    }
  }
  identities_.Settle();  // readers share the graph under a reader lock: it must not change under them
  return held;
}

size_t ChronologyStore::ForgetEvents(const std::vector<std::string>& event_ids) {
  absl::MutexLock lock(&mu_);
  return ForgetLocked(event_ids);
}

absl::StatusOr<PurgedChild> ChronologyStore::Purge(const std::string& child) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<PurgedChild> plan = PurgePlanLocked(child);
  if (plan.ok()) ForgetLocked(plan->event_ids);
  return plan;
}

void ChronologyStore::MarkPurged(const std::vector<std::string>& event_ids) {
  absl::MutexLock lock(&mu_);
  for (const std::string& id : event_ids) MarkSeenLocked(id, 0, /*overwrite=*/true);
}

}  // namespace homeward::aggregator
