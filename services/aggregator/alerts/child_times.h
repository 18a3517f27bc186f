// File: child_times.h
//
// A time for each child, kept in time order as well: when each child is next to be evaluated
// (the alert timer), when each child's records last arrived (the settling window). A tick takes
// the children due from the front, and lets go of arrivals older than the window from the
// front, instead of looking at every child held: with a million children waiting (an open
// episode each, say) those two looks took about 58 ms a tick under the coordinator's lock
// (docs/benchmarks.md, BM_AlertTickWhileChildrenWait).
//
// Thread safety: none (the coordinator's lock guards it).
#ifndef HOMEWARD_SERVICES_AGGREGATOR_ALERTS_CHILD_TIMES_H_
#define HOMEWARD_SERVICES_AGGREGATOR_ALERTS_CHILD_TIMES_H_

#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "services/aggregator/domain/child_id.h"

namespace homeward::aggregator {

class ChildTimes {
 public:
  // The child's time is `at` (replacing the one it had).
  void Set(const ChildId& child, absl::Time at) {
    auto [it, added] = at_.try_emplace(child, at);
    if (!added) {
      if (it->second == at) return;
      by_time_.erase({it->second, child});
      it->second = at;
    }
    by_time_.emplace(at, child);
  }
  void Erase(const ChildId& child) {
    if (const auto it = at_.find(child); it != at_.end()) {
      by_time_.erase({it->second, child});
      at_.erase(it);
    }
  }
  // Forgets every child whose time is before `t`.
  void EraseBefore(absl::Time t) {
    while (!by_time_.empty() && by_time_.begin()->first < t) {
      at_.erase(by_time_.begin()->second);
      by_time_.erase(by_time_.begin());
    }
  }
  // The child's time, if it has one.
  std::optional<absl::Time> At(const ChildId& child) const {
    const auto it = at_.find(child);
    return it == at_.end() ? std::nullopt : std::optional<absl::Time>(it->second);
  }
  // The children whose time is `t` or earlier, earliest first; equal times in child order.
  std::vector<ChildId> UpTo(absl::Time t) const {
    std::vector<ChildId> children;
    for (auto it = by_time_.begin(); it != by_time_.end() && it->first <= t; ++it) children.push_back(it->second);
    return children;
  }
  // The earliest time held, if any.
  std::optional<absl::Time> earliest() const {
    return by_time_.empty() ? std::nullopt : std::optional<absl::Time>(by_time_.begin()->first);
  }
  size_t size() const { return at_.size(); }

 private:
  absl::flat_hash_map<ChildId, absl::Time> at_;
  std::set<std::pair<absl::Time, ChildId>> by_time_;  // the same, in time order
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_ALERTS_CHILD_TIMES_H_
