#include "common/scheduler.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace homeward {

void ThreadScheduler::Every(std::string name, absl::Duration period, std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (stop_) return;
  tasks_.push_back(std::make_unique<Task>(Task{std::move(name), period, absl::Now() + period, std::move(task)}));
  added_ = true;
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
}

void ThreadScheduler::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void ThreadScheduler::Run() {
  absl::MutexLock lock(&mu_);
  const auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || added_; };
  while (!stop_) {
    Task* due = std::min_element(tasks_.begin(), tasks_.end(), [](const auto& a, const auto& b) {
                  return a->next < b->next;
                })->get();
    if (absl::Now() < due->next) {
      added_ = false;
      mu_.AwaitWithDeadline(absl::Condition(&woken), due->next);
      continue;  // stopped, a task added, or the time came: look again
    }
    // Tasks are never removed, so `due` outlives the call made without the lock.
    mu_.Unlock();
    due->run();
    mu_.Lock();
    due->next = absl::Now() + due->period;
  }
}

}  // namespace homeward
