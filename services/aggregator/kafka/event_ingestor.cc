#include "services/aggregator/kafka/event_ingestor.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/dead_letter/dead_letter.h"
#include "common/domain/event_validation.h"
#include "common/logging.h"
#include "common/topics.h"

namespace homeward::aggregator {
namespace {

std::string Position(const ConsumedMessage& m) { return absl::StrCat(m.tp.topic, "/", m.tp.partition, "@", m.offset); }

// The same bytes give the same value within this process (a redelivery); never 0, which means
// "not known" (ChronologyStore::HeldFingerprint).
uint64_t Fingerprint(absl::string_view bytes) { return absl::Hash<absl::string_view>{}(bytes) | 1; }

std::string RecordKey(const Event& e) { return absl::StrCat(e.agency_id, "\x1f", e.source_record); }

enum class Why { kOversized, kInvalid, kUnregistered, kConflict, kImpossible };

// A replay of the store, told as it goes: a line when it starts, one every `log_every` while it
// lasts (N of M events, the rate), one at the end; and the same in gauges, so neither the log
// nor a readiness probe is silent through a long restart.
class ReplayProgress {
 public:
  ReplayProgress(int64_t expected, absl::Duration log_every, metrics::Metrics& metrics)
      : expected_(expected),
        log_every_(log_every),
        done_gauge_(metrics.GetGauge("homeward_replay_events_done", "Events replayed from the store so far at start")),
        expected_gauge_(metrics.GetGauge("homeward_replay_events_expected", "Events the store held when replay began")),
        replaying_(metrics.GetGauge("homeward_replaying", "1 while the aggregator replays its store at start")),
        seconds_(metrics.GetGauge("homeward_replay_duration_seconds", "How long the last replay of the store took")),
        started_(absl::Now()),
        logged_(started_) {
    expected_gauge_.Set(static_cast<double>(expected));
    done_gauge_.Set(0);
    replaying_.Set(1);
    if (expected > 0) log::Info("replaying the store: {} stored event(s)", expected);
  }

  void Step() {
    ++done_;
    if ((done_ & 1023) != 0) return;
    done_gauge_.Set(static_cast<double>(done_));
    const absl::Time now = absl::Now();
    if (now - logged_ < log_every_) return;
    logged_ = now;
    log::Info("replaying the store: {} of {} events ({:.0f} events/s)", done_, expected_, Rate(now));
  }

  // The line that ends it.
  void Finish(int64_t replayed) {
    const absl::Time now = absl::Now();
    done_gauge_.Set(static_cast<double>(replayed));
    replaying_.Set(0);
    seconds_.Set(absl::ToDoubleSeconds(now - started_));
    log::Info("replayed {} event(s) from the store in {:.1f} s ({:.0f} events/s)", replayed,
              absl::ToDoubleSeconds(now - started_), Rate(now));
  }

 private:
  double Rate(absl::Time now) const {
    const double seconds = absl::ToDoubleSeconds(now - started_);
    return seconds > 0 ? static_cast<double>(done_) / seconds : 0;
  }

