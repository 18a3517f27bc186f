#include "common/kafka/kafka_producer.h"

#include "absl/strings/str_cat.h"
#include "common/kafka/client_config.h"
#include "common/kafka/kafka_errors.h"
#include "common/logging.h"

namespace homeward::kafka {
namespace {

// Where a message's delivery report lands. Owned by PublishAll(), which does not return while
// librdkafka still holds a pointer to it (it purges and drains on timeout).
struct DeliverySlot {
  bool done = false;
  absl::Status status = absl::UnavailableError("no delivery report");
};

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* msg, void*) {
  auto* slot = static_cast<DeliverySlot*>(msg->_private);
  if (slot == nullptr) return;
  slot->status = ToStatus(msg->err, "delivery");
  slot->done = true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<KafkaProducer>> KafkaProducer::Create(const KafkaConfig& config,
                                                                      const ProducerOptions& options) {
  std::vector<std::pair<std::string, std::string>> props = {
      {"enable.idempotence", "true"},  // implies acks=all and ordered, duplicate-free retries
      {"message.timeout.ms", absl::StrCat(absl::ToInt64Milliseconds(options.message_timeout))},
      {"linger.ms", absl::StrCat(absl::ToInt64Milliseconds(options.linger))},
  };
  auto conf = NewClientConf(config, props);
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_dr_msg_cb(*conf, &OnDelivery);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, *conf, err, sizeof(err));
  if (rk == nullptr) {
    rd_kafka_conf_destroy(*conf);
    return absl::InvalidArgumentError(absl::StrCat("cannot create Kafka producer: ", err));
  }
  return std::unique_ptr<KafkaProducer>(new KafkaProducer(rk));
}

KafkaProducer::~KafkaProducer() {
  rd_kafka_flush(rk_, 10'000);
  if (const int left = rd_kafka_outq_len(rk_); left > 0) {
    log::Warn("producer closing with {} message(s) undelivered", left);
  }
  rd_kafka_destroy(rk_);
}

std::vector<absl::Status> KafkaProducer::PublishAll(const std::vector<OutboundMessage>& messages,
                                                    absl::Duration timeout) {
  std::vector<DeliverySlot> slots(messages.size());
  const absl::Time deadline = absl::Now() + timeout;
  for (size_t i = 0; i < messages.size(); ++i) {
    const OutboundMessage& m = messages[i];
    rd_kafka_headers_t* headers = rd_kafka_headers_new(m.headers.size());
    for (const auto& [name, value] : m.headers) {
      rd_kafka_header_add(headers, name.data(), name.size(), value.data(), value.size());
    }
    while (true) {
      const rd_kafka_resp_err_t err = rd_kafka_producev(
          rk_, RD_KAFKA_V_TOPIC(m.topic.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_KEY(m.key.data(), m.key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(m.value.data()), m.value.size()),
          RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(&slots[i]), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;  // librdkafka now owns `headers`
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && absl::Now() < deadline) {
        rd_kafka_poll(rk_, 10);  // backpressure: serve reports to make room
        continue;
      }
      rd_kafka_headers_destroy(headers);
      slots[i].status = ToStatus(err, "produce");
      slots[i].done = true;
      break;
    }
  }
  auto all_done = [&] {
    for (const auto& s : slots) {
      if (!s.done) return false;
    }
    return true;
  };
  while (!all_done() && absl::Now() < deadline) {
    rd_kafka_poll(rk_, 50);
  }
  if (!all_done()) {
    // Take back what is still queued or in flight, so no report can arrive after we return;
    // purged messages report ERR__PURGE_* (UNAVAILABLE: publish again later).
    rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    while (!all_done()) rd_kafka_poll(rk_, 50);
  }
  std::vector<absl::Status> result;
  result.reserve(slots.size());
  for (auto& s : slots) result.push_back(std::move(s.status));
  return result;
}

}  // namespace homeward::kafka
