// File: alert_coordinator.h
//
// Runs the risk rules and keeps the alerts (docs/alerts.md).
//  - When events are applied, the rules are evaluated for the children they concern; on Tick()
//    (the aggregator's scheduled timer task, on the injected clock) for children whose time rules fall due or whose settling
//    window ends, and for escalation. A timer that fell due while the aggregator was down fires
//    after the settling window that follows the start (the backlog may still end the story).
//  - Each evaluation also reviews the child's alerts already raised: withdrawn when later
//    records show them never due, closed or actioned when their closing condition is met, and,
//    after records are linked or separated, re-keyed to the child they now belong to and merged
//    when two are one occasion (alerts.h).
//  - Catching up (a back-load, a new replica reading years of log: more than
//    kCatchUpBacklog events unread), the rules wait: the children the events concern are
//    evaluated once, by Tick, when the backlog is read, or kMaxCatchUpDelay after the first
//    was put off, whichever is sooner. So a child with many events in the backlog is evaluated
//    once, not after every batch, and no alert waits longer than that delay plus a tick.
//  - A new alert, and every change to one, is published to homeward.alerts.v1. The book is
//    updated only from records consumed back from that topic (OnAlertRecord), so every replica
//    folds the same records, and the feed position of each update is a topic position: stream
//    cursors survive restarts and are the same on every replica.
//  - Provisional delivery: a new alert is also offered to this replica's stream subscribers
//    that ask for it (ProvisionalAfter) from the moment it is published until its topic copy is
//    read back (then it is in the feed, confirmed) or the topic refuses it (then the child is
//    evaluated again at the next tick). It is never in the book: lists, actions, webhooks,
//    reports and a restarted replica see only what the topic holds.
//
// Thread safety: safe for concurrent use.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_ALERTS_ALERT_COORDINATOR_H_
#define HOMEWARD_SERVICES_AGGREGATOR_ALERTS_ALERT_COORDINATOR_H_

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/log_position.h"
#include "common/metrics/metrics.h"
#include "common/notifier.h"
#include "common/publisher.h"
#include "services/aggregator/alerts/alert_codec.h"
#include "services/aggregator/alerts/child_times.h"
#include "services/aggregator/domain/alerts.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/domain/reports/report_engine.h"
#include "services/aggregator/kafka/applied_sink.h"

namespace homeward::aggregator {

// Which updates a stream or webhook subscriber gets.
struct AlertFilter {
  std::string team;       // "" = any
  std::string authority;  // "" = any
};

// A position in the alert feed: the alerts topic's epoch (StoredAlertRecord) and, in it, the
// last offset delivered per partition. Written "<epoch>/<partition>:<offset>,..."; the form
// without an epoch ("<partition>:<offset>,...", issued before epochs) is epoch 0, and "" is the
// start of the feed.
struct FeedCursor {
  int64_t epoch = 0;
  std::map<int32_t, int64_t> offsets;
};

// INVALID_ARGUMENT if malformed.
absl::StatusOr<FeedCursor> ParseCursor(const std::string& cursor);
std::string FormatCursor(const FeedCursor& cursor);

struct AlertUpdate {
  Alert alert;          // as it stands now
  FeedCursor position;  // up to and including this update (provisional: not set)
  std::string cursor;   // the same, written (FormatCursor) (provisional: not set)
  // Raised by this replica and not yet read back from the alerts topic (ProvisionalAfter).
  bool provisional = false;
};

struct AlertListing {
  std::vector<Alert> alerts;
  int total = 0;
  int before = 0;  // matching alerts on the pages before this one
  std::string next_page_token;
  std::string feed_cursor;  // the feed's position when the list was taken
};

// Alert records published and not yet read back, at most: past it, evaluations wait for the
// next tick. However many alerts a large import calls for, the alerts topic never holds more
// than this many this replica has not read (the embedded Kafka keeps only about 5 MiB a
// partition, and would drop the rest: a gap), and a list request never waits behind a storm.
inline constexpr size_t kMaxAlertRecordsInFlight = 2000;

// Catch-up mode (above): the backlog of unread events past which evaluations are put off, and
// the longest an evaluation is put off.
inline constexpr int64_t kCatchUpBacklog = 10'000;
inline constexpr absl::Duration kMaxCatchUpDelay = absl::Seconds(30);

class AlertCoordinator final : public AppliedSink, public reports::AlertSource {
 public:
  // `chronology`, `publisher`, `clock` and `metrics` must outlive this object. Alerts new to the
  // book after EvaluateAll (not those replayed from the store) are counted in `metrics` as
  // homeward_alerts_raised_total{rule}.
  AlertCoordinator(RuleSet rules, const ChronologyStore& chronology, MessagePublisher& publisher, const Clock& clock,
                   metrics::Metrics& metrics = metrics::Discard())
      : rules_(std::move(rules)), chronology_(chronology), publisher_(publisher), clock_(clock), metrics_(metrics) {}

  // AppliedSink: after events are durably applied to the chronology; for each record consumed
  // from homeward.alerts.v1 (and on replay from the store).
  void OnEventsApplied(const std::vector<Event>& events) override ABSL_LOCKS_EXCLUDED(mu_);
  void OnAlertRecord(const StoredAlertRecord& record) override ABSL_LOCKS_EXCLUDED(mu_);
  // A data-quality alert for a gap in the log (rule "log-gap": its team, severity and action
  // when configured, else "missing-data-quality"), about no child: one per gap. Closed when an
  // administrator accepts the gap.
  void OnLogGap(const LogGap& gap) override ABSL_LOCKS_EXCLUDED(mu_);
  void OnLogGapAccepted(const LogGap& gap) override ABSL_LOCKS_EXCLUDED(mu_);
  // Enters or leaves catch-up mode (above).
  void OnBacklog(int64_t unread_events) override ABSL_LOCKS_EXCLUDED(mu_);
  // Evaluates every child (after start-up replay), through Tick; starts the settling window of
  // the start.
  void EvaluateAll() ABSL_LOCKS_EXCLUDED(mu_);
  // Fires what has fallen due by the clock's now, and escalates unacknowledged alerts, a slice
  // of children at a time (the lock is let go between slices) and while fewer than
  // kMaxAlertRecordsInFlight records are unread.
  void Tick() ABSL_LOCKS_EXCLUDED(mu_);
  // Children with a rule that may fall due later (the timer's queue).
  size_t waiting_children() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return due_.size();
  }

