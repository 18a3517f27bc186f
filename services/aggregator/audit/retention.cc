#include "services/aggregator/audit/retention.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/codec/event_codec.h"
#include "common/dead_letter/dead_letter.h"
#include "common/domain/limits.h"
#include "common/logging.h"

namespace homeward::aggregator {

std::vector<Event> PurgeEvents(const PurgedChild& plan, const std::string& by, const std::string& reason,
                               absl::Time now) {
  const std::string digest = Sha256Hex(absl::StrJoin(plan.event_ids, "\n")).substr(0, 24);
  std::vector<Event> events;
  for (size_t first = 0, part = 1; first < plan.event_ids.size(); first += limits::kMaxPurgeIds, ++part) {
    const size_t last = std::min(plan.event_ids.size(), first + limits::kMaxPurgeIds);
    Event e;
    e.agency_id = kRetentionAgency;
    e.agency_kind = AgencyKind::kSocialCare;  // as identity decisions: the partnership's own record
    e.source_record = absl::StrCat("purge-", digest, "-", part);
    e.facet = "purge";
    e.revision = 1;
    e.event_id = MakeEventId(e.agency_id, e.source_record, e.facet, e.revision);
    e.occurred_at = now;
    e.recorded_at = now;
    e.payload = ChildPurged{.event_ids = {plan.event_ids.begin() + first, plan.event_ids.begin() + last},
                            .reason = reason,
                            .decided_by = by};
    events.push_back(std::move(e));
  }
  return events;
}

absl::StatusOr<PurgedChild> Retention::Purge(const std::string& child, const std::string& by,
                                             const std::string& reason, absl::Time now) {
  absl::StatusOr<PurgedChild> plan = chronology_.PurgePlan(child);
  if (!plan.ok()) return plan.status();
  // Its alerts may have been raised under any of its ids: known only before the purge.
  const std::vector<std::string> identifiers = chronology_.IdentifiersOf(child).value_or(std::vector<std::string>{});
  std::vector<OutboundMessage> messages;
  for (const Event& e : PurgeEvents(*plan, by, reason, now)) messages.push_back(EventMessage(e));
  for (const absl::Status& s : log_.PublishAll(std::move(messages))) {
    if (!s.ok()) return absl::UnavailableError(absl::StrCat("the purge was not published, nothing changed: ", s.message()));
  }
  // Applied here once no id of the plan is held with content any more.
  const auto applied = [&] {
    return std::all_of(plan->event_ids.begin(), plan->event_ids.end(),
                       [&](const std::string& id) { return chronology_.HeldFingerprint(id).value_or(0) == 0; });
  };
  const absl::Time until = absl::Now() + wait_for_apply_;
  while (!applied() && absl::Now() < until) absl::SleepFor(absl::Milliseconds(20));
  if (alerts_ != nullptr && !identifiers.empty()) {
    AlertQuery open{.child_ids = identifiers,
                    .states = {AlertState::kRaised, AlertState::kAcknowledged, AlertState::kActioned},
                    .page_size = kMaxAlertPageSize};
    do {
      absl::StatusOr<AlertListing> page = alerts_->List(open);
      if (!page.ok()) break;
      for (const Alert& a : page->alerts) {
        absl::StatusOr<Alert> closed =
            alerts_->Act(a.alert_id, TransitionKind::kClose, by, absl::StrCat("records purged: ", reason));
        if (!closed.ok()) log::Warn("purge: alert {} not closed: {}", a.alert_id, closed.status().ToString());
      }
      open.page_token = page->next_page_token;
    } while (!open.page_token.empty());
  }
  if (wait_for_apply_ > absl::ZeroDuration() && !applied()) {
    return absl::DeadlineExceededError(
        absl::StrCat("the purge of ", plan->child_id.value(), " is on the log but not yet applied here; it will be"));
  }
  return plan;
}

std::vector<ChildId> Retention::Expired(absl::Duration keep_for, absl::Time now) const {
  return chronology_.ChildrenQuietSince(now - keep_for);
}

}  // namespace homeward::aggregator
