// File: kafka_harness.h
//
// What every integration test needs from Kafka: librdkafka's mock cluster with Homeward's
// topics, its client configuration, a producer to publish events, and a way to read a topic.
#ifndef HOMEWARD_TESTS_TESTING_KAFKA_HARNESS_H_
#define HOMEWARD_TESTS_TESTING_KAFKA_HARNESS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/kafka/kafka_consumer.h"
#include "common/kafka/kafka_producer.h"
#include "common/kafka/mock_cluster.h"
#include "tests/testing/eventually.h"

namespace homeward::testing {

class KafkaHarness {
 public:
  // Starts `brokers` mock brokers with Homeward's topics and a producer.
  absl::Status Start(int brokers = 3, kafka::ProducerOptions producer_options = {}) {
    auto cluster = kafka::MockCluster::Start(brokers, kafka::HomewardTopics());
    if (!cluster.ok()) return cluster.status();
    cluster_ = *std::move(cluster);
    config_ = {.bootstrap_servers = cluster_->bootstrap_servers()};
    auto producer = kafka::KafkaProducer::Create(config_, producer_options);
    if (!producer.ok()) return producer.status();
    producer_ = *std::move(producer);
    return absl::OkStatus();
  }

  const kafka::KafkaConfig& config() const { return config_; }
  kafka::MockCluster& cluster() { return *cluster_; }
  kafka::KafkaProducer& producer() { return *producer_; }

  // Publishes the events and waits until Kafka has acknowledged every one.
  absl::Status Publish(const std::vector<Event>& events) {
    std::vector<OutboundMessage> messages;
    for (const Event& e : events) messages.push_back(EventMessage(e));
    for (const absl::Status& s : producer_->PublishAll(std::move(messages))) {
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // The first message on `topic`, read from the beginning; NOT_FOUND if none comes in time.
  absl::StatusOr<kafka::ConsumedMessage> FirstMessage(const std::string& topic,
                                                      absl::Duration timeout = absl::Seconds(20)) {
    auto consumer = kafka::KafkaConsumer::Create(config_);
    if (!consumer.ok()) return consumer.status();
    if (absl::Status s = (*consumer)->AssignAll({topic}, {}, absl::Seconds(10)); !s.ok()) return s;
    std::optional<kafka::ConsumedMessage> first;
    Eventually(
        [&] {
          auto m = (*consumer)->Poll(absl::Milliseconds(100));
          if (m.ok() && m->has_value()) first = **m;
          return first.has_value();
        },
        timeout);
    if (!first.has_value()) return absl::NotFoundError(absl::StrCat("no message on ", topic));
    return *std::move(first);
  }

 private:
  std::unique_ptr<kafka::MockCluster> cluster_;
  kafka::KafkaConfig config_;
  std::unique_ptr<kafka::KafkaProducer> producer_;
};

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_KAFKA_HARNESS_H_
