// File: chronology_entry.h
//
// One line of a child's multi-agency chronology: an agency's event as received, attributed to
// its source, with what superseded it.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_ENTRY_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_ENTRY_H_

#include <compare>
#include <cstddef>
#include <iterator>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/time/time.h"
#include "common/domain/event.h"

namespace homeward::aggregator {

// Its kind (EntryKind) and one-line summary (Summarize) are derived from the event when shown,
// not held: they would double the memory of a chronology of millions of entries.
struct ChronologyEntry {
  Event event;
  absl::Time received_at;
  // Lower revisions of the same source-record facet, sorted (amendment history).
  std::vector<std::string> superseded_event_ids;
};

// Chronology order: event time, then event id (a total order, so every replica agrees).
inline bool EntryBefore(const ChronologyEntry& a, const ChronologyEntry& b) {
  return std::tie(a.event.occurred_at, a.event.event_id) < std::tie(b.event.occurred_at, b.event.event_id);
}

// Entries as the store files them: shared and never changed (a change files a changed copy), so
// a list of them stays valid and as it was after the store's lock is let go, and taking a
// child's history copies pointers, not entries. Iterates as `const ChronologyEntry&`.
class EntryList {
 public:
  using Shared = std::shared_ptr<const ChronologyEntry>;

  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = ChronologyEntry;
    using difference_type = std::ptrdiff_t;
    using pointer = const ChronologyEntry*;
    using reference = const ChronologyEntry&;

    const_iterator() = default;
    explicit const_iterator(std::vector<Shared>::const_iterator it) : it_(it) {}
    reference operator*() const { return **it_; }
    pointer operator->() const { return it_->get(); }
    reference operator[](difference_type n) const { return *it_[n]; }
    const_iterator& operator++() { ++it_; return *this; }
    const_iterator operator++(int) { return const_iterator(it_++); }
    const_iterator& operator--() { --it_; return *this; }
    const_iterator operator--(int) { return const_iterator(it_--); }
    const_iterator& operator+=(difference_type n) { it_ += n; return *this; }
    const_iterator& operator-=(difference_type n) { it_ -= n; return *this; }
    friend const_iterator operator+(const_iterator a, difference_type n) { return a += n; }
    friend const_iterator operator+(difference_type n, const_iterator a) { return a += n; }
    friend const_iterator operator-(const_iterator a, difference_type n) { return a -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) { return a.it_ - b.it_; }
    friend auto operator<=>(const const_iterator&, const const_iterator&) = default;

   private:
    std::vector<Shared>::const_iterator it_;
  };
  using iterator = const_iterator;
  using value_type = ChronologyEntry;

  EntryList() = default;
  explicit EntryList(std::vector<Shared> entries) : entries_(std::move(entries)) {}
  // Copies each entry: for a chronology built by hand (tests, tools).
  EntryList(const std::vector<ChronologyEntry>& entries) {  // NOLINT(google-explicit-constructor)
    entries_.reserve(entries.size());
    for (const ChronologyEntry& e : entries) entries_.push_back(std::make_shared<const ChronologyEntry>(e));
  }

  const_iterator begin() const { return const_iterator(entries_.begin()); }
  const_iterator end() const { return const_iterator(entries_.end()); }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const ChronologyEntry& operator[](size_t i) const { return *entries_[i]; }
  const ChronologyEntry& front() const { return *entries_.front(); }
  const ChronologyEntry& back() const { return *entries_.back(); }

 private:
  std::vector<Shared> entries_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_ENTRY_H_
