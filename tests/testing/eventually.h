// File: eventually.h
//
// Waits for an asynchronous system (Kafka, the aggregator) to reach a state.
#ifndef HOMEWARD_TESTS_TESTING_EVENTUALLY_H_
#define HOMEWARD_TESTS_TESTING_EVENTUALLY_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace homeward::testing {

// Polls `done` every 20 ms until it holds (true) or `timeout` passes (its last answer).
inline bool Eventually(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(20)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return done();
}

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_EVENTUALLY_H_
