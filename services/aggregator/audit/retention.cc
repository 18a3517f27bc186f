#include "services/aggregator/audit/retention.h"

#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace homeward::aggregator {

absl::StatusOr<PurgedChild> Retention::Purge(const std::string& child, const std::string& by,
                                             const std::string& reason, absl::Time now) {
  absl::StatusOr<ChildFacts> facts = chronology_.Facts(child);
  if (!facts.ok()) return facts.status();
  // The durable copy goes first: if the store fails, memory still matches it.
  std::vector<std::string> ids;
  for (const ChronologyEntry& e : facts->entries) {
    ids.push_back(e.event.event_id);
    ids.insert(ids.end(), e.superseded_event_ids.begin(), e.superseded_event_ids.end());
  }
  if (absl::Status s = store_.Purge(ids, now); !s.ok()) return s;
  absl::StatusOr<PurgedChild> purged = chronology_.Purge(facts->child_id);
  if (!purged.ok()) return purged.status();
  // The chronology also knew the identity decisions naming the child.
  if (absl::Status s = store_.Purge(purged->event_ids, now); !s.ok()) return s;
  if (alerts_ != nullptr) {
    for (const Alert& a : alerts_->List({.child_id = purged->child_id, .open_only = true})) {
      absl::StatusOr<Alert> closed =
          alerts_->Act(a.alert_id, TransitionKind::kClose, by, absl::StrCat("records purged: ", reason));
      if (!closed.ok()) log::Warn("purge: alert {} not closed: {}", a.alert_id, closed.status().ToString());
    }
  }
  return purged;
}

std::vector<std::string> Retention::Expired(absl::Duration keep_for, absl::Time now) const {
  return chronology_.ChildrenQuietSince(now - keep_for);
}

}  // namespace homeward::aggregator
