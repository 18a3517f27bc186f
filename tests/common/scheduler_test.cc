// The timer's port: the thread that runs the aggregator's periodic tasks, and the manual
// scheduler the tests use in its place.
#include "common/scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "tests/testing/eventually.h"
#include "tests/testing/manual_scheduler.h"

namespace homeward {
namespace {

using ::homeward::testing::Eventually;
using ::testing::ElementsAre;

TEST(ThreadSchedulerTest, RunsEachTaskEveryPeriodUntilStopped) {
  ThreadScheduler scheduler;
  std::atomic<int> fast = 0, slow = 0;
  scheduler.Every("fast", absl::Milliseconds(5), [&] { ++fast; });
  scheduler.Every("slow", absl::Hours(1), [&] { ++slow; });
  ASSERT_TRUE(Eventually([&] { return fast >= 5; }));
  EXPECT_EQ(slow, 0) << "not before its period";
  scheduler.Stop();
  const int at_stop = fast;
  absl::SleepFor(absl::Milliseconds(30));
  EXPECT_EQ(fast, at_stop) << "no task runs after Stop";
  scheduler.Every("late", absl::Milliseconds(1), [&] { ++slow; });
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(slow, 0) << "a task added after Stop never runs";
}

TEST(ThreadSchedulerTest, StopWaitsForARunningTaskAndTasksNeverOverlap) {
  ThreadScheduler scheduler;
  std::atomic<int> running = 0, most = 0, ended = 0;
  absl::Notification started;
  const auto task = [&] {
    most = std::max(most.load(), ++running);
    if (!started.HasBeenNotified()) started.Notify();
    absl::SleepFor(absl::Milliseconds(20));
    --running;
    ++ended;
  };
  scheduler.Every("a", absl::Milliseconds(1), task);
  scheduler.Every("b", absl::Milliseconds(1), task);
  started.WaitForNotification();
  scheduler.Stop();
  EXPECT_EQ(running, 0) << "Stop returned while a task was running";
  EXPECT_GE(ended, 1);
  EXPECT_EQ(most, 1) << "two tasks ran at once";
}

TEST(ManualSchedulerTest, RunsWhatFallsDueInTimeOrderAndNothingElse) {
  testing::ManualScheduler scheduler;
  std::vector<std::string> ran;
  scheduler.Every("second", absl::Seconds(1), [&] { ran.push_back("second"); });
  scheduler.Every("minute", absl::Minutes(1), [&] { ran.push_back("minute"); });
  scheduler.Advance(absl::Milliseconds(999));
  EXPECT_TRUE(ran.empty());
  scheduler.Advance(absl::Milliseconds(1));
  EXPECT_THAT(ran, ElementsAre("second"));
  scheduler.Advance(absl::Seconds(59));
  EXPECT_EQ(scheduler.Runs("second"), 60);
  EXPECT_EQ(scheduler.Runs("minute"), 1);
  EXPECT_EQ(ran.back(), "minute") << "at one minute, the task registered first runs first";
  EXPECT_EQ(scheduler.Runs("nothing"), -1);
}

}  // namespace
}  // namespace homeward
