#include "common/kafka/kafka_producer.h"

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/kafka/client_config.h"
#include "common/kafka/kafka_errors.h"
#include "common/logging.h"

namespace homeward::kafka {
namespace {

// One PublishAsync call: results fill in as delivery reports arrive; the last one calls done.
struct Batch {
  explicit Batch(size_t n, MessagePublisher::Done d) : results(n), remaining(n), done(std::move(d)) {}

  void Report(size_t index, absl::Status status) {
    {
      absl::MutexLock lock(&mu);
      results[index] = std::move(status);
      if (--remaining > 0) return;
    }
    done(std::move(results));
    delete this;
  }

  absl::Mutex mu;
  std::vector<absl::Status> results;
  size_t remaining;
  MessagePublisher::Done done;
};

// The per-message opaque handed to librdkafka.
struct Slot {
  Batch* batch;
  size_t index;
};

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* msg, void*) {
  auto* slot = static_cast<Slot*>(msg->_private);
  if (slot == nullptr) return;
  slot->batch->Report(slot->index, ToStatus(msg->err, "delivery"));
  delete slot;
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

KafkaProducer::KafkaProducer(rd_kafka_t* rk) : rk_(rk) {
  poller_ = std::thread([this] {
    while (!stop_) rd_kafka_poll(rk_, 50);
  });
}

KafkaProducer::~KafkaProducer() {
  stop_ = true;
  poller_.join();
  rd_kafka_flush(rk_, 10'000);
  if (rd_kafka_outq_len(rk_) > 0) {
    log::Warn("producer closing with {} message(s) undelivered; reporting them failed", rd_kafka_outq_len(rk_));
    rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(rk_, 0);  // serve the purged messages' reports, so every Done is called
  }
  rd_kafka_destroy(rk_);
}

void KafkaProducer::PublishAsync(std::vector<OutboundMessage> messages, Done done) {
  if (messages.empty()) {
    done({});
    return;
  }
  auto* batch = new Batch(messages.size(), std::move(done));
  for (size_t i = 0; i < messages.size(); ++i) {
    const OutboundMessage& m = messages[i];
    rd_kafka_headers_t* headers = rd_kafka_headers_new(m.headers.size());
    for (const auto& [name, value] : m.headers) {
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                          static_cast<ssize_t>(value.size()));
    }
    auto* slot = new Slot{batch, i};
    rd_kafka_resp_err_t err;
    while ((err = rd_kafka_producev(rk_, RD_KAFKA_V_TOPIC(m.topic.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                    RD_KAFKA_V_KEY(m.key.data(), m.key.size()),
                                    RD_KAFKA_V_VALUE(const_cast<char*>(m.value.data()), m.value.size()),
                                    RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(slot), RD_KAFKA_V_END)) ==
           RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      absl::SleepFor(absl::Milliseconds(5));  // backpressure: the poller drains the queue
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {  // librdkafka did not take the message or headers
      rd_kafka_headers_destroy(headers);
      delete slot;
      batch->Report(i, ToStatus(err, "produce"));
    }
  }
}

}  // namespace homeward::kafka
