#include "common/kafka/mock_cluster.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/kafka/kafka_config.h"
#include "common/kafka/kafka_errors.h"

namespace homeward::kafka {

std::vector<TopicSpec> HomewardTopics() {
  return {{kEventsTopic, 6}, {kDeadLetterTopic, 1}, {kAlertsTopic, 3}, {kAnchorsTopic, 1}, {kPositionsTopic, 1}};
}

absl::StatusOr<std::unique_ptr<MockCluster>> MockCluster::Start(int brokers,
                                                                const std::vector<TopicSpec>& topics) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err));
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(absl::StrCat("cannot create mock cluster handle: ", err));
  }
  rd_kafka_mock_cluster_t* mcluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (mcluster == nullptr) {
    rd_kafka_destroy(rk);
    return absl::InternalError("cannot start the Kafka mock cluster");
  }
  auto cluster = std::unique_ptr<MockCluster>(new MockCluster(rk, mcluster));
  const int replication = std::min(3, brokers);
  for (const TopicSpec& topic : topics) {
    const rd_kafka_resp_err_t e =
        rd_kafka_mock_topic_create(mcluster, topic.name.c_str(), topic.partitions, replication);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) return ToStatus(e, absl::StrCat("create topic ", topic.name));
  }
  return cluster;
}

MockCluster::~MockCluster() {
  rd_kafka_mock_cluster_destroy(mcluster_);
  rd_kafka_destroy(rk_);
}

std::string MockCluster::bootstrap_servers() const {
  return rd_kafka_mock_cluster_bootstraps(mcluster_);
}

}  // namespace homeward::kafka
