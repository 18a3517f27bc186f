#include "services/aggregator/kafka/event_ingestor.h"

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/domain/event_validation.h"
#include "common/json/json.h"
#include "common/logging.h"
#include "common/topics.h"

namespace homeward::aggregator {
namespace {

std::string Position(const kafka::ConsumedMessage& m) {
  return absl::StrCat(m.tp.topic, "/", m.tp.partition, "@", m.offset);
}

OutboundMessage DeadLetter(const kafka::ConsumedMessage& message, const absl::Status& why) {
  const std::string reason = json::ObjectWriter()
                                 .Set("rejected_by", "aggregator")
                                 .Set("topic", message.tp.topic)
                                 .Set("partition", message.tp.partition)
                                 .Set("offset", message.offset)
                                 .Set("reason", why.message())
                                 .Dump();
  // The original bytes travel with the reason, so nothing the log accepted is lost.
  return OutboundMessage{.topic = kafka::kDeadLetterTopic,
                         .key = Position(message),
                         .value = message.value,
                         .headers = {{"homeward-reason", reason}}};
}

}  // namespace

absl::Status EventIngestor::Start(absl::Duration timeout) {
  int64_t replayed = 0, unreadable = 0;
  absl::Status read = store_.ForEachEvent([&](absl::string_view bytes, absl::Time received_at) {
    absl::StatusOr<Event> event = DecodeEvent(bytes);
    if (!event.ok()) {  // it was valid when stored; a newer schema would be a migration
      ++unreadable;
      return;
    }
    chronology_.Apply(*event, received_at);
    ++replayed;
  });
  if (!read.ok()) return read;
  if (unreadable > 0) log::Error("{} stored event(s) could not be decoded", unreadable);
  absl::StatusOr<NextOffsets> offsets = store_.LoadOffsets();
  if (!offsets.ok()) return offsets.status();
  for (auto it = offsets->begin(); it != offsets->end();) {
    auto marks = consumer_.Watermarks(it->first, timeout);
    if (marks.ok() && it->second > marks->second) {
      // Further than the log has ever been: this is not the log we read (a fresh embedded
      // Kafka, a recreated topic). Read it from the start; ids already held are duplicates.
      log::Warn("{}/{}: stored offset {} is past the end of the log ({}); reading it from the beginning",
                it->first.topic, it->first.partition, it->second, marks->second);
      it = offsets->erase(it);
      continue;
    }
    if (marks.ok() && it->second < marks->first) {
      log::Error("{}/{}: offsets {}..{} were removed by retention before this aggregator read them",
                 it->first.topic, it->first.partition, it->second, marks->first - 1);
    }
    ++it;
  }
  {
    absl::MutexLock lock(&mu_);
    stats_.replayed = replayed;
    next_offsets_ = *offsets;
  }
  log::Info("replayed {} event(s) from the store; resuming {} partition(s) from stored offsets", replayed,
            offsets->size());
  if (sink_ != nullptr) {
    absl::Status alerts = store_.ForEachAlertRecord([&](const StoredAlertRecord& r) {
      sink_->OnAlertRecord(TopicPartition{kafka::kAlertsTopic, r.partition}, r.offset, r.bytes);
    });
    if (!alerts.ok()) return alerts;
  }
  return consumer_.AssignAll({kafka::kEventsTopic, kafka::kAlertsTopic}, *offsets, timeout);
}

absl::Status EventIngestor::Run() {
  std::vector<kafka::ConsumedMessage> batch;
  while (!stop_) {
    if (batch.empty()) {
      auto first = consumer_.Poll(absl::Milliseconds(100));
      if (!first.ok()) return first.status();
      if (!first->has_value()) continue;
      batch.push_back(**std::move(first));
      const absl::Time deadline = absl::Now() + options_.max_batch_wait;
      while (batch.size() < options_.max_batch && absl::Now() < deadline) {
        auto more = consumer_.Poll(absl::ZeroDuration());
        if (!more.ok()) return more.status();
        if (!more->has_value()) break;
        batch.push_back(**std::move(more));
      }
    }
    if (absl::Status s = HandleBatch(batch); !s.ok()) {
      log::Error("batch of {} not committed, retrying: {}", batch.size(), s.ToString());
      absl::SleepFor(options_.retry_backoff);
      continue;  // the same batch again: nothing is skipped
    }
    batch.clear();
  }
  return absl::OkStatus();
}

absl::Status EventIngestor::HandleBatch(const std::vector<kafka::ConsumedMessage>& batch) {
  const absl::Time now = clock_.Now();
  std::vector<Event> events;
  std::vector<StoredEvent> stored;
  std::vector<OutboundMessage> letters;
  std::vector<StoredAlertRecord> alert_records;
  NextOffsets offsets = next_offsets();
  for (const kafka::ConsumedMessage& m : batch) {
    offsets[m.tp] = m.offset + 1;
    if (m.tp.topic == kafka::kAlertsTopic) {
      alert_records.push_back(StoredAlertRecord{m.tp.partition, m.offset, m.value});
      continue;
    }
    absl::StatusOr<Event> event = DecodeEvent(m.value);
    absl::Status valid = event.ok() ? ValidateEvent(*event, now) : event.status();
    if (!valid.ok()) {
      log::Warn("rejected {}: {}", Position(m), valid.ToString());
      letters.push_back(DeadLetter(m, valid));
      continue;
    }
    stored.push_back(StoredEvent{.event_id = event->event_id, .bytes = m.value, .received_at = now});
    events.push_back(*std::move(event));
  }
  if (!letters.empty()) {
    for (const absl::Status& s : dead_letters_.PublishAll(std::move(letters))) {
      if (!s.ok()) return s;  // keep the batch: the rejects must be on record before moving on
    }
  }
  if (absl::Status s = store_.Commit(stored, alert_records, offsets); !s.ok()) return s;

  IngestStats delta;
  for (const Event& e : events) {
    switch (chronology_.Apply(e, now)) {
      case ApplyOutcome::kAdded: ++delta.added; break;
      case ApplyOutcome::kDuplicate: ++delta.duplicates; break;
      case ApplyOutcome::kSuperseded: ++delta.superseded; break;
      case ApplyOutcome::kStale: ++delta.stale; break;
    }
  }
  if (sink_ != nullptr) {
    for (const StoredAlertRecord& r : alert_records) {
      sink_->OnAlertRecord(TopicPartition{kafka::kAlertsTopic, r.partition}, r.offset, r.bytes);
    }
    if (!events.empty()) sink_->OnEventsApplied(events);
  }
  absl::MutexLock lock(&mu_);
  next_offsets_ = std::move(offsets);
  stats_.consumed += static_cast<int64_t>(batch.size() - alert_records.size());
  stats_.dead_lettered += static_cast<int64_t>(batch.size() - alert_records.size() - events.size());
  stats_.added += delta.added;
  stats_.duplicates += delta.duplicates;
  stats_.superseded += delta.superseded;
  stats_.stale += delta.stale;
  ++stats_.batches;
  return absl::OkStatus();
}

IngestStats EventIngestor::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

NextOffsets EventIngestor::next_offsets() const {
  absl::MutexLock lock(&mu_);
  return next_offsets_;
}

}  // namespace homeward::aggregator
