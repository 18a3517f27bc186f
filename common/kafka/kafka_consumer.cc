#include "common/kafka/kafka_consumer.h"

#include "absl/strings/str_cat.h"
#include "common/kafka/client_config.h"
#include "common/kafka/kafka_errors.h"
#include "common/logging.h"

namespace homeward::kafka {

absl::StatusOr<std::unique_ptr<KafkaConsumer>> KafkaConsumer::Create(const KafkaConfig& config,
                                                                      const ConsumerOptions& options) {
  // group.id is required by librdkafka even for manual assignment; no offsets are committed.
  auto conf = NewClientConf(config, {
                                        {"group.id", "homeward-aggregator"},
                                        {"enable.auto.commit", "false"},
                                        {"enable.auto.offset.store", "false"},
                                        {"auto.offset.reset", "earliest"},
                                        {"enable.partition.eof", "false"},
                                        {"fetch.wait.max.ms", absl::StrCat(absl::ToInt64Milliseconds(
                                                                  options.fetch_wait_max))},
                                    });
  if (!conf.ok()) return conf.status();
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, err, sizeof(err));
  if (rk == nullptr) {
    rd_kafka_conf_destroy(*conf);
    return absl::InvalidArgumentError(absl::StrCat("cannot create Kafka consumer: ", err));
  }
  rd_kafka_poll_set_consumer(rk);
  return std::unique_ptr<KafkaConsumer>(new KafkaConsumer(rk));
}

KafkaConsumer::~KafkaConsumer() {
  rd_kafka_consumer_close(rk_);
  rd_kafka_destroy(rk_);
}

absl::Status KafkaConsumer::AssignAll(const std::vector<std::string>& topics,
                                      const std::map<TopicPartition, int64_t>& next_offsets,
                                      absl::Duration timeout) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(16);
  const absl::Time deadline = absl::Now() + timeout;
  for (const std::string& topic : topics) {
    rd_kafka_topic_t* handle = rd_kafka_topic_new(rk_, topic.c_str(), nullptr);
    const rd_kafka_metadata_t* md = nullptr;
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
    // Metadata may briefly report no partitions while a broker starts: ask until the deadline.
    while (absl::Now() < deadline) {
      err = rd_kafka_metadata(rk_, 0, handle, &md, 1000);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1 && md->topics[0].err == 0 &&
          md->topics[0].partition_cnt > 0) {
        break;
      }
      if (md != nullptr) {
        rd_kafka_metadata_destroy(md);
        md = nullptr;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    rd_kafka_topic_destroy(handle);
    if (md == nullptr) {
      rd_kafka_topic_partition_list_destroy(list);
      return absl::UnavailableError(absl::StrCat("no metadata for topic ", topic, " (",
                                                 rd_kafka_err2name(err), ")"));
    }
    for (int i = 0; i < md->topics[0].partition_cnt; ++i) {
      const int32_t partition = md->topics[0].partitions[i].id;
      auto* tp = rd_kafka_topic_partition_list_add(list, topic.c_str(), partition);
      const auto it = next_offsets.find(TopicPartition{topic, partition});
      tp->offset = it == next_offsets.end() ? RD_KAFKA_OFFSET_BEGINNING : it->second;
    }
    rd_kafka_metadata_destroy(md);
  }
  const rd_kafka_resp_err_t err = rd_kafka_assign(rk_, list);
  rd_kafka_topic_partition_list_destroy(list);
  return ToStatus(err, "assign");
}

absl::StatusOr<std::pair<int64_t, int64_t>> KafkaConsumer::Watermarks(const TopicPartition& tp,
                                                                     absl::Duration timeout) {
  int64_t low = 0, high = 0;
  const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
      rk_, tp.topic.c_str(), tp.partition, &low, &high, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return ToStatus(err, "watermarks");
  return std::make_pair(low, high);
}

absl::StatusOr<std::optional<ConsumedMessage>> KafkaConsumer::Poll(absl::Duration timeout) {
  rd_kafka_message_t* msg =
      rd_kafka_consumer_poll(rk_, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (msg == nullptr) return std::nullopt;
  std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> owned(msg,
                                                                          &rd_kafka_message_destroy);
  if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (msg->err == RD_KAFKA_RESP_ERR__FATAL) {
      char reason[512];
      rd_kafka_fatal_error(rk_, reason, sizeof(reason));
      return absl::InternalError(absl::StrCat("fatal Kafka consumer error: ", reason));
    }
    if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      log::Warn("consumer: {} (librdkafka retries)", rd_kafka_message_errstr(msg));
    }
    return std::nullopt;
  }
  ConsumedMessage out;
  out.tp = TopicPartition{rd_kafka_topic_name(msg->rkt), msg->partition};
  out.offset = msg->offset;
  if (msg->key != nullptr) out.key.assign(static_cast<const char*>(msg->key), msg->key_len);
  if (msg->payload != nullptr) out.value.assign(static_cast<const char*>(msg->payload), msg->len);
  return out;
}

}  // namespace homeward::kafka
