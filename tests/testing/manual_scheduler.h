// File: manual_scheduler.h
//
// A Scheduler whose time moves only when a test says so: Advance runs each task as often as it
// falls due in that time, in time order, on the caller's thread.
#ifndef HOMEWARD_TESTS_TESTING_MANUAL_SCHEDULER_H_
#define HOMEWARD_TESTS_TESTING_MANUAL_SCHEDULER_H_

#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/time/time.h"
#include "common/scheduler.h"

namespace homeward::testing {

class ManualScheduler final : public Scheduler {
 public:
  void Every(std::string name, absl::Duration period, std::function<void()> task) override {
    tasks_.push_back({std::move(name), period, elapsed_ + period, std::move(task), 0});
  }

  // Moves time on by `d`, running what falls due (a task due at the same time as another runs
  // after the one registered first).
  void Advance(absl::Duration d) {
    const absl::Duration until = elapsed_ + d;
    for (;;) {
      size_t next = tasks_.size();  // by index: a task may register another
      for (size_t i = 0; i < tasks_.size(); ++i) {
        if (tasks_[i].next <= until && (next == tasks_.size() || tasks_[i].next < tasks_[next].next)) next = i;
      }
      if (next == tasks_.size()) break;
      elapsed_ = tasks_[next].next;
      const std::function<void()> run = tasks_[next].run;
      run();
      ++tasks_[next].runs;
      tasks_[next].next = elapsed_ + tasks_[next].period;
    }
    elapsed_ = until;
  }

  // How many times the named task has run; -1 if none has that name.
  int Runs(const std::string& name) const {
    for (const Task& t : tasks_) {
      if (t.name == name) return t.runs;
    }
    return -1;
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const Task& t : tasks_) names.push_back(t.name);
    return names;
  }

 private:
  struct Task {
    std::string name;
    absl::Duration period;
    absl::Duration next;  // since this scheduler was made
    std::function<void()> run;
    int runs;
  };
  absl::Duration elapsed_;
  std::vector<Task> tasks_;
};

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_MANUAL_SCHEDULER_H_
