#include "services/aggregator/alerts/alert_coordinator.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/logging.h"

namespace homeward::aggregator {
namespace {

std::string PendingKey(const AlertRecord& record) {
  if (const auto* a = std::get_if<Alert>(&record)) return absl::StrCat("raise/", a->alert_id);
  const auto& t = std::get<AlertTransition>(record);
  return absl::StrCat("transition/", t.alert_id, "/", ToString(t.kind), "/", t.child_id.value(), "/", t.by);
}

// Whether the feed entry at (epoch, partition, offset) comes after `cursor`.
bool After(const FeedCursor& cursor, int64_t epoch, int32_t partition, int64_t offset) {
  if (epoch != cursor.epoch) return epoch > cursor.epoch;
  const auto it = cursor.offsets.find(partition);
  return it == cursor.offsets.end() || offset > it->second;
}

void Advance(FeedCursor& cursor, int64_t epoch, int32_t partition, int64_t offset) {
  if (epoch > cursor.epoch) cursor = FeedCursor{.epoch = epoch};
  if (epoch < cursor.epoch) return;
  auto [it, added] = cursor.offsets.try_emplace(partition, offset);
  if (!added) it->second = std::max(it->second, offset);
}

}  // namespace

absl::StatusOr<FeedCursor> ParseCursor(const std::string& text) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat("cursor: '", text, "' is not one this service issued"));
  };
  FeedCursor cursor;
  absl::string_view positions = text;
  if (const size_t slash = positions.find('/'); slash != absl::string_view::npos) {
    if (!absl::SimpleAtoi(positions.substr(0, slash), &cursor.epoch) || cursor.epoch < 0) return bad();
    positions.remove_prefix(slash + 1);
  }
  for (absl::string_view part : absl::StrSplit(positions, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(part, absl::MaxSplits(':', 1));
    int32_t partition = 0;
    int64_t offset = 0;
    if (!absl::SimpleAtoi(kv.first, &partition) || !absl::SimpleAtoi(kv.second, &offset) || partition < 0) return bad();
    cursor.offsets[partition] = offset;
  }
  return cursor;
}

std::string FormatCursor(const FeedCursor& cursor) {
  std::vector<std::string> parts;
  for (const auto& [partition, offset] : cursor.offsets) parts.push_back(absl::StrCat(partition, ":", offset));
  return absl::StrCat(cursor.epoch, "/", absl::StrJoin(parts, ","));
}

bool AlertCoordinator::Matches(const Alert& a, const AlertFilter& f) {
  if (!f.team.empty() && a.team != f.team) return false;
  return f.authority.empty() || std::find(a.authorities.begin(), a.authorities.end(), f.authority) != a.authorities.end();
}

void AlertCoordinator::Publish(AlertRecord record) {
  std::string key = PendingKey(record);
  if (!pending_.insert(key).second) return;
  outbox_.emplace_back(std::move(record), std::move(key));
}

void AlertCoordinator::RaiseAndPublish(const Alert& alert) {
  unconfirmed_.Raise(alert);
  const uint64_t sequence = next_sequence_++;
  provisional_[sequence] = alert.alert_id;
  provisional_sequence_[alert.alert_id] = sequence;
  Publish(alert);
}

void AlertCoordinator::ForgetUnconfirmed(const std::string& alert_id) {
  unconfirmed_.Forget(alert_id);
  if (const auto it = provisional_sequence_.find(alert_id); it != provisional_sequence_.end()) {
    provisional_.erase(it->second);
    provisional_sequence_.erase(it);
  }
}

