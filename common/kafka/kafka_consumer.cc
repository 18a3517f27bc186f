#include "common/kafka/kafka_consumer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/kafka/client_config.h"
#include "common/kafka/kafka_errors.h"
#include "common/logging.h"

namespace homeward::kafka {

absl::StatusOr<std::unique_ptr<KafkaConsumer>> KafkaConsumer::Create(const KafkaConfig& config,
                                                                      const ConsumerOptions& options) {
  // group.id is required by librdkafka even for manual assignment; no offsets are committed
  // (a commit outstanding when Kafka goes would hold up close for ever). Never reset an offset
  // by itself (see the header).
  auto conf = NewClientConf(config, {
                                        {"group.id", "homeward-aggregator"},
                                        {"enable.auto.commit", "false"},
                                        {"enable.auto.offset.store", "false"},
                                        {"auto.offset.reset", "error"},
                                        {"enable.partition.eof", "false"},
                                        {"fetch.wait.max.ms", absl::StrCat(absl::ToInt64Milliseconds(
                                                                  options.fetch_wait_max))},
                                        {"socket.timeout.ms",
                                         absl::StrCat(absl::ToInt64Milliseconds(options.request_timeout))},
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
  // Partitions are assigned by hand and no offset is ever committed, so there is no group to
  // leave and nothing to close; rd_kafka_consumer_close() would still ask the group coordinator,
  // and with Kafka gone that holds up shutdown for as long as the process lives.
  rd_kafka_destroy_flags(rk_, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

absl::StatusOr<std::vector<int32_t>> KafkaConsumer::Partitions(const std::string& topic, absl::Time deadline) {
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
    return absl::UnavailableError(absl::StrCat("no metadata for topic ", topic, " (", rd_kafka_err2name(err), ")"));
  }
  std::vector<int32_t> ids;
  for (int i = 0; i < md->topics[0].partition_cnt; ++i) ids.push_back(md->topics[0].partitions[i].id);
  rd_kafka_metadata_destroy(md);
  return ids;
}

absl::Status KafkaConsumer::AssignAll(const std::vector<std::string>& topics, const NextOffsets& next_offsets,
                                      absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  assigned_.clear();
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(16);
  for (const std::string& topic : topics) {
    absl::StatusOr<std::vector<int32_t>> partitions = Partitions(topic, deadline);
    if (!partitions.ok()) {
      rd_kafka_topic_partition_list_destroy(list);
      return partitions.status();
    }
    for (const int32_t partition : *partitions) {
      assigned_.push_back(TopicPartition{topic, partition});
      auto* tp = rd_kafka_topic_partition_list_add(list, topic.c_str(), partition);
      const auto it = next_offsets.find(TopicPartition{topic, partition});
      tp->offset = it == next_offsets.end() ? 0 : it->second;
    }
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

NextOffsets KafkaConsumer::LastSeenEnds() {
  NextOffsets ends;
  for (const TopicPartition& tp : assigned_) {
    int64_t low = 0, high = 0;
    // librdkafka's cached view from its last fetch response: no request to the broker.
    if (rd_kafka_get_watermark_offsets(rk_, tp.topic.c_str(), tp.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR &&
        high >= 0) {
      ends[tp] = high;
    }
  }
  return ends;
}

absl::StatusOr<std::optional<ConsumedMessage>> KafkaConsumer::Poll(absl::Duration timeout) {
  rd_kafka_message_t* msg =
      rd_kafka_consumer_poll(rk_, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (msg == nullptr) return std::nullopt;
  std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> owned(msg,
                                                                          &rd_kafka_message_destroy);
  switch (Classify(msg->err)) {
    case KafkaError::kNone: break;
    case KafkaError::kEndOfPartition: return std::nullopt;
    case KafkaError::kOffsetOutOfRange:
      if (msg->rkt != nullptr) {
        // The partition's next offset is out of range and fetching it has stopped.
        out_of_range_.push_back({TopicPartition{rd_kafka_topic_name(msg->rkt), msg->partition}, msg->offset});
        return std::nullopt;
      }
      log::Warn("consumer: {} (no partition named; librdkafka retries)", rd_kafka_message_errstr(msg));
      return std::nullopt;
    case KafkaError::kFatal: {
      char reason[512];
      rd_kafka_fatal_error(rk_, reason, sizeof(reason));
      return absl::InternalError(absl::StrCat("fatal Kafka consumer error: ", reason));
    }
    case KafkaError::kRetriable:
    case KafkaError::kTooLarge:
    case KafkaError::kInvalid:
    case KafkaError::kDenied:
    case KafkaError::kUnexpected:
      // The consumer goes on fetching (librdkafka retries); an error that persists shows as lag.
      log::Warn("consumer: {} (librdkafka retries)", rd_kafka_message_errstr(msg));
      return std::nullopt;
  }
  ConsumedMessage out;
  out.tp = TopicPartition{rd_kafka_topic_name(msg->rkt), msg->partition};
  out.offset = msg->offset;
  if (msg->key != nullptr) out.key.assign(static_cast<const char*>(msg->key), msg->key_len);
  if (msg->payload != nullptr) out.value.assign(static_cast<const char*>(msg->payload), msg->len);
  return out;
}

std::vector<OutOfRange> KafkaConsumer::TakeOutOfRange() { return std::exchange(out_of_range_, {}); }

absl::Status KafkaConsumer::Seek(const TopicPartition& tp, int64_t offset) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, tp.topic.c_str(), tp.partition)->offset = offset;
  rd_kafka_error_t* error = rd_kafka_seek_partitions(rk_, list, 10'000);
  rd_kafka_resp_err_t err = list->elems[0].err;
  rd_kafka_topic_partition_list_destroy(list);
  if (error != nullptr) {
    err = rd_kafka_error_code(error);
    rd_kafka_error_destroy(error);
  }
  return ToStatus(err, absl::StrCat("seek ", tp.topic, "/", tp.partition, " to ", offset));
}

}  // namespace homeward::kafka
