#include "services/aggregator/domain/alert_book.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace homeward::aggregator {
namespace {

template <typename T>
bool Allows(const std::vector<T>& allowed, const T& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// History order: time, then everything else, so every replica lists the same history.
auto HistoryKey(const AlertTransition& t) {
  return std::tie(t.at, t.kind, t.by, t.child_id, t.merged_into, t.note);
}

// The hub's own transitions are one per kind (per child for a re-keying), whoever recorded
// them first; a person's are each their own.
bool SameRecord(const AlertTransition& a, const AlertTransition& b) {
  if (a.kind != b.kind || a.by != b.by) return false;
  if (a.by == kHubActor) return a.kind != TransitionKind::kRekey || a.child_id == b.child_id;
  return a.at == b.at;
}

}  // namespace

bool MatchesQuery(const Alert& a, const AlertQuery& q) {
  if (!q.team.empty() && a.team != q.team) return false;
  if (!q.authority.empty() && !Allows(a.authorities, q.authority)) return false;
  if (!q.child_ids.empty() && !Allows(q.child_ids, a.child_id.value())) return false;
  return Allows(q.rule_ids, a.rule_id) && Allows(q.severities, a.severity) && Allows(q.states, a.state);
}

std::string AlertPageToken(const Alert& last) {
  return absl::StrCat(SeverityRank(last.severity), "|", absl::ToUnixNanos(last.raised_at), "|", last.alert_id);
}

bool AlertBook::Raise(const Alert& alert) {
  if (alerts_.contains(alert.alert_id)) return false;
  Alert& a = alerts_[alert.alert_id] = alert;
  a.raised_for_child_id = a.child_id;
  a.state = AlertState::kRaised;
  a.acknowledged_by.clear();
  a.escalated = false;
  a.merged_into.clear();
  a.history.clear();
  a.merged_from.clear();
  if (const auto from = merged_from_.find(a.alert_id); from != merged_from_.end()) {
    a.merged_from.assign(from->second.begin(), from->second.end());
  }
  for (const std::string& anchor : a.anchor_event_ids) by_anchor_[anchor].push_back(a.alert_id);
  by_child_[a.child_id].insert(a.alert_id);
  listed_.insert(KeyOf(a));
  if (auto early = early_.extract(a.alert_id); !early.empty()) {
    for (const AlertTransition& t : early.mapped()) {
      if (std::none_of(a.history.begin(), a.history.end(), [&](const auto& h) { return SameRecord(h, t); })) {
        a.history.push_back(t);
      }
    }
    std::sort(a.history.begin(), a.history.end(), [](const auto& x, const auto& y) { return HistoryKey(x) < HistoryKey(y); });
  }
  Derive(a);
  Count(a, +1);
  return true;
}

bool AlertBook::Apply(const AlertTransition& t) {
  auto it = alerts_.find(t.alert_id);
  if (it == alerts_.end()) {
    early_[t.alert_id].push_back(t);
    return false;
  }
  Alert& a = it->second;
  auto& h = a.history;
  const auto same = std::find_if(h.begin(), h.end(), [&](const AlertTransition& x) { return SameRecord(x, t); });
  const auto rederive = [&] {  // the census counts the alert as it was, then as it is
    Count(a, -1);
    Derive(a);
    Count(a, +1);
  };
  if (same != h.end()) {
    if (HistoryKey(t) >= HistoryKey(*same)) return false;  // the one held was recorded first
    *same = t;  // another replica recorded the same step earlier: keep the earliest
    std::sort(h.begin(), h.end(), [](const auto& x, const auto& y) { return HistoryKey(x) < HistoryKey(y); });
    rederive();
    return false;
  }
  h.insert(std::upper_bound(h.begin(), h.end(), t, [](const auto& x, const auto& y) { return HistoryKey(x) < HistoryKey(y); }),
           t);
  rederive();
  return true;
}

void AlertBook::Count(const Alert& a, int delta) {
  const auto key = std::make_pair(a.state, a.severity);
  if (int& n = by_state_and_severity_[key]; (n += delta) == 0) by_state_and_severity_.erase(key);
  if (IsOpen(a) && a.escalated) escalated_open_ += delta;
  if (a.state == AlertState::kRaised) {
    if (delta > 0) {
      raised_times_.insert(a.raised_at);
    } else {
      raised_times_.erase(raised_times_.find(a.raised_at));
    }
  }
}

AlertCensus AlertBook::census() const {
  return {.by_state_and_severity = by_state_and_severity_,
          .oldest_unacknowledged = raised_times_.empty() ? std::nullopt : std::optional(*raised_times_.begin()),
          .escalated_open = escalated_open_};
}

void AlertBook::Derive(Alert& a) {
  const ChildId old_child = a.child_id;
  const std::string old_merge = a.merged_into;
  a.state = AlertState::kRaised;
  a.escalated = false;
  a.acknowledged_by.clear();
  a.merged_into.clear();
  a.child_id = a.raised_for_child_id;
  const AlertTransition* rekey = nullptr;  // the latest decides whose alert it is now
  for (const AlertTransition& t : a.history) {  // oldest first
    switch (t.kind) {
      case TransitionKind::kAcknowledge:
        a.state = std::max(a.state, AlertState::kAcknowledged);
        if (a.acknowledged_by.empty()) a.acknowledged_by = t.by;
        break;
      case TransitionKind::kAction: a.state = std::max(a.state, AlertState::kActioned); break;
      case TransitionKind::kClose: a.state = std::max(a.state, AlertState::kClosed); break;
      case TransitionKind::kEscalate: a.escalated = true; break;
      case TransitionKind::kWithdraw: a.state = std::max(a.state, AlertState::kWithdrawn); break;
      case TransitionKind::kRekey: rekey = &t; break;
      case TransitionKind::kMerge:
        a.state = std::max(a.state, AlertState::kClosed);
        if (a.merged_into.empty()) a.merged_into = t.merged_into;
        break;
    }
  }
  if (rekey != nullptr && !rekey->child_id.empty()) a.child_id = rekey->child_id;
  if (a.child_id != old_child) IndexChild(a, old_child);
  if (a.merged_into != old_merge) {
    const auto refresh = [&](const std::string& target) {
      if (const auto it = alerts_.find(target); it != alerts_.end()) {
        const std::set<std::string>& from = merged_from_[target];
        it->second.merged_from.assign(from.begin(), from.end());
      }
    };
    if (!old_merge.empty()) {
      merged_from_[old_merge].erase(a.alert_id);
      refresh(old_merge);
    }
    if (!a.merged_into.empty()) {
      merged_from_[a.merged_into].insert(a.alert_id);
      refresh(a.merged_into);
    }
  }
  const std::pair<absl::Time, std::string> key(a.raised_at, a.alert_id);
  if (a.state == AlertState::kRaised && !a.escalated && !IsPlanningTask(a)) {
    unacknowledged_.insert(key);
  } else {
    unacknowledged_.erase(key);
  }
  const std::pair<absl::Time, std::string> due(a.due_at, a.alert_id);
  if (IsPlanningTask(a) && a.state < AlertState::kActioned && !a.escalated) {
    overdue_.insert(due);
  } else {
    overdue_.erase(due);
  }
}

void AlertBook::IndexChild(const Alert& a, const ChildId& old_child) {
  if (auto it = by_child_.find(old_child); it != by_child_.end()) {
    it->second.erase(a.alert_id);
    if (it->second.empty()) by_child_.erase(it);
  }
  by_child_[a.child_id].insert(a.alert_id);
}

const Alert* AlertBook::Find(const std::string& alert_id) const {
  const auto it = alerts_.find(alert_id);
  return it == alerts_.end() ? nullptr : &it->second;
}

absl::StatusOr<AlertPage> AlertBook::Page(const AlertQuery& q) const {
  if (q.page_size < 0 || q.page_size > kMaxAlertPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("page_size ", q.page_size, " outside 0..", kMaxAlertPageSize));
  }
  const size_t limit = q.page_size == 0 ? kDefaultAlertPageSize : static_cast<size_t>(q.page_size);
  std::optional<ListKey> after;
  if (!q.page_token.empty()) {
    std::vector<std::string> parts = absl::StrSplit(q.page_token, absl::MaxSplits('|', 2));
    int64_t nanos = 0;
    ListKey key;
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &key.rank) || !absl::SimpleAtoi(parts[1], &nanos) ||
        parts[2].empty()) {
      return absl::InvalidArgumentError("page_token: not one this service issued");
    }
    key.raised_at = absl::FromUnixNanos(nanos);
    key.alert_id = parts[2];
    after = std::move(key);
  }
  // A child's alerts are few: list them from the child index rather than the whole book.
  std::vector<ListKey> candidates;
  const bool by_child = !q.child_ids.empty();
  if (by_child) {
    for (const std::string& child : q.child_ids) {  // those of them that are child ids
      if (const auto it = by_child_.find(ChildId(child)); it != by_child_.end()) {
        for (const std::string& id : it->second) candidates.push_back(KeyOf(alerts_.at(id)));
      }
    }
    std::sort(candidates.begin(), candidates.end());
  }
  AlertPage page;
  const auto visit = [&](const ListKey& key) {
    const Alert& a = alerts_.at(key.alert_id);
    if (!MatchesQuery(a, q)) return;
    ++page.total;
    if (after && !(*after < key)) {
      ++page.before;
      return;
    }
    if (page.alerts.size() < limit) {
      page.alerts.push_back(&a);
    } else if (page.next_page_token.empty()) {
      page.next_page_token = AlertPageToken(*page.alerts.back());
    }
  };
  if (by_child) {
    for (const ListKey& key : candidates) visit(key);
  } else {
    for (const ListKey& key : listed_) visit(key);
  }
  return page;
}

