#include "services/aggregator/alerts/alert_coordinator.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/logging.h"

namespace homeward::aggregator {
namespace {

std::string PendingKey(const AlertRecord& record) {
  if (const auto* a = std::get_if<Alert>(&record)) return absl::StrCat("raise/", a->alert_id);
  const auto& t = std::get<AlertTransition>(record);
  return absl::StrCat("transition/", t.alert_id, "/", static_cast<int>(t.kind));
}

std::string FormatCursor(const std::map<int32_t, int64_t>& cursor) {
  std::vector<std::string> parts;
  for (const auto& [partition, offset] : cursor) parts.push_back(absl::StrCat(partition, ":", offset));
  return absl::StrJoin(parts, ",");
}

}  // namespace

absl::StatusOr<std::map<int32_t, int64_t>> ParseCursor(const std::string& cursor) {
  std::map<int32_t, int64_t> out;
  for (absl::string_view part : absl::StrSplit(cursor, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(part, absl::MaxSplits(':', 1));
    int32_t partition = 0;
    int64_t offset = 0;
    if (!absl::SimpleAtoi(kv.first, &partition) || !absl::SimpleAtoi(kv.second, &offset)) {
      return absl::InvalidArgumentError(absl::StrCat("cursor: '", cursor, "' is not one this service issued"));
    }
    out[partition] = offset;
  }
  return out;
}

bool AlertCoordinator::Matches(const Alert& a, const AlertFilter& f) {
  if (!f.team.empty() && a.team != f.team) return false;
  if (!f.authority.empty() &&
      std::find(a.authorities.begin(), a.authorities.end(), f.authority) == a.authorities.end()) {
    return false;
  }
  if (!f.child_id.empty() && a.child_id != f.child_id) return false;
  return !f.open_only || a.state != AlertState::kClosed;
}

void AlertCoordinator::Publish(AlertRecord record, const std::string& pending_key) {
  if (!pending_.insert(pending_key).second) return;
  outbox_.emplace_back(std::move(record), pending_key);
}

void AlertCoordinator::FlushOutbox() {
  std::vector<std::pair<AlertRecord, std::string>> outbox;
  {
    absl::MutexLock lock(&mu_);
    outbox.swap(outbox_);
  }
  for (auto& [record, key] : outbox) {
    publisher_.PublishAsync({AlertRecordMessage(record)}, [this, key = key](std::vector<absl::Status> sent) {
      if (sent[0].ok()) return;
      log::Error("could not publish alert record {}: {}; it will be raised again", key, sent[0].ToString());
      absl::MutexLock lock(&mu_);
      pending_.erase(key);  // the next evaluation tries again
      if (absl::StartsWith(key, "raise/")) unconfirmed_.Forget(key.substr(6));
    });
  }
}

void AlertCoordinator::EvaluateChild(const std::string& child_id, absl::Time now) {
  absl::StatusOr<ChildFacts> facts = chronology_.Facts(child_id);
  if (!facts.ok()) return;
  const std::vector<Alert> current = EvaluateRules(rules_, *facts, now);
  for (const Alert& alert : current) {
    if (book_.HoldsOccasion(alert) || unconfirmed_.HoldsOccasion(alert)) continue;
    unconfirmed_.Raise(alert);
    Publish(alert, PendingKey(alert));
  }
  for (const Alert* h : book_.OfChild(facts->child_id)) {
    for (AlertTransition& t : AutomaticTransitions(*h, *facts, current, now)) {
      const std::string key = PendingKey(t);
      Publish(std::move(t), key);
    }
  }
  if (std::optional<absl::Time> next = NextDue(rules_, *facts, now)) {
    due_[facts->child_id] = *next;
  } else {
    due_.erase(facts->child_id);
  }
}

void AlertCoordinator::OnEventsApplied(const std::vector<Event>& events) {
  std::set<std::string> children;
  for (const Event& e : events) {
    if (auto child = chronology_.ChildOf(e)) children.insert(*child);
  }
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& child : children) EvaluateChild(child, now);
  }
  FlushOutbox();
}

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
  Alert a{.alert_id = absl::StrCat("log-gap:", gap.tp.topic, "/", gap.tp.partition, "/", gap.from),
          .rule_id = rule->id,
          .rule_version = rule->version,
          .severity = rule->severity,
          .recommended_action = rule->recommended_action,
          .team = rule->team,
          .authorities = {rules_.default_authority},
          .raised_at = now,
          .triggered_by_event_time = gap.detected_at,
          .reason = absl::StrCat("the log lost records before this hub read them: ", gap.Describe())};
  a.anchor_event_ids = {a.alert_id};
  {
    absl::MutexLock lock(&mu_);
    if (book_.HoldsOccasion(a) || unconfirmed_.HoldsOccasion(a)) return;
    unconfirmed_.Raise(a);
    Publish(a, PendingKey(a));
  }
  FlushOutbox();
}