  const int64_t expected_;
  const absl::Duration log_every_;
  metrics::Gauge& done_gauge_;
  metrics::Gauge& expected_gauge_;
  metrics::Gauge& replaying_;
  metrics::Gauge& seconds_;
  const absl::Time started_;
  absl::Time logged_;
  int64_t done_ = 0;
};

}  // namespace

struct EventIngestor::Rejection {
  const ConsumedMessage* message;
  absl::Status why;
  Why kind;
};

absl::Status EventIngestor::Start(absl::Duration timeout) {
  absl::StatusOr<int64_t> stored = store_.CountEvents();
  if (!stored.ok()) return stored.status();
  ReplayProgress progress(*stored, options_.replay_log_every, metrics_);
  absl::StatusOr<ReplayReport> replay = store_.ForEachEvent([&](absl::string_view bytes, absl::Time received_at) {
    progress.Step();
    absl::StatusOr<Event> event = DecodeEvent(bytes);
    if (!event.ok()) return absl::DataLossError(absl::StrCat("stored event cannot be decoded: ", event.status().message()));
    chronology_.Apply(*std::move(event), received_at, Fingerprint(bytes));
    return absl::OkStatus();
  });
  if (!replay.ok()) return replay.status();
  progress.Finish(replay->events);
  std::set<std::string> awaiting;
  if (!replay->damaged.empty()) {
    // Never served: moved aside, and read again from the log where it still is.
    for (const DamagedEvent& d : replay->damaged) {
      log::Error("stored event {} is damaged ({}); quarantined, {}", d.event_id, d.problem,
                 d.offset >= 0 ? absl::StrCat("reading it again from ", kafka::kEventsTopic, "/", d.partition, "@", d.offset)
                               : std::string("its log position is unknown: rebuild the store from the log"));
      awaiting.insert(d.event_id);
    }
    if (absl::Status s = store_.Quarantine(replay->damaged, clock_.Now()); !s.ok()) return s;
  }
  absl::StatusOr<NextOffsets> offsets = store_.LoadOffsets();
  if (!offsets.ok()) return offsets.status();
  absl::StatusOr<int64_t> epoch = store_.AlertsEpoch();
  if (!epoch.ok()) return epoch.status();
  alerts_epoch_ = *epoch;
  bool new_alerts_topic = false;
  for (auto it = offsets->begin(); it != offsets->end();) {
    auto marks = log_.Watermarks(it->first, timeout);
    if (marks.ok() && it->second > marks->second) {
      // Further than the log has ever been: this is not the log we read (a fresh embedded
      // Kafka, a recreated topic). Read it from its first offset; ids already held are
      // duplicates, and a log that no longer starts at 0 is a gap like any other.
      log::Warn("{}/{}: stored offset {} is past the end of the log ({}); reading it from offset 0", it->first.topic,
                it->first.partition, it->second, marks->second);
      new_alerts_topic |= it->first.topic == kafka::kAlertsTopic;
      it = offsets->erase(it);
      continue;
    }
    ++it;
  }
  if (new_alerts_topic) {
    // Its positions start again: a new epoch keeps them apart from the old topic's.
    for (auto it = offsets->begin(); it != offsets->end();) {
      it = it->first.topic == kafka::kAlertsTopic ? offsets->erase(it) : std::next(it);
    }
    absl::StatusOr<int64_t> next = store_.BeginAlertsEpoch();
    if (!next.ok()) return next.status();
    alerts_epoch_ = *next;
    log::Warn("{} is a new topic: its records are alert epoch {}", kafka::kAlertsTopic, alerts_epoch_);
  }
  absl::StatusOr<std::vector<LogGap>> gaps = store_.Gaps();
  if (!gaps.ok()) return gaps.status();
  {
    absl::MutexLock lock(&mu_);
    stats_.replayed = replay->events;
    stats_.quarantined = static_cast<int64_t>(replay->damaged.size());
    awaiting_rebuild_ = std::move(awaiting);
    next_offsets_ = *offsets;
    for (const LogGap& g : *gaps) {
      if (!g.accepted_at.has_value()) open_gaps_.push_back(g);
    }
  }
  log::Info("resuming {} partition(s) from stored offsets", offsets->size());
  absl::Status alerts = store_.ForEachAlertRecord([&](const StoredAlertRecord& r) {
    for (AppliedSink* sink : sinks_) sink->OnAlertRecord(r);
  });
  if (!alerts.ok()) return alerts;
  for (const LogGap& g : health().open_gaps) {
    for (AppliedSink* sink : sinks_) sink->OnLogGap(g);
  }
  return log_.AssignAll({kafka::kEventsTopic, kafka::kAlertsTopic}, *offsets, timeout);
}

void EventIngestor::Backoff(absl::Duration d) const {
  const absl::Time until = absl::Now() + d;
  while (!stop_ && absl::Now() < until) absl::SleepFor(std::min(d, absl::Milliseconds(50)));
}

absl::Status EventIngestor::Run() {
  std::vector<ConsumedMessage> batch;
  absl::Duration backoff = options_.retry_backoff;
  while (!stop_) {
    ServeSeeks();
    if (batch.empty()) {
      auto first = log_.Poll(absl::Milliseconds(100));
      if (!first.ok()) return first.status();
      if (first->has_value()) {
        batch.push_back(**std::move(first));
        const absl::Time deadline = absl::Now() + options_.max_batch_wait;
        while (batch.size() < options_.max_batch && absl::Now() < deadline) {
          auto more = log_.Poll(absl::ZeroDuration());
          if (!more.ok()) return more.status();
          if (!more->has_value()) break;
          batch.push_back(**std::move(more));
        }
      }
      HandleOutOfRange(log_.TakeOutOfRange());
    }
    if (options_.publish_position && absl::Now() - position_published_ >= options_.publish_position_every) {
      NextOffsets now = next_offsets();
      if (now != position_sent_ || absl::Now() - position_published_ >= options_.republish_position_every) {
        options_.publish_position(now);
        position_sent_ = std::move(now);
        position_published_ = absl::Now();
      }
    }
    if (absl::Now() - ends_read_ >= absl::Seconds(1)) {
      ends_read_ = absl::Now();
      NextOffsets ends = log_.LastSeenEnds();
      {
        absl::MutexLock lock(&mu_);
        ends_ = std::move(ends);
      }
      ReportBacklog();
    }
    if (batch.empty()) continue;
    if (absl::Status s = HandleBatch(batch); !s.ok()) {
      int failures;
      {
        absl::MutexLock lock(&mu_);
        failures = ++consecutive_failures_;
        last_error_ = s.ToString();
        ++stats_.commit_failures;
      }
      log::Error("batch of {} ({} .. {}) not committed (attempt {}), retrying in {}: {}", batch.size(),
                 Position(batch.front()), Position(batch.back()), failures, absl::FormatDuration(backoff), s.ToString());
      if (failures == options_.stall_after_failures) {
        log::Error("ingestion is stalled after {} failed attempts: health NOT_SERVING until a batch commits", failures);
      }
      Backoff(backoff);
      backoff = std::min(backoff * 2, options_.max_retry_backoff);
      continue;  // the same batch again: nothing is skipped
    }
    {
      absl::MutexLock lock(&mu_);
      if (consecutive_failures_ >= options_.stall_after_failures) {
        log::Info("ingestion resumed after {} failed attempts", consecutive_failures_);
      }
      consecutive_failures_ = 0;
    }
    backoff = options_.retry_backoff;
    batch.clear();
    ReportBacklog();
  }
  return absl::OkStatus();
}

void EventIngestor::ReportBacklog() {
  int64_t unread = 0;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [tp, end] : ends_) {
      // A partition stopped at a gap is not a backlog that reading will clear.
      const bool stopped = std::any_of(open_gaps_.begin(), open_gaps_.end(), [&](const LogGap& g) { return g.tp == tp; });
      if (tp.topic != kafka::kEventsTopic || stopped) continue;
      const auto next = next_offsets_.find(tp);
      unread += std::max<int64_t>(0, end - (next == next_offsets_.end() ? 0 : next->second));
    }
  }
  for (AppliedSink* sink : sinks_) sink->OnBacklog(unread);
}

