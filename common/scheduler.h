// File: scheduler.h
//
// Periodic work as scheduled callbacks, behind a port (as MessagePublisher is). The aggregator's
// timer (rules falling due and escalation, health, access-log anchors, retention) registers its
// tasks here rather than running a loop of its own, so a test runs them exactly when it chooses
// (tests/testing/manual_scheduler.h), and the service runs them on one thread (ThreadScheduler).
//
// Thread safety: ThreadScheduler is safe for concurrent use; a task runs on its thread.
#ifndef HOMEWARD_COMMON_SCHEDULER_H_
#define HOMEWARD_COMMON_SCHEDULER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace homeward {

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Calls `task` every `period`, the first time one period from now; tasks run one at a time,
  // and a task's next run is one period after its last one ended (a slow run delays, never
  // piles up). `name` is for the log. REQUIRES: period > 0.
  virtual void Every(std::string name, absl::Duration period, std::function<void()> task) = 0;
};

// Runs the tasks on a thread of its own, by the wall clock, from the first Every until Stop.
class ThreadScheduler final : public Scheduler {
 public:
  ThreadScheduler() = default;
  ThreadScheduler(const ThreadScheduler&) = delete;
  ThreadScheduler& operator=(const ThreadScheduler&) = delete;
  ~ThreadScheduler() override { Stop(); }

  void Every(std::string name, absl::Duration period, std::function<void()> task) override ABSL_LOCKS_EXCLUDED(mu_);
  // Waits for a task that is running to end; no task runs after. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Task {
    std::string name;
    absl::Duration period;
    absl::Time next;
    std::function<void()> run;
  };
  void Run() ABSL_LOCKS_EXCLUDED(mu_);

  absl::Mutex mu_;
  std::vector<std::unique_ptr<Task>> tasks_ ABSL_GUARDED_BY(mu_);
  bool added_ ABSL_GUARDED_BY(mu_) = false;  // a task was added: the thread looks again
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // started by the first Every
};

}  // namespace homeward

#endif  // HOMEWARD_COMMON_SCHEDULER_H_
