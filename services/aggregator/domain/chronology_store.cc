#include "services/aggregator/domain/chronology_store.h"

#include <algorithm>
#include <tuple>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/domain/child_identifiers.h"

namespace homeward::aggregator {
namespace {

bool Before(const ChronologyEntry& a, const ChronologyEntry& b) {
  return std::tie(a.event.occurred_at, a.event.event_id) < std::tie(b.event.occurred_at, b.event.event_id);
}

// Page tokens name the last entry returned: "<unix nanos>|<event id>".
std::string TokenFor(const ChronologyEntry& e) {
  return absl::StrCat(absl::ToUnixNanos(e.event.occurred_at), "|", e.event.event_id);
}

bool Contains(const std::vector<std::string>& set, const std::string& value) {
  return set.empty() || std::find(set.begin(), set.end(), value) != set.end();
}

std::vector<std::string> IdentitiesOf(const Event& event) {
  std::vector<std::string> ids = StrongIdentifiers(event.child);
  if (ids.empty()) ids.push_back(absl::StrCat("record:", event.agency_id, "/", event.source_record));
  return ids;
}

}  // namespace

std::vector<ChronologyEntry>& ChronologyStore::EntriesOf(const std::string& child_id) {
  return entries_[child_id];
}

void ChronologyStore::Insert(const std::string& child_id, ChronologyEntry entry) {
  auto& entries = EntriesOf(child_id);
  entries.insert(std::upper_bound(entries.begin(), entries.end(), entry, &Before), std::move(entry));
}

std::string ChronologyStore::ResolveChild(const Event& event) {
  IdentityIndex::LinkResult link = identities_.Link(IdentitiesOf(event));
  for (const std::string& merged : link.merged_ids) {
    auto node = entries_.extract(merged);
    if (node.empty()) continue;
    auto& into = EntriesOf(link.child_id);
    const size_t middle = into.size();
    into.insert(into.end(), std::make_move_iterator(node.mapped().begin()),
                std::make_move_iterator(node.mapped().end()));
    std::inplace_merge(into.begin(), into.begin() + middle, into.end(), &Before);
  }
  return link.child_id;
}

ApplyOutcome ChronologyStore::Apply(const Event& event, absl::Time received_at) {
  absl::MutexLock lock(&mu_);
  if (!seen_ids_.insert(event.event_id).second) return ApplyOutcome::kDuplicate;
  const std::string child_id = ResolveChild(event);
  ChronologyEntry entry{.event = event,
                        .kind = EntryKind(event),
                        .summary = Summarize(event),
                        .received_at = received_at};
  const std::string key = FacetKey(event);
  auto it = facets_.find(key);
  if (it == facets_.end()) {
    facets_[key] = FacetHead{event.revision, event.event_id, IdentitiesOf(event).front()};
    Insert(child_id, std::move(entry));
    return ApplyOutcome::kAdded;
  }
  FacetHead& head = it->second;
  auto& held = EntriesOf(*identities_.Find(head.identity));
  auto current = std::find_if(held.begin(), held.end(),
                              [&](const ChronologyEntry& e) { return e.event.event_id == head.event_id; });
  if (event.revision < head.revision) {
    current->superseded_event_ids.push_back(event.event_id);
    return ApplyOutcome::kStale;
  }
  // A higher revision (an equal one has the same id, caught above as a duplicate).
  entry.superseded_event_ids = std::move(current->superseded_event_ids);
  entry.superseded_event_ids.push_back(current->event.event_id);
  held.erase(current);
  head = FacetHead{event.revision, event.event_id, IdentitiesOf(event).front()};
  Insert(child_id, std::move(entry));
  return ApplyOutcome::kSuperseded;
}

absl::StatusOr<ChronologyPage> ChronologyStore::Query(const ChronologyQuery& query) const {
  auto identifier = ParseChildIdentifier(query.child);
  if (!identifier.ok()) return identifier.status();
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

  absl::MutexLock lock(&mu_);
  const std::optional<std::string> child_id = identities_.Find(*identifier);
  if (!child_id.has_value()) {
    return absl::NotFoundError(absl::StrCat("no record names child ", *identifier));
  }
  ChronologyPage page{.child_id = *child_id, .identifiers = identities_.Members(*child_id)};
  const size_t limit = query.page_size == 0 ? 100 : static_cast<size_t>(query.page_size);
  const auto it = entries_.find(*child_id);
  if (it == entries_.end()) return page;
  for (const ChronologyEntry& e : it->second) {
    if (query.from && e.event.occurred_at < *query.from) continue;
    if (query.to && e.event.occurred_at >= *query.to) continue;
    if (!Contains(query.agency_ids, e.event.agency_id) || !Contains(query.kinds, e.kind)) continue;
    ++page.total_entries;
    if (after && std::tie(e.event.occurred_at, e.event.event_id) <= std::tie(after->first, after->second)) {
      continue;
    }
    if (page.entries.size() < limit) {
      page.entries.push_back(e);
    } else if (page.next_page_token.empty()) {
      page.next_page_token = TokenFor(page.entries.back());
    }
  }
  return page;
}

size_t ChronologyStore::event_count() const {
  absl::MutexLock lock(&mu_);
  return seen_ids_.size();
}

}  // namespace homeward::aggregator