void AlertCoordinator::FlushOutbox() {
  std::vector<std::pair<AlertRecord, std::string>> outbox;
  {
    absl::MutexLock lock(&mu_);
    outbox.swap(outbox_);
  }
  // New alerts reach this replica's subscribers now (provisional), not a log round trip later.
  if (std::any_of(outbox.begin(), outbox.end(), [](const auto& r) { return std::holds_alternative<Alert>(r.first); })) {
    notifier_.Notify();
  }
  for (auto& [record, key] : outbox) {
    // Named by what it does to which alert: never by child (the key holds the child's id).
    std::string what = std::holds_alternative<Alert>(record)
                           ? absl::StrCat("raise of ", std::get<Alert>(record).alert_id)
                           : absl::StrCat(ToString(std::get<AlertTransition>(record).kind), " of ",
                                          std::get<AlertTransition>(record).alert_id);
    publisher_.PublishAsync({AlertRecordMessage(record)}, [this, key = key, what = std::move(what)](
                                                              std::vector<absl::Status> sent) {
      if (sent[0].ok()) return;
      log::Error("could not publish alert record ({}): {}; it will be raised again", what, sent[0].ToString());
      absl::MutexLock lock(&mu_);
      pending_.erase(key);  // the next evaluation tries again
      if (absl::StartsWith(key, "raise/")) {
        // No longer provisional: the topic does not hold it. The next tick evaluates the child
        // again, and raises it again (the same id) if it is still due.
        const std::string alert_id = key.substr(6);
        if (const Alert* a = unconfirmed_.Find(alert_id); a != nullptr && !a->child_id.empty()) {
          due_.Set(a->child_id, clock_.Now());
        }
        ForgetUnconfirmed(alert_id);
      }
    });
  }
}

ChildId AlertCoordinator::OwnerOf(const Alert& alert) const {
  // The records an alert is anchored on decide whose it is: links and separations move records
  // between children, and the alert goes with them.
  for (const std::string& event_id : alert.anchor_event_ids) {
    if (std::optional<ChildId> child = chronology_.ChildOfEvent(event_id)) return *child;
  }
  if (alert.child_id.empty()) return ChildId();
  return chronology_.ResolveChild(alert.child_id.value()).value_or(ChildId());
}

void AlertCoordinator::EvaluateChild(const ChildId& child_id, absl::Time now) {
  if (pending_.size() >= kMaxAlertRecordsInFlight) {
    due_.Set(child_id, now);  // the topic is busy with what is in flight: the next tick evaluates it
    return;
  }
  absl::StatusOr<ChildFacts> facts = chronology_.Facts(child_id.value());
  if (!facts.ok()) return;
  const ChildId& child = facts->child_id;
  const std::vector<Alert> due = EvaluateRules(rules_, *facts, now);
  EvaluationContext context;
  context.last_arrival = arrivals_.At(child);
  if (started_ && (!context.last_arrival || *started_ > *context.last_arrival)) context.last_arrival = started_;

  // The alerts that are this child's now: raised under any of its ids (each was a child id once,
  // or may become one), or on its records.
  std::set<const Alert*> candidates;
  for (const std::string& id : facts->identifiers) {
    for (const Alert* a : book_.OfChild(ChildId(id))) candidates.insert(a);
  }
  for (const Alert& d : due) {
    for (const Alert* a : book_.SameOccasionAs(d)) candidates.insert(a);
  }
  std::vector<const Alert*> mine;
  for (const Alert* a : candidates) {
    if (OwnerOf(*a) == child) mine.push_back(a);
  }
  std::sort(mine.begin(), mine.end(), [](const Alert* x, const Alert* y) { return x->alert_id < y->alert_id; });

  for (AlertTransition& t : FollowIdentity(child, mine, due, now, "records linked or separated by a coordinator")) {
    Publish(std::move(t));
  }
  std::optional<absl::Time> next = NextDue(rules_, *facts, now);
  for (const Alert& d : due) {
    if (!RaiseNow(rules_, d, now, context)) {
      if (std::optional<absl::Time> until = SettlingUntil(rules_, d, now, context); until && (!next || *until < *next)) {
        next = until;
      }
      continue;
    }
    const auto held = [&](const AlertBook& book, bool owned) {
      for (const Alert* a : book.SameOccasionAs(d)) {
        if (owned ? OwnerOf(*a) == child : a->child_id == child) return true;
      }
      return false;
    };
    if (held(book_, true) || held(unconfirmed_, false)) continue;
    RaiseAndPublish(d);
  }
  for (const Alert* a : mine) {
    if (std::optional<AlertTransition> t = ReviewAlert(rules_, *a, *facts, due, now)) Publish(*std::move(t));
  }
  if (next.has_value()) {
    due_.Set(child, *next);
  } else {
    due_.Erase(child);
  }
}

