// File: backpressure.h
//
// The port through which a producer asks whether the log's readers have room for more
// (common/kafka/lag.h): KafkaLagGuard implements it for real; tests use a fake. No Kafka types.
#ifndef HOMEWARD_COMMON_BACKPRESSURE_H_
#define HOMEWARD_COMMON_BACKPRESSURE_H_

#include <cstdint>

#include "absl/status/status.h"

namespace homeward {

class Backpressure {
 public:
  virtual ~Backpressure() = default;
  // Tells the guard what this producer has published so far (its average message size stands
  // for the unread ones).
  virtual void Published(int64_t messages, int64_t bytes) = 0;
  // OK at once if there is room; otherwise RESOURCE_EXHAUSTED saying who is behind (callers
  // that cannot wait answer with it).
  virtual absl::Status Check() = 0;
  // Waits until there is room. UNAVAILABLE if the readers made no progress for the guard's
  // wait limit (they are down or stuck): nothing was lost, and the caller can resume later.
  virtual absl::Status WaitForRoom() = 0;
};

}  // namespace homeward

#endif  // HOMEWARD_COMMON_BACKPRESSURE_H_
