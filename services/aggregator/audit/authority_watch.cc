#include "services/aggregator/audit/authority_watch.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/logging.h"

namespace homeward::aggregator {

void AuthorityWatch::Prime() {
  std::map<ChildId, std::vector<std::string>> known;
  for (const ChildId& child : chronology_.Children()) {
    if (auto scope = chronology_.ScopeOf(child.value(), home_authority_, registry_); scope.ok()) {
      known[scope->child_id] = scope->authorities;
    }
  }
  absl::MutexLock lock(&mu_);
  known_ = std::move(known);
}

void AuthorityWatch::OnEventsApplied(const std::vector<Event>& events) {
  std::map<ChildId, const Event*> touched;  // child -> the batch's last event about them
  for (const Event& e : events) {
    if (auto child = chronology_.ChildOf(e)) touched[*child] = &e;
  }
  absl::MutexLock lock(&mu_);
  for (const auto& [child, event] : touched) {
    absl::StatusOr<ChronologyStore::Scope> scope = chronology_.ScopeOf(child.value(), home_authority_, registry_);
    if (!scope.ok()) continue;
    auto [it, added] = known_.try_emplace(scope->child_id, scope->authorities);
    if (added || it->second == scope->authorities) continue;
    AccessEntry entry{.at = clock_.Now(),
                      .subject = event->agency_id,
                      .role = "publisher",
                      .agency = event->agency_id,
                      .client = "homeward-aggregator",
                      .action = "authority-change",
                      .method = "ApplyEvents",
                      .child_id = scope->child_id.value(),
                      .detail = absl::StrCat("authorities ", absl::StrJoin(it->second, ", "), " -> ",
                                             absl::StrJoin(scope->authorities, ", "), " after event ", event->event_id),
                      .purpose = "the child's placement or authority as its local authority recorded it",
                      .lawful_basis = "children-act-2004-s11",
                      .outcome = "OK"};
    if (absl::StatusOr<AccessEntry> logged = log_.Append(std::move(entry)); !logged.ok()) {
      log::Error("an authority change (after event {}) is not on the access log: {}", event->event_id,
                 logged.status().ToString());
    }
    it->second = scope->authorities;
  }
}

}  // namespace homeward::aggregator
