#include "common/kafka/mock_cluster.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/kafka/client_config.h"
#include "common/kafka/kafka_config.h"
#include "common/kafka/kafka_errors.h"

namespace homeward::kafka {

std::vector<TopicSpec> HomewardTopics() {
  // Seven years (of 365.2425 days, 31,556,952 s): the statutory retention of the records (brief
  // §7). Purging one child's data is the retention sweep's (homeward purge), not the topic's expiry.
  const absl::Duration seven_years = absl::Seconds(31556952) * 7;
  return {
      // The system of record for rebuilding any aggregator.
      {.name = kEventsTopic, .partitions = 6, .retention = seven_years},
      // Long enough for a data-quality officer to work through them; they hold agencies' input.
      {.name = kDeadLetterTopic, .partitions = 1, .retention = absl::Hours(24) * 90},
      // Alerts and their transitions, folded into every replica's store: kept a year on the log.
      {.name = kAlertsTopic, .partitions = 3, .retention = absl::Hours(24) * 365},
      // The access logs' sealed heads: as long as the logs they vouch for, never compacted.
      {.name = kAnchorsTopic, .partitions = 1, .retention = seven_years},
      // Each replica's position: only the newest per replica matters.
      {.name = kPositionsTopic, .partitions = 1, .compacted = true},
  };
}

std::string DescribeForProduction(const TopicSpec& topic) {
  const int64_t retention_ms =
      topic.retention == absl::InfiniteDuration() ? -1 : absl::ToInt64Milliseconds(topic.retention);
  return absl::StrCat(topic.name, " partitions=", topic.partitions, " retention.ms=", retention_ms,
                      " cleanup.policy=", topic.compacted ? "compact" : "delete");
}

absl::StatusOr<std::unique_ptr<MockCluster>> MockCluster::Start(int brokers,
                                                                const std::vector<TopicSpec>& topics) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set_log_cb(conf, &SendToHomewardLog);
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
