// File: kafka_anchors.h
//
// Access-log anchors on the topic homeward.anchors.v1 (audit/anchors.h): published through the
// aggregator's producer, read back with a consumer of its own from the topic's most recent
// records.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_KAFKA_KAFKA_ANCHORS_H_
#define HOMEWARD_SERVICES_AGGREGATOR_KAFKA_KAFKA_ANCHORS_H_

#include <string>
#include <vector>

#include "common/kafka/kafka_config.h"
#include "common/publisher.h"
#include "services/aggregator/audit/anchors.h"

namespace homeward::aggregator {

class KafkaAnchors final : public AnchorStore {
 public:
  // `publisher` must outlive this object. Read() looks at the last `read_last` records.
  // Publish() waits up to `publish_timeout` for Kafka's delivery report.
  KafkaAnchors(MessagePublisher& publisher, kafka::KafkaConfig config, int read_last = 1000,
               absl::Duration publish_timeout = absl::Seconds(5))
      : publisher_(publisher), config_(std::move(config)), read_last_(read_last), publish_timeout_(publish_timeout) {}
  absl::Status Publish(const Anchor& anchor) override;
  absl::StatusOr<std::vector<Anchor>> Read(const std::string& log_id) override;
  std::string name() const override;

 private:
  MessagePublisher& publisher_;
  const kafka::KafkaConfig config_;
  const int read_last_;
  const absl::Duration publish_timeout_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_KAFKA_KAFKA_ANCHORS_H_
