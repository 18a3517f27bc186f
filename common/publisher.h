// File: publisher.h
//
// The port through which Homeward code hands messages to the log: KafkaProducer implements it
// for real, tests use an in-memory fake. No Kafka types here.
#ifndef HOMEWARD_COMMON_PUBLISHER_H_
#define HOMEWARD_COMMON_PUBLISHER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace homeward {

struct OutboundMessage {
  std::string topic;
  std::string key;
  std::string value;
  // Record headers (name, value), e.g. the rejection reason on a dead letter.
  std::vector<std::pair<std::string, std::string>> headers;
};

class MessagePublisher {
 public:
  virtual ~MessagePublisher() = default;

  // Publishes every message and waits up to `timeout` for the log to acknowledge each. Returns
  // one Status per message, in order: OK only for messages the log has durably accepted;
  // UNAVAILABLE for ones not acknowledged in time (safe to publish again: ids are stable).
  virtual std::vector<absl::Status> PublishAll(const std::vector<OutboundMessage>& messages,
                                               absl::Duration timeout) = 0;
};

}  // namespace homeward

#endif  // HOMEWARD_COMMON_PUBLISHER_H_