  // A duty worker's action, published as a transition. NOT_FOUND for an unknown alert,
  // FAILED_PRECONDITION if already closed or withdrawn, INVALID_ARGUMENT without `by`;
  // UNAVAILABLE if Kafka did not take it. Returns the alert as it will stand.
  absl::StatusOr<Alert> Act(const std::string& alert_id, TransitionKind kind, const std::string& by,
                            const std::string& note) ABSL_LOCKS_EXCLUDED(mu_);

  // One page of alerts (AlertBook::Page). Errors as AlertBook::Page.
  absl::StatusOr<AlertListing> List(const AlertQuery& query) const ABSL_LOCKS_EXCLUDED(mu_);
  std::optional<Alert> Find(const std::string& alert_id) const ABSL_LOCKS_EXCLUDED(mu_);
  // The reports' alerts: every alert the topic holds whose condition was met in [from, to).
  std::vector<Alert> AlertsDue(absl::Time from, absl::Time to) const override ABSL_LOCKS_EXCLUDED(mu_);
  static bool Matches(const Alert& a, const AlertFilter& f);
  // Updates after `cursor` matching the filter, oldest first, at most `limit`. `scan_from` (0 to
  // begin) is where the scan of the feed starts, moved past what was examined, so a subscriber
  // that calls again with it scans only what is new.
  std::vector<AlertUpdate> FeedAfter(const FeedCursor& cursor, const AlertFilter& filter, size_t limit,
                                     size_t& scan_from) const ABSL_LOCKS_EXCLUDED(mu_);

  // Alerts raised by this replica and not yet read back from the topic, matching the filter,
  // with a sequence above `after`, oldest first, at most `limit` (provisional delivery, above).
  // `after` (0 to begin) moves past what was examined, so a subscriber that calls again with it
  // is offered each alert once; one raised again after the topic refused it has a new sequence.
  std::vector<AlertUpdate> ProvisionalAfter(uint64_t& after, const AlertFilter& filter, size_t limit) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // `listener` is called, on the coordinator's notifier thread (common/notifier.h: never the
  // ingest thread, which does not wait for it), after the feed grows or a provisional alert is
  // raised; several changes may make one call. Returns an id for Unsubscribe, which returns once
  // the listener is not running (never call it from a listener).
  int Subscribe(std::function<void()> listener) { return notifier_.Subscribe(std::move(listener)); }
  void Unsubscribe(int id) { notifier_.Unsubscribe(id); }

  const RuleSet& rules() const { return rules_; }
  AlertCensus Census() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct FeedEntry {
    int64_t epoch;
    int32_t partition;
    int64_t offset;
    std::string alert_id;
  };

  void EvaluateChild(const ChildId& child_id, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The child whose records an alert of the book is about now (none if none holds them).
  ChildId OwnerOf(const Alert& alert) const;
  // Queues a record for publication unless it is already pending.
  void Publish(AlertRecord record) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A new alert: held as unconfirmed (and provisional) and published.
  void RaiseAndPublish(const Alert& alert) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Its topic copy arrived, or the topic refused it: no longer unconfirmed nor provisional.
  void ForgetUnconfirmed(const std::string& alert_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Publishes what is queued. Called without mu_ held: a publisher may report synchronously.
  void FlushOutbox() ABSL_LOCKS_EXCLUDED(mu_);

  const RuleSet rules_;
  const ChronologyStore& chronology_;
  MessagePublisher& publisher_;
  const Clock& clock_;
  metrics::Metrics& metrics_;

  mutable absl::Mutex mu_;
  AlertBook book_ ABSL_GUARDED_BY(mu_);
  std::vector<FeedEntry> feed_ ABSL_GUARDED_BY(mu_);
  FeedCursor head_ ABSL_GUARDED_BY(mu_);  // covers every entry of the feed
  // Records published and not yet read back (so a batch or tick does not publish them twice).
  std::set<std::string> pending_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<AlertRecord, std::string>> outbox_ ABSL_GUARDED_BY(mu_);
  // Alerts published and not yet read back: considered raised when deduplicating, and offered
  // to subscribers as provisional, in the order of their sequence.
  AlertBook unconfirmed_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, std::string> provisional_ ABSL_GUARDED_BY(mu_);  // sequence -> alert id
  absl::flat_hash_map<std::string, uint64_t> provisional_sequence_ ABSL_GUARDED_BY(mu_);
  uint64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 1;
  ChildTimes due_ ABSL_GUARDED_BY(mu_);  // when each child is next to be evaluated
  // When each child's records last arrived (for the settling window), and when the hub started.
  ChildTimes arrivals_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Time> started_ ABSL_GUARDED_BY(mu_);
  // Catch-up mode: whether far behind, the children put off, and since when.
  bool catching_up_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_set<ChildId> put_off_ ABSL_GUARDED_BY(mu_);
  absl::Time put_off_since_ ABSL_GUARDED_BY(mu_);

  Notifier notifier_;  // the subscribers
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_ALERTS_ALERT_COORDINATOR_H_
