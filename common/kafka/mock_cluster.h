// File: mock_cluster.h
//
// The embedded Kafka for development and tests: librdkafka's mock cluster, which speaks the
// real Kafka protocol on loopback TCP (random ports; in memory; no transactions; each partition
// keeps at most 5 MiB: see ../shared/kafka-and-grpc-notes.md). Never a system of record.
//
// Thread safety: the mock runs its own threads; the fault-injection calls are safe from any
// thread.
#ifndef HOMEWARD_COMMON_KAFKA_MOCK_CLUSTER_H_
#define HOMEWARD_COMMON_KAFKA_MOCK_CLUSTER_H_

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace homeward::kafka {

struct TopicSpec {
  std::string name;
  int partitions = 6;
  // What production sets as well (deploy/kafka/create-topics.sh; the mock keeps neither): how
  // long records are kept (InfiniteDuration: for ever), and whether only each key's newest
  // record is kept (compaction) instead.
  absl::Duration retention = absl::InfiniteDuration();
  bool compacted = false;
};

// The topics Homeward uses: names, partition counts, and production's retention and cleanup.
std::vector<TopicSpec> HomewardTopics();

// "<name> partitions=<n> retention.ms=<ms, or -1 for ever> cleanup.policy=<delete|compact>",
// as `homeward-kafka --list_topics` and `deploy/kafka/create-topics.sh --list` print them.
std::string DescribeForProduction(const TopicSpec& topic);

class MockCluster {
 public:
  // Starts `brokers` mock brokers and creates `topics` (replication = min(3, brokers)).
  static absl::StatusOr<std::unique_ptr<MockCluster>> Start(int brokers,
                                                            const std::vector<TopicSpec>& topics);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // "127.0.0.1:port,..." for bootstrap.servers.
  std::string bootstrap_servers() const;

  // For fault-injection tests: rd_kafka_mock_broker_set_down(), push_request_errors(), ...
  rd_kafka_mock_cluster_t* raw() const { return mcluster_; }

 private:
  MockCluster(rd_kafka_t* rk, rd_kafka_mock_cluster_t* mcluster) : rk_(rk), mcluster_(mcluster) {}

  rd_kafka_t* rk_;  // owns the mock cluster's threads
  rd_kafka_mock_cluster_t* mcluster_;
};

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_MOCK_CLUSTER_H_