void EventIngestor::HandleOutOfRange(const std::vector<OutOfRange>& stopped) {
  for (const OutOfRange& o : stopped) {
    absl::StatusOr<std::pair<int64_t, int64_t>> marks = log_.Watermarks(o.tp, absl::Seconds(5));
    if (!marks.ok()) {
      // Cannot tell yet; ask again from the same offset (the partition stays put).
      log::Warn("{}/{}: offset {} out of range, watermarks unknown ({}); trying the same offset again", o.tp.topic,
                o.tp.partition, o.offset, marks.status().ToString());
      absl::MutexLock lock(&mu_);
      seeks_.emplace_back(o.tp, o.offset);
      continue;
    }
    const auto [low, high] = *marks;
    if (o.offset > high) {
      // The log is behind us: recreated (a fresh embedded Kafka) or cut back. Everything we read
      // is in the store; read the new log from its start (a trimmed start is then a gap).
      log::Warn("{}/{}: next offset {} is past the end of the log ({}): reading it again from offset 0", o.tp.topic,
                o.tp.partition, o.offset, high);
      if (o.tp.topic == kafka::kAlertsTopic) {
        if (absl::StatusOr<int64_t> next = store_.BeginAlertsEpoch(); next.ok()) {
          alerts_epoch_ = *next;
        } else {
          log::Error("alert epoch not recorded ({}): trying again", next.status().ToString());
          absl::MutexLock lock(&mu_);
          seeks_.emplace_back(o.tp, o.offset);
          continue;
        }
      }
      absl::MutexLock lock(&mu_);
      seeks_.emplace_back(o.tp, 0);
      continue;
    }
    if (o.offset >= low) {  // in range after all (a race with retention's view): go on
      absl::MutexLock lock(&mu_);
      seeks_.emplace_back(o.tp, o.offset);
      continue;
    }
    const LogGap gap{.tp = o.tp, .from = o.offset, .to = low - 1, .detected_at = clock_.Now()};
    log::Error("LOG GAP: {}: removed by retention before this aggregator read them; the partition is stopped "
               "until an administrator accepts the gap (homeward gaps accept)",
               gap.Describe());
    if (absl::Status s = store_.RecordGap(gap); !s.ok()) log::Error("log gap not recorded in the store: {}", s.ToString());
    bool known = false;
    {
      absl::MutexLock lock(&mu_);
      for (const LogGap& g : open_gaps_) known = known || (g.tp == gap.tp && g.from == gap.from);
      if (!known) {
        open_gaps_.push_back(gap);
        ++stats_.log_gaps;
      }
    }
    for (AppliedSink* sink : sinks_) sink->OnLogGap(gap);
  }
}

