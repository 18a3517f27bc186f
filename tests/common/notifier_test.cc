// The notifier: listeners run on its thread, so whoever tells it never waits for them.
#include "common/notifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "tests/testing/eventually.h"

namespace homeward {
namespace {

using ::homeward::testing::Eventually;

TEST(NotifierTest, ListenersRunOnItsThreadAndTheTellerDoesNotWaitForThem) {
  Notifier notifier;
  absl::Notification release;
  std::atomic<int> calls = 0;
  std::atomic<bool> on_caller_thread = false;
  const std::thread::id caller = std::this_thread::get_id();
  const int id = notifier.Subscribe([&] {
    on_caller_thread = on_caller_thread || std::this_thread::get_id() == caller;
    ++calls;
    release.WaitForNotification();  // a slow listener: a stream writing to the access log
  });
  notifier.Notify();  // would hang here if the listener ran on this thread
  ASSERT_TRUE(Eventually([&] { return calls == 1; }));
  notifier.Notify();
  notifier.Notify();  // told twice while the listener runs: one more round
  release.Notify();
  ASSERT_TRUE(Eventually([&] { return calls == 2; }));
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(calls, 2) << "tellings during a round fold into one more round";
  EXPECT_FALSE(on_caller_thread);
  notifier.Unsubscribe(id);
}

TEST(NotifierTest, EveryListenerIsCalledAndNoneAfterUnsubscribing) {
  Notifier notifier;
  std::atomic<int> a = 0, b = 0;
  const int first = notifier.Subscribe([&] { ++a; });
  const int second = notifier.Subscribe([&] { ++b; });
  notifier.Notify();
  ASSERT_TRUE(Eventually([&] { return a == 1 && b == 1; }));
  notifier.Unsubscribe(first);
  notifier.Notify();
  ASSERT_TRUE(Eventually([&] { return b == 2; }));
  EXPECT_EQ(a, 1);
  notifier.Unsubscribe(second);
  notifier.Notify();
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(b, 2);
}

TEST(NotifierTest, UnsubscribeWaitsForTheListenerToReturn) {
  Notifier notifier;
  std::atomic<bool> running = false, returned = false;
  const int id = notifier.Subscribe([&] {
    running = true;
    absl::SleepFor(absl::Milliseconds(100));
    returned = true;
  });
  notifier.Notify();
  ASSERT_TRUE(Eventually([&] { return running.load(); }));
  notifier.Unsubscribe(id);  // what the listener uses may go once this returns
  EXPECT_TRUE(returned);
}

}  // namespace
}  // namespace homeward
