// File: lag_guard.h
//
// Backpressure on Kafka (common/kafka/lag.h): a background thread reads the newest positions
// on homeward.positions.v1 and the high watermarks of the events topic every
// `refresh_every`, and judges whether producers have room.
//
// Thread safety: safe for concurrent use.
#ifndef HOMEWARD_COMMON_KAFKA_LAG_GUARD_H_
#define HOMEWARD_COMMON_KAFKA_LAG_GUARD_H_

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/backpressure.h"
#include "common/kafka/kafka_config.h"
#include "common/kafka/kafka_consumer.h"
#include "common/kafka/lag.h"

namespace homeward::kafka {

struct LagGuardOptions {
  LagBudget budget;
  // How long WaitForRoom waits for a reader that makes no progress before giving up.
  absl::Duration wait_limit = absl::Minutes(2);
  absl::Duration refresh_every = absl::Milliseconds(100);
  // Until this producer has published anything, the size a message is taken to be.
  double default_message_bytes = 300;
};

class KafkaLagGuard;
// Owns a guard; on release stops it within a few seconds, and leaks it instead of waiting longer
// (see KafkaLagGuard::Stop), so a guard never holds up its process's exit.
struct StopLagGuard {
  void operator()(KafkaLagGuard* guard) const;
};
using LagGuardHandle = std::unique_ptr<KafkaLagGuard, StopLagGuard>;

class KafkaLagGuard final : public Backpressure {
 public:
  // UNAVAILABLE if the topics cannot be read within `timeout`.
  static absl::StatusOr<LagGuardHandle> Start(const KafkaConfig& config, LagGuardOptions options,
                                                              absl::Duration timeout = absl::Seconds(30));
  ~KafkaLagGuard() override;  // Stop(), waiting as long as it takes

  // Stops the refresh thread. A librdkafka watermark query with Kafka gone can outlast its own
  // timeout by many seconds, so this waits at most `within`: false if the thread is still in
  // such a call (then it is detached, and the guard must be leaked, not destroyed).
  bool Stop(absl::Duration within);

  void Published(int64_t messages, int64_t bytes) override;
  absl::Status Check() override ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status WaitForRoom() override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  KafkaLagGuard(std::unique_ptr<KafkaConsumer> positions, std::unique_ptr<KafkaConsumer> marks, int partitions,
                LagGuardOptions options);
  void Refresh() ABSL_LOCKS_EXCLUDED(mu_);

  std::unique_ptr<KafkaConsumer> positions_;  // reads homeward.positions.v1 (the refresh thread only)
  std::unique_ptr<KafkaConsumer> marks_;      // asks for the events topic's watermarks
  const int partitions_;
  const LagGuardOptions options_;
  std::atomic<int64_t> messages_{0}, bytes_{0};
  std::atomic<bool> stop_{false};
  std::thread refresher_;
  absl::Notification refresher_done_;

  absl::Mutex mu_;
  std::map<std::string, ReaderPosition> latest_ ABSL_GUARDED_BY(mu_);
  LagVerdict verdict_ ABSL_GUARDED_BY(mu_);
  bool fresh_ ABSL_GUARDED_BY(mu_) = false;  // at least one refresh done
  absl::Time progressed_ ABSL_GUARDED_BY(mu_);  // when a reader's position last moved
};

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_LAG_GUARD_H_
