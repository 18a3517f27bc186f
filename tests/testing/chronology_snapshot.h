// File: chronology_snapshot.h
//
// Everything a coordinator could be shown about some children, as text: chronologies (with
// amendment history), episodes with their flags, and pending probable matches. Two stores whose
// snapshots are equal hold the same state as far as anyone can see.
#ifndef HOMEWARD_TESTS_TESTING_CHRONOLOGY_SNAPSHOT_H_
#define HOMEWARD_TESTS_TESTING_CHRONOLOGY_SNAPSHOT_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/aggregator/domain/chronology_store.h"

namespace homeward::testing {

inline std::string Snapshot(const aggregator::ChronologyStore& store, const std::vector<std::string>& children) {
  std::string out;
  for (const std::string& child : children) {
    auto page = store.Query({.child = child, .page_size = 1000});
    if (!page.ok()) {
      absl::StrAppend(&out, child, ": ", page.status().ToString(), "\n");
      continue;
    }
    absl::StrAppend(&out, page->child_id.value(), " [", absl::StrJoin(page->identifiers, ","), "] ", page->total_entries, "\n");
    for (const auto& e : page->entries) {
      absl::StrAppend(&out, "  ", e.event.event_id, " ", Summarize(e.event), " {", absl::StrJoin(e.superseded_event_ids, ","),
                      "}\n");
    }
    const auto episodes = store.Episodes(child);
    for (const auto& ep : *episodes) {
      absl::StrAppend(&out, "  episode ", ep.episode_id, " ", ep.sources.size(), " ", absl::StrJoin(ep.flags, ";"), "\n");
    }
  }
  for (const auto& m : store.ProbableMatches()) absl::StrAppend(&out, "match ", m.a.child_id.value(), "~", m.b.child_id.value(), "\n");
  return out;
}

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_CHRONOLOGY_SNAPSHOT_H_