void EventIngestor::ServeSeeks() {
  std::vector<std::pair<TopicPartition, int64_t>> seeks;
  {
    absl::MutexLock lock(&mu_);
    seeks.swap(seeks_);
  }
  for (const auto& [tp, offset] : seeks) {
    if (absl::Status s = log_.Seek(tp, offset); !s.ok()) {
      log::Warn("{}/{}: seek to {} failed, retrying: {}", tp.topic, tp.partition, offset, s.ToString());
      absl::MutexLock lock(&mu_);
      seeks_.emplace_back(tp, offset);
    }
  }
}

absl::StatusOr<LogGap> EventIngestor::AcceptGap(const TopicPartition& tp, const std::string& by) {
  absl::ReleasableMutexLock lock(&mu_);
  const auto it = std::find_if(open_gaps_.begin(), open_gaps_.end(), [&](const LogGap& g) { return g.tp == tp; });
  if (it == open_gaps_.end()) return absl::NotFoundError(absl::StrCat("no open gap in ", tp.topic, "/", tp.partition));
  LogGap gap = *it;
  if (absl::Status s = store_.AcceptGap(tp, gap.from, by, clock_.Now()); !s.ok()) return s;
  gap.accepted_at = clock_.Now();
  gap.accepted_by = by;
  open_gaps_.erase(it);
  seeks_.emplace_back(tp, gap.to + 1);
  log::Warn("log gap accepted by {}: {}; the partition goes on from offset {}", by, gap.Describe(), gap.to + 1);
  lock.Release();
  for (AppliedSink* sink : sinks_) sink->OnLogGapAccepted(gap);
  return gap;
}

absl::Status EventIngestor::PublishRejections(const std::vector<Rejection>& rejections) {
  if (rejections.empty()) return absl::OkStatus();
  const auto letter = [](const Rejection& r, bool by_reference) {
    const ConsumedMessage& m = *r.message;
    return MakeDeadLetter({.rejected_by = "aggregator",
                           .topic = m.tp.topic,
                           .partition = m.tp.partition,
                           .offset = m.offset,
                           .key = Position(m)},
                          m.value, r.why, by_reference);
  };
  std::vector<OutboundMessage> letters;
  int64_t by_reference = 0;
  for (const Rejection& r : rejections) {
    letters.push_back(letter(r, false));
    by_reference += r.message->value.size() > kMaxWholeBytes;
  }
  const std::vector<absl::Status> sent = dead_letters_.PublishAll(std::move(letters));
  std::vector<OutboundMessage> again;
  for (size_t i = 0; i < sent.size(); ++i) {
    if (sent[i].ok()) continue;
    // The log refused this letter as it is (too large for its limit): send it by reference.
    // Anything else (Kafka unavailable) keeps the batch for a retry.
    if (!absl::IsInvalidArgument(sent[i])) return sent[i];
    log::Warn("dead letter for {} refused whole ({}); sending it by reference", Position(*rejections[i].message),
              sent[i].ToString());
    again.push_back(letter(rejections[i], true));
    ++by_reference;
  }
  for (const absl::Status& s : dead_letters_.PublishAll(std::move(again))) {
    if (!s.ok()) return s;
  }
  absl::MutexLock lock(&mu_);
  stats_.dead_letters_by_reference += by_reference;
  return absl::OkStatus();
}

