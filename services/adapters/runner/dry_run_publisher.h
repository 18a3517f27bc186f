// File: dry_run_publisher.h
//
// The publisher of `homeward-import --dry-run`: every message is acknowledged at once and none
// is sent anywhere. PublishExport then reads, maps and validates the whole export as a real run
// does, and its summary and rejections are exactly what a real run would publish and reject —
// with no Kafka, no checkpoint (the caller passes none) and nothing published.
//
// Thread safety: stateless.
#ifndef HOMEWARD_SERVICES_ADAPTERS_RUNNER_DRY_RUN_PUBLISHER_H_
#define HOMEWARD_SERVICES_ADAPTERS_RUNNER_DRY_RUN_PUBLISHER_H_

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/publisher.h"

namespace homeward::adapters {

class DryRunPublisher final : public MessagePublisher {
 public:
  // MessagePublisher
  void PublishAsync(std::vector<OutboundMessage> messages, Done done) override {
    done(std::vector<absl::Status>(messages.size(), absl::OkStatus()));
  }
};

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_RUNNER_DRY_RUN_PUBLISHER_H_
