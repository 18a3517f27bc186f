// File: clock.h
//
// The one source of "now" for Homeward. Domain code takes a `Clock&` instead of calling
// absl::Now(), so tests drive time with `FakeClock::Advance()`.
//
// Thread safety: RealClock is stateless; FakeClock is safe for concurrent use.
#ifndef HOMEWARD_COMMON_CLOCK_H_
#define HOMEWARD_COMMON_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace homeward {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// Wall-clock time.
class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// Time that moves only when a test says so.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}

  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace homeward

#endif  // HOMEWARD_COMMON_CLOCK_H_