absl::Status EventIngestor::HandleBatch(const std::vector<ConsumedMessage>& batch) {
  const absl::Time now = clock_.Now();
  std::vector<Event> events;
  std::vector<uint64_t> fingerprints;
  std::vector<StoredEvent> stored;
  std::vector<std::string> purged_ids;
  std::vector<Rejection> rejections;
  std::vector<StoredAlertRecord> alert_records;
  absl::flat_hash_map<std::string, size_t> batch_ids;          // accepted in this batch -> index
  absl::flat_hash_map<std::string, absl::Time> batch_reports;  // record -> start, in this batch
  events.reserve(batch.size());  // an Event moved on every growth was 4% of a replay
  fingerprints.reserve(batch.size());
  stored.reserve(batch.size());
  NextOffsets offsets = next_offsets();
  int64_t duplicates_seen = 0;
  for (const ConsumedMessage& m : batch) {
    offsets[m.tp] = m.offset + 1;
    if (m.tp.topic == kafka::kAlertsTopic) {
      alert_records.push_back(StoredAlertRecord{alerts_epoch_, m.tp.partition, m.offset, m.value});
      continue;
    }
    const auto reject = [&](absl::Status why, Why kind) {
      log::Warn("rejected {}: {}", Position(m), why.ToString());
      rejections.push_back({&m, std::move(why), kind});
    };
    if (absl::Status size = CheckEventSize(m.value.size()); !size.ok()) {
      reject(size, Why::kOversized);  // not even decoded: it can be anything
      continue;
    }
    absl::StatusOr<Event> event = DecodeEvent(m.value);
    absl::Status valid = event.ok() ? ValidateEvent(*event, now) : event.status();
    if (!valid.ok()) {
      reject(valid, Why::kInvalid);
      continue;
    }
    if (absl::Status allowed = registry_.CheckEvent(*event); !allowed.ok()) {
      reject(allowed, Why::kUnregistered);
      continue;
    }
    // The same id again: a redelivery if the content is the same, a conflict if not (the first
    // stands; the second is kept as a dead letter).
    const uint64_t fingerprint = Fingerprint(m.value);
    const auto in_batch = batch_ids.find(event->event_id);
    const std::optional<uint64_t> held =
        in_batch != batch_ids.end() ? fingerprints[in_batch->second] : chronology_.HeldFingerprint(event->event_id);
    if (held.has_value()) {
      // 0: purged, or held without a fingerprint: a redelivery whatever its bytes.
      bool same = *held == 0 || *held == fingerprint;
      if (!same && in_batch != batch_ids.end()) {
        same = events[in_batch->second] == *event;  // other bytes; perhaps the same event encoded otherwise
      } else if (!same) {
        absl::StatusOr<std::optional<std::string>> body = store_.Body(event->event_id);
        if (!body.ok()) return body.status();
        const absl::StatusOr<Event> first = body->has_value() ? DecodeEvent(**body) : absl::NotFoundError("not stored");
        same = first.ok() && *first == *event;
      }
      if (same) {
        ++duplicates_seen;
        continue;
      }
      reject(absl::AlreadyExistsError(absl::StrCat("conflict: event id ", event->event_id,
                                                   " is already held with different content (the first is kept)")),
             Why::kConflict);
      continue;
    }
    if (std::holds_alternative<FoundReturned>(event->payload)) {
      std::optional<absl::Time> start = chronology_.ReportStart(event->agency_id, event->source_record);
      if (const auto it = batch_reports.find(RecordKey(*event)); it != batch_reports.end()) start = it->second;
      if (start.has_value()) {
        if (absl::Status possible = CheckReturnAfterReport(*event, *start); !possible.ok()) {
          reject(possible, Why::kImpossible);
          continue;
        }
      }
    } else if (std::holds_alternative<MissingReported>(event->payload)) {
      batch_reports[RecordKey(*event)] = event->occurred_at;
    } else if (const auto* purge = std::get_if<ChildPurged>(&event->payload)) {
      purged_ids.insert(purged_ids.end(), purge->event_ids.begin(), purge->event_ids.end());
    }
    batch_ids[event->event_id] = events.size();
    stored.push_back(StoredEvent{.event_id = event->event_id,
                                 .bytes = m.value,
                                 .received_at = now,
                                 .partition = m.tp.partition,
                                 .offset = m.offset});
    fingerprints.push_back(fingerprint);
    events.push_back(*std::move(event));
  }
  // The rejects must be on record before the batch moves on.
  if (absl::Status s = PublishRejections(rejections); !s.ok()) return s;
  const absl::Time commit_start = absl::Now();
  if (absl::Status s = store_.Commit(stored, alert_records, offsets, purged_ids, now); !s.ok()) return s;
  metrics_
      .GetHistogram("homeward_batch_commit_seconds",
                    "Time to commit a batch's events and offsets to the store (one SQLite transaction)",
                    metrics::LatencyBuckets())
      .Observe(absl::ToDoubleSeconds(absl::Now() - commit_start));

  IngestStats delta;
  delta.duplicates = duplicates_seen;
  for (size_t i = 0; i < events.size(); ++i) {
    switch (chronology_.Apply(events[i], now, fingerprints[i])) {
      case ApplyOutcome::kAdded: ++delta.added; break;
      case ApplyOutcome::kDuplicate: ++delta.duplicates; break;
      case ApplyOutcome::kSuperseded: ++delta.superseded; break;
      case ApplyOutcome::kStale: ++delta.stale; break;
      case ApplyOutcome::kPurge: ++delta.purges; break;
    }
  }
  for (AppliedSink* sink : sinks_) {
    for (const StoredAlertRecord& r : alert_records) sink->OnAlertRecord(r);
    if (!events.empty()) sink->OnEventsApplied(events);
  }
  absl::MutexLock lock(&mu_);
  next_offsets_ = std::move(offsets);
  for (const StoredEvent& e : stored) awaiting_rebuild_.erase(e.event_id);
  stats_.consumed += static_cast<int64_t>(batch.size() - alert_records.size());
  stats_.dead_lettered += static_cast<int64_t>(rejections.size());
  for (const Rejection& r : rejections) {
    switch (r.kind) {
      case Why::kOversized: ++stats_.rejected_oversized; break;
      case Why::kInvalid: ++stats_.rejected_invalid; break;
      case Why::kUnregistered: ++stats_.rejected_unregistered; break;
      case Why::kConflict: ++stats_.rejected_conflicts; break;
      case Why::kImpossible: ++stats_.rejected_impossible; break;
    }
  }
  stats_.added += delta.added;
  stats_.duplicates += delta.duplicates;
  stats_.superseded += delta.superseded;
  stats_.stale += delta.stale;
  stats_.purges += delta.purges;
  ++stats_.batches;
  return absl::OkStatus();
}