void AlertCoordinator::OnEventsApplied(const std::vector<Event>& events) {
  std::set<ChildId> children;
  for (const Event& e : events) {
    for (ChildId& child : chronology_.ChildrenOf(e)) children.insert(std::move(child));
  }
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    for (const ChildId& child : children) {
      arrivals_.Set(child, now);
      if (catching_up_) {
        if (put_off_.empty()) put_off_since_ = now;
        put_off_.insert(child);
      } else {
        EvaluateChild(child, now);
      }
    }
  }
  FlushOutbox();
}

void AlertCoordinator::OnBacklog(int64_t unread_events) {
  absl::MutexLock lock(&mu_);
  const bool behind = unread_events > kCatchUpBacklog;
  if (behind != catching_up_) {
    log::Info("{} catch-up mode: {} events unread{}", behind ? "entering" : "leaving", unread_events,
              behind ? "; the rules run once the backlog is read" : "");
  }
  catching_up_ = behind;
}

namespace {

std::string GapAlertId(const LogGap& gap) {
  return absl::StrCat("log-gap:", gap.tp.topic, "/", gap.tp.partition, "/", gap.from);
}

}  // namespace

void AlertCoordinator::OnLogGap(const LogGap& gap) {
  static const auto* fallback = new RuleConfig{
      .id = "log-gap",
      .version = 1,
      .severity = "data quality",
      .team = "missing-data-quality",
      .recommended_action = "Records were removed from the log before this hub read them: re-import the affected "
                            "agencies' exports for the period, then accept the gap (homeward gaps accept)"};
  const RuleConfig* rule = rules_.Find("log-gap");
  if (rule == nullptr) rule = fallback;
  const absl::Time now = clock_.Now();
  Alert a{.alert_id = GapAlertId(gap),
          .rule_id = rule->id,
          .rule_version = rule->version,
          .severity = rule->severity,
          .recommended_action = rule->recommended_action,
          .team = rule->team,
          .authorities = {rules_.default_authority},
          .raised_at = now,
          .triggered_by_event_time = gap.detected_at,
          .due_at = gap.detected_at,
          .reason = absl::StrCat("the log lost records before this hub read them: ", gap.Describe())};
  a.anchor_event_ids = {a.alert_id};
  {
    absl::MutexLock lock(&mu_);
    if (!book_.SameOccasionAs(a).empty() || !unconfirmed_.SameOccasionAs(a).empty()) return;
    RaiseAndPublish(a);
  }
  FlushOutbox();
}

void AlertCoordinator::OnLogGapAccepted(const LogGap& gap) {
  {
    absl::MutexLock lock(&mu_);
    const Alert* a = book_.Find(GapAlertId(gap));
    if (a == nullptr || !IsOpen(*a)) return;
    Publish(AlertTransition{.alert_id = a->alert_id,
                            .kind = TransitionKind::kClose,
                            .by = kHubActor,
                            .at = gap.accepted_at.value_or(clock_.Now()),
                            .note = absl::StrCat("gap accepted by ", gap.accepted_by)});
  }
  FlushOutbox();
}

void AlertCoordinator::EvaluateAll() {
  const std::vector<ChildId> children = chronology_.Children();
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    // What fell due while the hub was down waits for the backlog on the log, like an import.
    if (!started_) started_ = now;
    for (const ChildId& child : children) due_.Set(child, now);  // Tick evaluates them, a slice at a time
  }
  Tick();
}