void AlertCoordinator::EvaluateAll() {
  const std::vector<std::string> children = chronology_.Children();
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& child : children) EvaluateChild(child, now);
  }
  Tick();
}

void AlertCoordinator::Tick() {
  const absl::Time now = clock_.Now();
  absl::ReleasableMutexLock lock(&mu_);
  std::vector<std::string> due;
  for (const auto& [child, at] : due_) {
    if (at <= now) due.push_back(child);
  }
  for (const std::string& child : due) EvaluateChild(child, now);
  for (const Alert* a : book_.DueForEscalation(rules_.escalate_after, now)) {
    AlertTransition t{.alert_id = a->alert_id, .kind = TransitionKind::kEscalate, .by = "homeward", .at = now,
                      .note = absl::StrCat("not acknowledged within ", absl::FormatDuration(rules_.escalate_after))};
    Publish(t, PendingKey(t));
  }
  lock.Release();
  FlushOutbox();
}

void AlertCoordinator::OnAlertRecord(const TopicPartition& tp, int64_t offset, absl::string_view bytes) {
  absl::StatusOr<AlertRecord> record = DecodeAlertRecord(bytes);
  if (!record.ok()) {
    log::Error("alerts topic {}/{}@{}: {}", tp.topic, tp.partition, offset, record.status().ToString());
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    pending_.erase(PendingKey(*record));
    std::string alert_id;
    if (const auto* a = std::get_if<Alert>(&*record)) {
      alert_id = a->alert_id;
      unconfirmed_.Forget(a->alert_id);
      if (!book_.Raise(*a)) return;  // a copy (another replica raised it too): no update
    } else {
      const auto& t = std::get<AlertTransition>(*record);
      alert_id = t.alert_id;
      const Alert* before = book_.Find(alert_id);
      const size_t history = before ? before->history.size() : 0;
      if (!book_.Apply(t)) return;  // kept until its alert arrives
      if (book_.Find(alert_id)->history.size() == history) return;  // the same transition again
    }
    feed_.push_back(FeedEntry{tp.partition, offset, alert_id, *book_.Find(alert_id)});
  }
  Notify();
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
    if (a->state == AlertState::kClosed) return absl::FailedPreconditionError(absl::StrCat(alert_id, " is closed"));
    AlertBook preview;
    preview.Raise(*a);
    for (const AlertTransition& h : a->history) preview.Apply(h);
    preview.Apply(t);
    will_be = *preview.Find(alert_id);
  }
  for (const absl::Status& s : publisher_.PublishAll({AlertRecordMessage(t)})) {
    if (!s.ok()) return s;
  }
  return will_be;
}

std::vector<Alert> AlertCoordinator::List(const AlertFilter& filter) const {
  absl::MutexLock lock(&mu_);
  std::vector<Alert> out;
  for (const Alert* a : book_.All()) {
    if (Matches(*a, filter)) out.push_back(*a);
  }
  return out;
}

std::optional<Alert> AlertCoordinator::Find(const std::string& alert_id) const {
  absl::MutexLock lock(&mu_);
  const Alert* a = book_.Find(alert_id);
  return a == nullptr ? std::nullopt : std::optional<Alert>(*a);
}

std::vector<AlertUpdate> AlertCoordinator::FeedAfter(const std::map<int32_t, int64_t>& cursor, const AlertFilter& filter,
                                                     size_t limit) const {
  absl::MutexLock lock(&mu_);
  std::vector<AlertUpdate> out;
  std::map<int32_t, int64_t> position = cursor;
  for (const FeedEntry& e : feed_) {
    const auto it = cursor.find(e.partition);
    if (it != cursor.end() && e.offset <= it->second) continue;
    position[e.partition] = std::max(position[e.partition], e.offset);
    if (!Matches(e.snapshot, filter)) continue;
    out.push_back(AlertUpdate{e.snapshot, FormatCursor(position)});
    if (out.size() >= limit) break;
  }
  return out;
}

int AlertCoordinator::Subscribe(std::function<void()> listener) {
  absl::MutexLock lock(&listeners_mu_);
  listeners_[next_listener_] = std::move(listener);
  return next_listener_++;
}

void AlertCoordinator::Unsubscribe(int id) {
  absl::MutexLock lock(&listeners_mu_);
  listeners_.erase(id);
}

void AlertCoordinator::Notify() {
  absl::MutexLock lock(&listeners_mu_);
  for (auto& [id, listener] : listeners_) listener();
}

}  // namespace homeward::aggregator
