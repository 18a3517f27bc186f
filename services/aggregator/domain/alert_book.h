// File: alert_book.h
//
// The alerts a replica holds, folded from the records of the alerts topic (raises and
// transitions), and the duty team's list of them: filtered, sorted by severity then newest, and
// paged, so a list never outgrows a reply however many alerts a large import raised.
//
// Folding is order-independent: any order of the same records gives the same book. An alert is
// raised once (the first raise record of an id wins; a copy from another replica changes
// nothing); a transition that arrives before its alert waits for it. The state is the furthest
// lifecycle step recorded. The hub's own transitions (by kHubActor) are taken once per kind (per
// child for kRekey), keeping the earliest, so two replicas that both close an alert record one
// closing; a person's transitions are each kept.
//
// Thread safety: not thread-safe (the AlertCoordinator holds it under its lock).
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERT_BOOK_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERT_BOOK_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/aggregator/domain/alert.h"

namespace homeward::aggregator {

// Which alerts to list. Every filter left empty matches everything.
struct AlertQuery {
  std::vector<std::string> child_ids;  // alerts about any of these (a child's id and identifiers)
  std::string team;
  std::string authority;  // routed to this authority
  std::vector<std::string> rule_ids;
  std::vector<std::string> severities;
  std::vector<AlertState> states;
  int page_size = 0;       // 0 = kDefaultAlertPageSize; at most kMaxAlertPageSize
  std::string page_token;  // from the previous page, or ""
};

inline constexpr int kDefaultAlertPageSize = 50;
inline constexpr int kMaxAlertPageSize = 500;

struct AlertPage {
  // Sorted by SeverityRank, then newest raised first, then id. Valid until the book changes.
  std::vector<const Alert*> alerts;
  int total = 0;                // alerts matching the query, on every page
  int before = 0;               // matching alerts on the pages before this one
  std::string next_page_token;  // "" on the last page
};

// True when `alert` passes every filter of `query` (paging aside).
bool MatchesQuery(const Alert& alert, const AlertQuery& query);
// The page token that continues after `last` (AlertQuery.page_token).
std::string AlertPageToken(const Alert& last);

// How many alerts a book holds, for monitoring (docs/operations.md).
struct AlertCensus {
  std::map<std::pair<AlertState, std::string>, int> by_state_and_severity;  // none at 0
  // When the oldest alert still waiting for a duty worker to acknowledge it (kRaised) was raised.
  std::optional<absl::Time> oldest_unacknowledged;
  int escalated_open = 0;  // open alerts escalated because nobody acknowledged them in time
};

class AlertBook {
 public:
  // True if the alert was new.
  bool Raise(const Alert& alert);
  // True if the book changed: false for a transition already held, and for one whose alert is
  // not here yet (it is kept and applied when the alert arrives).
  bool Apply(const AlertTransition& transition);

  const Alert* Find(const std::string& alert_id) const;
  // One page of the alerts matching `query`. INVALID_ARGUMENT for a page size outside
  // 0..kMaxAlertPageSize or a page token this book did not issue.
  absl::StatusOr<AlertPage> Page(const AlertQuery& query) const;
  // Alerts now about `child_id` (after any re-keying).
  std::vector<const Alert*> OfChild(const ChildId& child_id) const;
  // Alerts of the same rule whose anchors share an event with `alert`'s (SameOccasion), through
  // the anchor index: what a rule evaluation costs is what the child's alerts cost.
  std::vector<const Alert*> SameOccasionAs(const Alert& alert) const;
  // Drops an alert (for a book of alerts published and not yet read back).
  void Forget(const std::string& alert_id);
  // Alerts raised but neither acknowledged, escalated nor finished whose time to acknowledge
  // has passed, oldest first.
  // (Planning tasks are not: they have days, not minutes.)
  std::vector<const Alert*> DueForEscalation(absl::Duration escalate_after, absl::Time now) const;
  // Planning tasks neither done (recorded in the plan), finished nor escalated whose due time has
  // passed, earliest due first.
  std::vector<const Alert*> OverdueTasks(absl::Time now) const;
  size_t size() const { return alerts_.size(); }
  // Kept as alerts are raised, change and go (it is read at every metrics scrape, under the
  // coordinator's lock: counting a million alerts took about a quarter of a second).
  AlertCensus census() const;
  // Calls `visit(const Alert&)` for every alert held, by id.
  template <typename Visit>
  void ForEach(Visit&& visit) const {
    for (const auto& [id, alert] : alerts_) visit(alert);
  }

 private:
  // Sorted as a duty team reads the list: severity, newest first, id.
  struct ListKey {
    int rank;
    absl::Time raised_at;
    std::string alert_id;
    bool operator<(const ListKey& o) const {
      return std::tie(rank, o.raised_at, alert_id) < std::tie(o.rank, raised_at, o.alert_id);
    }
  };
  static ListKey KeyOf(const Alert& a) { return {SeverityRank(a.severity), a.raised_at, a.alert_id}; }
  // Recomputes what the history says (state, who acknowledged, child, merge) and the indexes.
  void Derive(Alert& alert);
  void IndexChild(const Alert& alert, const ChildId& old_child);
  // Adds the alert to the census (+1) or takes it out (-1).
  void Count(const Alert& alert, int delta);

  std::map<std::string, Alert> alerts_;
  std::set<ListKey> listed_;
  // Alerts raised and not yet acknowledged, escalated or finished: (raised_at, id).
  std::set<std::pair<absl::Time, std::string>> unacknowledged_;
  // Planning tasks open and not escalated: (due_at, id).
  std::set<std::pair<absl::Time, std::string>> overdue_;
  absl::flat_hash_map<std::string, std::vector<std::string>> by_anchor_;
  absl::flat_hash_map<ChildId, std::set<std::string>> by_child_;
  absl::flat_hash_map<std::string, std::set<std::string>> merged_from_;
  std::map<std::string, std::vector<AlertTransition>> early_;  // transitions before their alert
  // The census's counts, and the raise times of the alerts in state kRaised.
  std::map<std::pair<AlertState, std::string>, int> by_state_and_severity_;
  int escalated_open_ = 0;
  std::multiset<absl::Time> raised_times_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_ALERT_BOOK_H_