std::vector<const Alert*> AlertBook::OfChild(const ChildId& child_id) const {
  std::vector<const Alert*> out;
  if (const auto it = by_child_.find(child_id); it != by_child_.end()) {
    for (const std::string& id : it->second) out.push_back(&alerts_.at(id));
  }
  return out;
}

std::vector<const Alert*> AlertBook::SameOccasionAs(const Alert& alert) const {
  std::set<std::string> ids;
  if (alerts_.contains(alert.alert_id)) ids.insert(alert.alert_id);
  for (const std::string& anchor : alert.anchor_event_ids) {
    const auto it = by_anchor_.find(anchor);
    if (it == by_anchor_.end()) continue;
    for (const std::string& id : it->second) {
      if (SameOccasion(alerts_.at(id), alert)) ids.insert(id);
    }
  }
  std::vector<const Alert*> out;
  for (const std::string& id : ids) out.push_back(&alerts_.at(id));
  return out;
}

void AlertBook::Forget(const std::string& alert_id) {
  const auto it = alerts_.find(alert_id);
  if (it == alerts_.end()) return;
  const Alert& a = it->second;
  for (const std::string& anchor : a.anchor_event_ids) {
    auto entry = by_anchor_.find(anchor);
    if (entry == by_anchor_.end()) continue;
    std::erase(entry->second, alert_id);
    if (entry->second.empty()) by_anchor_.erase(entry);
  }
  if (auto entry = by_child_.find(a.child_id); entry != by_child_.end()) {
    entry->second.erase(alert_id);
    if (entry->second.empty()) by_child_.erase(entry);
  }
  if (!a.merged_into.empty()) merged_from_[a.merged_into].erase(alert_id);
  Count(a, -1);
  listed_.erase(KeyOf(a));
  unacknowledged_.erase({a.raised_at, alert_id});
  overdue_.erase({a.due_at, alert_id});
  alerts_.erase(it);
}

std::vector<const Alert*> AlertBook::OverdueTasks(absl::Time now) const {
  std::vector<const Alert*> due;
  for (const auto& [due_at, id] : overdue_) {
    if (now < due_at) break;
    due.push_back(&alerts_.at(id));
  }
  return due;
}

std::vector<const Alert*> AlertBook::DueForEscalation(absl::Duration escalate_after, absl::Time now) const {
  std::vector<const Alert*> due;
  for (const auto& [raised_at, id] : unacknowledged_) {
    if (now < raised_at + escalate_after) break;
    due.push_back(&alerts_.at(id));
  }
  return due;
}

}  // namespace homeward::aggregator
