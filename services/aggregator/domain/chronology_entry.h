// File: chronology_entry.h
//
// One line of a child's multi-agency chronology: an agency's event as received, attributed to
// its source, with what superseded it.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_ENTRY_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_ENTRY_H_

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

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHRONOLOGY_ENTRY_H_