void AlertCoordinator::Tick() {
  constexpr size_t kSlice = 256;  // children evaluated per hold of the lock
  // How long one tick goes on with a backlog of due children, waiting for records in flight to
  // be read back: a storm moves at the speed of the log, not of the timer.
  constexpr absl::Duration kTickBudget = absl::Milliseconds(900);
  const absl::Time now = clock_.Now();
  const absl::Time until = absl::Now() + kTickBudget;
  std::vector<ChildId> due;
  {
    absl::MutexLock lock(&mu_);
    // What catch-up put off is due once the backlog is read, or once it has waited long enough.
    if (!put_off_.empty() && (!catching_up_ || now - put_off_since_ >= kMaxCatchUpDelay)) {
      for (const ChildId& child : put_off_) due_.Set(child, now);
      put_off_.clear();
    }
    due = due_.UpTo(now);
  }
  const auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return pending_.size() < kMaxAlertRecordsInFlight / 2; };
  for (size_t first = 0; first < due.size(); first += kSlice) {
    {
      absl::MutexLock lock(&mu_);
      if (pending_.size() >= kMaxAlertRecordsInFlight &&
          !mu_.AwaitWithDeadline(absl::Condition(&room), until)) {
        break;  // the rest stay due for the next tick
      }
      for (size_t i = first; i < std::min(due.size(), first + kSlice); ++i) {
        if (const std::optional<absl::Time> at = due_.At(due[i]); at && *at <= now) EvaluateChild(due[i], now);
      }
    }
    FlushOutbox();
  }
  {
    absl::MutexLock lock(&mu_);
    for (const Alert* a : book_.DueForEscalation(rules_.escalate_after, now)) {
      if (pending_.size() >= kMaxAlertRecordsInFlight) break;
      Publish(AlertTransition{.alert_id = a->alert_id,
                              .kind = TransitionKind::kEscalate,
                              .by = kHubActor,
                              .at = now,
                              .note = absl::StrCat("not acknowledged within ", absl::FormatDuration(rules_.escalate_after))});
    }
    for (const Alert* a : book_.OverdueTasks(now)) {
      if (pending_.size() >= kMaxAlertRecordsInFlight) break;
      Publish(AlertTransition{
          .alert_id = a->alert_id,
          .kind = TransitionKind::kEscalate,
          .by = kHubActor,
          .at = now,
          .note = absl::StrCat("overdue: not recorded in the child's plan by ",
                               absl::FormatTime("%Y-%m-%d %H:%M UTC", a->due_at, absl::UTCTimeZone()))});
    }
    // Arrivals older than the settling window no longer hold anything back.
    arrivals_.EraseBefore(now - rules_.settle);
  }
  FlushOutbox();
}

void AlertCoordinator::OnAlertRecord(const StoredAlertRecord& r) {
  absl::StatusOr<AlertRecord> record = DecodeAlertRecord(r.bytes);
  if (!record.ok()) {
    log::Error("alerts topic epoch {} {}@{}: {}", r.epoch, r.partition, r.offset, record.status().ToString());
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    pending_.erase(PendingKey(*record));
    std::string alert_id;
    if (const auto* a = std::get_if<Alert>(&*record)) {
      alert_id = a->alert_id;
      ForgetUnconfirmed(a->alert_id);
      if (!book_.Raise(*a)) return;  // a copy (another replica raised it too): no update
      if (started_.has_value()) {  // not one replayed from the store at start
        metrics_.GetCounter("homeward_alerts_raised_total", "Alerts new to this replica's book since it started, by rule",
                            {{"rule", a->rule_id}})
            .Increment();
      }
    } else {
      const auto& t = std::get<AlertTransition>(*record);
      alert_id = t.alert_id;
      if (!book_.Apply(t)) return;  // the same step again, or kept until its alert arrives
    }
    feed_.push_back(FeedEntry{r.epoch, r.partition, r.offset, std::move(alert_id)});
    Advance(head_, r.epoch, r.partition, r.offset);
  }
  notifier_.Notify();
}

