#include "services/aggregator/kafka/kafka_anchors.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/kafka/kafka_consumer.h"
#include "common/topics.h"

namespace homeward::aggregator {

absl::Status KafkaAnchors::Publish(const Anchor& anchor) {
  // Waited for, but not for ever: at shutdown Kafka may already be gone (the file has it then).
  struct Result {
    absl::Mutex mu;
    std::optional<absl::Status> status;
  };
  auto result = std::make_shared<Result>();
  publisher_.PublishAsync({OutboundMessage{.topic = kafka::kAnchorsTopic, .key = anchor.log_id, .value = AnchorJson(anchor)}},
                          [result](std::vector<absl::Status> sent) {
                            absl::MutexLock lock(&result->mu);
                            result->status = sent.empty() ? absl::InternalError("no delivery report") : sent[0];
                          });
  absl::MutexLock lock(&result->mu);
  const auto reported = [&result]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(result->mu) { return result->status.has_value(); };
  if (!result->mu.AwaitWithTimeout(absl::Condition(&reported), publish_timeout_)) {
    return absl::UnavailableError(absl::StrCat("no delivery report within ", absl::FormatDuration(publish_timeout_)));
  }
  return *result->status;
}

absl::StatusOr<std::vector<Anchor>> KafkaAnchors::Read(const std::string& log_id) {
  auto consumer = kafka::KafkaConsumer::Create(config_);
  if (!consumer.ok()) return consumer.status();
  const TopicPartition tp{kafka::kAnchorsTopic, 0};
  absl::StatusOr<std::pair<int64_t, int64_t>> marks = (*consumer)->Watermarks(tp, absl::Seconds(5));
  if (!marks.ok()) return marks.status();
  const auto [low, high] = *marks;
  std::vector<Anchor> anchors;
  if (high <= low) return anchors;
  const int64_t from = std::max(low, high - read_last_);
  if (absl::Status s = (*consumer)->AssignAll({kafka::kAnchorsTopic}, {{tp, from}}, absl::Seconds(5)); !s.ok()) return s;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  int64_t next = from;
  while (next < high && absl::Now() < deadline) {
    absl::StatusOr<std::optional<ConsumedMessage>> m = (*consumer)->Poll(absl::Milliseconds(100));
    if (!m.ok()) return m.status();
    if (!m->has_value()) continue;
    next = (*m)->offset + 1;
    if ((*m)->key != log_id) continue;
    absl::StatusOr<Anchor> a = ParseAnchor((*m)->value);
    anchors.push_back(a.ok() ? *a : Anchor{.log_id = log_id, .mac = "unreadable"});
  }
  if (next < high) return absl::DeadlineExceededError(absl::StrCat("read ", next - from, " of ", high - from, " anchors"));
  return anchors;
}

std::string KafkaAnchors::name() const { return absl::StrCat("topic ", kafka::kAnchorsTopic); }

}  // namespace homeward::aggregator