IngestStats EventIngestor::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

IngestHealth EventIngestor::health() const {
  absl::MutexLock lock(&mu_);
  IngestHealth h{.consecutive_failures = consecutive_failures_,
                 .last_error = last_error_,
                 .open_gaps = open_gaps_,
                 .awaiting_rebuild = {awaiting_rebuild_.begin(), awaiting_rebuild_.end()}};
  std::vector<std::string> why;
  for (const LogGap& g : open_gaps_) why.push_back(absl::StrCat("log gap: ", g.Describe()));
  if (consecutive_failures_ >= options_.stall_after_failures) {
    why.push_back(absl::StrCat("stalled: ", consecutive_failures_, " failed attempts to commit a batch; last: ", last_error_));
  }
  if (!awaiting_rebuild_.empty()) {
    why.push_back(absl::StrCat(awaiting_rebuild_.size(), " damaged stored event(s) not yet read again from the log"));
  }
  h.serving = why.empty();
  for (const std::string& w : why) absl::StrAppend(&h.reason, h.reason.empty() ? "" : "; ", w);
  return h;
}

NextOffsets EventIngestor::next_offsets() const {
  absl::MutexLock lock(&mu_);
  return next_offsets_;
}

std::map<TopicPartition, int64_t> EventIngestor::lag() const {
  absl::MutexLock lock(&mu_);
  std::map<TopicPartition, int64_t> lag;
  for (const auto& [tp, end] : ends_) {
    const auto next = next_offsets_.find(tp);
    lag[tp] = std::max<int64_t>(0, end - (next == next_offsets_.end() ? 0 : next->second));
  }
  return lag;
}

}  // namespace homeward::aggregator
