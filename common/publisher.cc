#include "common/publisher.h"

#include "absl/synchronization/notification.h"

namespace homeward {

std::vector<absl::Status> MessagePublisher::PublishAll(std::vector<OutboundMessage> messages) {
  absl::Notification finished;
  std::vector<absl::Status> results;
  PublishAsync(std::move(messages), [&](std::vector<absl::Status> statuses) {
    results = std::move(statuses);
    finished.Notify();
  });
  finished.WaitForNotification();
  return results;
}

}  // namespace homeward