AlertCensus AlertCoordinator::Census() const {
  absl::MutexLock lock(&mu_);
  return book_.census();
}

absl::StatusOr<Alert> AlertCoordinator::Act(const std::string& alert_id, TransitionKind kind, const std::string& by,
                                            const std::string& note) {
  if (by.empty()) return absl::InvalidArgumentError("by: who acts on the alert is required");
  AlertTransition t{.alert_id = alert_id, .kind = kind, .by = by, .at = clock_.Now(), .note = note};
  Alert will_be;
  {
    absl::MutexLock lock(&mu_);
    const Alert* a = book_.Find(alert_id);
    if (a == nullptr) return absl::NotFoundError(absl::StrCat("no alert ", alert_id));
    if (!IsOpen(*a)) {
      return absl::FailedPreconditionError(absl::StrCat(alert_id, " is already ", ToString(a->state),
                                                        a->history.empty() ? "" : ": ", a->history.empty() ? "" : a->history.back().note));
    }
    AlertBook preview;
    Alert as_raised = *a;
    as_raised.child_id = a->raised_for_child_id;
    preview.Raise(as_raised);
    for (const AlertTransition& h : a->history) preview.Apply(h);
    preview.Apply(t);
    will_be = *preview.Find(alert_id);
  }
  for (const absl::Status& s : publisher_.PublishAll({AlertRecordMessage(t)})) {
    if (!s.ok()) return s;
  }
  return will_be;
}

absl::StatusOr<AlertListing> AlertCoordinator::List(const AlertQuery& query) const {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<AlertPage> page = book_.Page(query);
  if (!page.ok()) return page.status();
  AlertListing out{.total = page->total, .before = page->before, .next_page_token = page->next_page_token, .feed_cursor = FormatCursor(head_)};
  out.alerts.reserve(page->alerts.size());
  for (const Alert* a : page->alerts) out.alerts.push_back(*a);
  return out;
}

std::optional<Alert> AlertCoordinator::Find(const std::string& alert_id) const {
  absl::MutexLock lock(&mu_);
  const Alert* a = book_.Find(alert_id);
  return a == nullptr ? std::nullopt : std::optional<Alert>(*a);
}

std::vector<Alert> AlertCoordinator::AlertsDue(absl::Time from, absl::Time to) const {
  absl::MutexLock lock(&mu_);
  std::vector<Alert> out;
  book_.ForEach([&](const Alert& a) {
    if (a.due_at >= from && a.due_at < to) out.push_back(a);
  });
  return out;
}

std::vector<AlertUpdate> AlertCoordinator::FeedAfter(const FeedCursor& cursor, const AlertFilter& filter, size_t limit,
                                                     size_t& scan_from) const {
  absl::MutexLock lock(&mu_);
  std::vector<AlertUpdate> out;
  FeedCursor position = cursor;
  for (; scan_from < feed_.size() && out.size() < limit; ++scan_from) {
    const FeedEntry& e = feed_[scan_from];
    if (!After(cursor, e.epoch, e.partition, e.offset)) continue;
    Advance(position, e.epoch, e.partition, e.offset);
    const Alert* a = book_.Find(e.alert_id);
    if (a == nullptr || !Matches(*a, filter)) continue;
    out.push_back(AlertUpdate{*a, position, FormatCursor(position)});
  }
  return out;
}

std::vector<AlertUpdate> AlertCoordinator::ProvisionalAfter(uint64_t& after, const AlertFilter& filter,
                                                            size_t limit) const {
  absl::MutexLock lock(&mu_);
  std::vector<AlertUpdate> out;
  for (auto it = provisional_.upper_bound(after); it != provisional_.end() && out.size() < limit; ++it) {
    after = it->first;
    const Alert* a = unconfirmed_.Find(it->second);
    if (a == nullptr || !Matches(*a, filter)) continue;
    out.push_back(AlertUpdate{.alert = *a, .provisional = true});
  }
  return out;
}

}  // namespace homeward::aggregator
