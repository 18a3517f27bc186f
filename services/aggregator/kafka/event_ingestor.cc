#include "services/aggregator/kafka/event_ingestor.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/domain/event_validation.h"
#include "common/topics.h"
#include "common/logging.h"

namespace homeward::aggregator {

absl::Status EventIngestor::Start(absl::Duration timeout) {
  return consumer_.AssignAll({kafka::kEventsTopic}, next_offsets(), timeout);
}

absl::Status EventIngestor::Run() {
  while (!stop_) {
    auto message = consumer_.Poll(absl::Milliseconds(100));
    if (!message.ok()) return message.status();
    if (message->has_value()) Handle(**message);
  }
  return absl::OkStatus();
}

void EventIngestor::Handle(const kafka::ConsumedMessage& message) {
  absl::Status problem;
  ApplyOutcome outcome = ApplyOutcome::kDuplicate;
  absl::StatusOr<Event> event = DecodeEvent(message.value);
  if (!event.ok()) {
    problem = event.status();
  } else if (absl::Status valid = ValidateEvent(*event, clock_.Now()); !valid.ok()) {
    problem = valid;
  } else {
    outcome = store_.Apply(*event, clock_.Now());
  }
  if (!problem.ok()) DeadLetter(message, problem);

  absl::MutexLock lock(&mu_);
  ++stats_.consumed;
  next_offsets_[message.tp] = message.offset + 1;
  if (!problem.ok()) {
    ++stats_.dead_lettered;
    return;
  }
  switch (outcome) {
    case ApplyOutcome::kAdded: ++stats_.added; break;
    case ApplyOutcome::kDuplicate: ++stats_.duplicates; break;
    case ApplyOutcome::kSuperseded: ++stats_.superseded; break;
    case ApplyOutcome::kStale: ++stats_.stale; break;
  }
}

void EventIngestor::DeadLetter(const kafka::ConsumedMessage& message, const absl::Status& why) {
  const std::string position = absl::StrCat(message.tp.topic, "/", message.tp.partition, "@", message.offset);
  log::Warn("rejected {}: {}", position, why.ToString());
  const nlohmann::json body = {{"rejected_by", "aggregator"},
                               {"topic", message.tp.topic},
                               {"partition", message.tp.partition},
                               {"offset", message.offset},
                               {"reason", std::string(why.message())}};
  // The original bytes travel with the reason, so nothing accepted by the log is lost.
  const std::vector<absl::Status> sent = dead_letters_.PublishAll(
      {OutboundMessage{.topic = kafka::kDeadLetterTopic,
                       .key = position,
                       .value = message.value,
                       .headers = {{"homeward-reason", body.dump()}}}});
  if (!sent.front().ok()) {
    // The message stays in the events topic at `position`; the log line is the record.
    log::Error("could not dead-letter {}: {}", position, sent.front().ToString());
  }
}

IngestStats EventIngestor::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

std::map<kafka::TopicPartition, int64_t> EventIngestor::next_offsets() const {
  absl::MutexLock lock(&mu_);
  return next_offsets_;
}

}  // namespace homeward::aggregator
