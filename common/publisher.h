// File: publisher.h
//
// The port through which Homeward code hands messages to the log: KafkaProducer implements it
// for real, tests use an in-memory fake. No Kafka types here.
#ifndef HOMEWARD_COMMON_PUBLISHER_H_
#define HOMEWARD_COMMON_PUBLISHER_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"

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
  // One Status per message, in order: OK only for messages the log has durably accepted;
  // UNAVAILABLE for ones it did not acknowledge in time (safe to publish again: ids are stable).
  using Done = std::function<void(std::vector<absl::Status>)>;

  virtual ~MessagePublisher() = default;

  // Publishes every message and calls `done` exactly once, from any thread, when each has a
  // delivery report. Never blocks for the log (bar brief backpressure when its queue is full).
  virtual void PublishAsync(std::vector<OutboundMessage> messages, Done done) = 0;

  // Publishes and waits for every delivery report.
  std::vector<absl::Status> PublishAll(std::vector<OutboundMessage> messages);
};

}  // namespace homeward

#endif  // HOMEWARD_COMMON_PUBLISHER_H_
