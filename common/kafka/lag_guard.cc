#include "common/kafka/lag_guard.h"

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/topics.h"

namespace homeward::kafka {

void StopLagGuard::operator()(KafkaLagGuard* guard) const {
  if (!guard->Stop(absl::Seconds(3))) {
    // Kafka has gone and a query to it is outliving its timeout: nothing depends on its answer.
    log::Warn("not waiting any longer for the lag guard's query to Kafka (Kafka unreachable)");
    return;
  }
  delete guard;
}

absl::StatusOr<LagGuardHandle> KafkaLagGuard::Start(const KafkaConfig& config,
                                                                    LagGuardOptions options, absl::Duration timeout) {
  // Short requests: a guard must never hold up its producer's shutdown when Kafka has gone.
  const ConsumerOptions quick{.request_timeout = absl::Seconds(2)};
  auto positions = KafkaConsumer::Create(config, quick);
  if (!positions.ok()) return positions.status();
  auto marks = KafkaConsumer::Create(config, quick);
  if (!marks.ok()) return marks.status();
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<std::vector<int32_t>> partitions = (*marks)->Partitions(kEventsTopic, deadline);
  if (!partitions.ok()) return partitions.status();
  // Only the newest positions matter: start a little before the end of the positions topic.
  const TopicPartition tp{kPositionsTopic, 0};
  absl::StatusOr<std::pair<int64_t, int64_t>> ends = (*positions)->Watermarks(tp, timeout);
  if (!ends.ok()) return ends.status();
  const int64_t from = std::max(ends->first, ends->second - 1000);
  if (absl::Status s = (*positions)->AssignAll({kPositionsTopic}, {{tp, from}}, timeout); !s.ok()) return s;
  LagGuardHandle guard(
      new KafkaLagGuard(*std::move(positions), *std::move(marks), static_cast<int>(partitions->size()), options));
  guard->Refresh();
  guard->refresher_ = std::thread([g = guard.get()] {
    while (!g->stop_) {
      absl::SleepFor(g->options_.refresh_every);
      g->Refresh();
    }
    g->refresher_done_.Notify();
  });
  return guard;
}

KafkaLagGuard::KafkaLagGuard(std::unique_ptr<KafkaConsumer> positions, std::unique_ptr<KafkaConsumer> marks,
                             int partitions, LagGuardOptions options)
    : positions_(std::move(positions)), marks_(std::move(marks)), partitions_(partitions), options_(std::move(options)) {
  progressed_ = absl::Now();
}

KafkaLagGuard::~KafkaLagGuard() { Stop(absl::InfiniteDuration()); }

bool KafkaLagGuard::Stop(absl::Duration within) {
  stop_ = true;
  if (!refresher_.joinable()) return true;
  if (!refresher_done_.WaitForNotificationWithTimeout(within)) {
    refresher_.detach();
    return false;
  }
  refresher_.join();
  return true;
}

void KafkaLagGuard::Published(int64_t messages, int64_t bytes) {
  messages_ = messages;
  bytes_ = bytes;
}

void KafkaLagGuard::Refresh() {
  std::map<std::string, ReaderPosition> newest;
  for (;;) {
    absl::StatusOr<std::optional<ConsumedMessage>> m = positions_->Poll(absl::ZeroDuration());
    if (!m.ok() || !m->has_value()) break;
    absl::StatusOr<ReaderPosition> p = DecodePosition((*m)->value);
    if (p.ok()) newest[p->reader] = *std::move(p);
  }
  // The positions topic is small, but it is trimmed too: a gap in it loses nothing that matters.
  for (const OutOfRange& o : positions_->TakeOutOfRange()) {
    if (auto ends = positions_->Watermarks(o.tp, absl::Seconds(1)); ends.ok()) (void)positions_->Seek(o.tp, ends->first);
  }
  NextOffsets high;
  for (int32_t p = 0; p < partitions_; ++p) {
    const TopicPartition tp{kEventsTopic, p};
    if (stop_) return;
    absl::StatusOr<std::pair<int64_t, int64_t>> ends = marks_->Watermarks(tp, absl::Seconds(2));
    if (!ends.ok()) return;  // keep the last verdict; ask again next time
    high[tp] = ends->second;
  }
  const int64_t messages = messages_, bytes = bytes_;
  const double average = messages > 0 ? static_cast<double>(bytes) / static_cast<double>(messages)
                                      : options_.default_message_bytes;
  absl::MutexLock lock(&mu_);
  for (auto& [reader, p] : newest) {
    const auto it = latest_.find(reader);
    if (it == latest_.end() || it->second.next != p.next) progressed_ = absl::Now();
    latest_[reader] = std::move(p);
  }
  verdict_ = JudgeLag(high, latest_, average, options_.budget);
  if (verdict_.room) progressed_ = absl::Now();
  fresh_ = true;
}

absl::Status KafkaLagGuard::Check() {
  absl::MutexLock lock(&mu_);
  if (verdict_.room) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("the hub is catching up (", verdict_.worst, "); publish again in a few seconds"));
}

absl::Status KafkaLagGuard::WaitForRoom() {
  absl::Time said = absl::InfinitePast();
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (fresh_ && verdict_.room) return absl::OkStatus();
      if (absl::Now() - progressed_ > options_.wait_limit) {
        return absl::UnavailableError(absl::StrCat("waited ", absl::FormatDuration(options_.wait_limit),
                                                   " and the hub made no progress: ", verdict_.worst,
                                                   ". Nothing was lost; run the same command again to resume"));
      }
      if (absl::Now() - said > absl::Seconds(5)) {
        log::Info("waiting for the hub to catch up: {}", verdict_.worst);
        said = absl::Now();
      }
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

}  // namespace homeward::kafka
