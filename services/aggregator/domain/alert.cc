#include "services/aggregator/domain/alert.h"

#include <algorithm>
#include <iterator>

namespace homeward::aggregator {

bool SameOccasion(const Alert& a, const Alert& b) {
  if (a.rule_id != b.rule_id) return false;
  if (a.alert_id == b.alert_id) return true;
  std::vector<std::string> shared;
  std::set_intersection(a.anchor_event_ids.begin(), a.anchor_event_ids.end(), b.anchor_event_ids.begin(),
                        b.anchor_event_ids.end(), std::back_inserter(shared));
  return !shared.empty();
}

int SeverityRank(const std::string& severity) {
  // A planning task is days of work, not a call to act now: after compliance, before notices.
  static constexpr const char* kOrder[] = {"strategy meeting", "escalation", "compliance", "planning task",
                                           "notification", "data quality"};
  for (int i = 0; i < static_cast<int>(std::size(kOrder)); ++i) {
    if (severity == kOrder[i]) return i;
  }
  return static_cast<int>(std::size(kOrder));
}

const char* ToString(AlertState state) {
  switch (state) {
    case AlertState::kRaised: return "raised";
    case AlertState::kAcknowledged: return "acknowledged";
    case AlertState::kActioned: return "actioned";
    case AlertState::kClosed: return "closed";
    case AlertState::kWithdrawn: return "withdrawn";
  }
  return "unknown";
}

const char* ToString(TransitionKind kind) {
  switch (kind) {
    case TransitionKind::kAcknowledge: return "acknowledged";
    case TransitionKind::kAction: return "actioned";
    case TransitionKind::kClose: return "closed";
    case TransitionKind::kEscalate: return "escalated";
    case TransitionKind::kWithdraw: return "withdrawn";
    case TransitionKind::kRekey: return "re-keyed";
    case TransitionKind::kMerge: return "merged";
  }
  return "unknown";
}

}  // namespace homeward::aggregator
