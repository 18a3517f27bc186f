#include "common/kafka/kafka_errors.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace homeward::kafka {

namespace {

// Every code Homeward has a decision for; the rest are kUnexpected. A table, not a switch over
// librdkafka's enum: a switch would have to list all of its codes or hide the rest in `default:`.
constexpr std::pair<rd_kafka_resp_err_t, KafkaError> kKnown[] = {
    {RD_KAFKA_RESP_ERR_NO_ERROR, KafkaError::kNone},
    {RD_KAFKA_RESP_ERR__TRANSPORT, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR__TIMED_OUT, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR__QUEUE_FULL, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR__RESOLVE, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR_NOT_COORDINATOR, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR__PURGE_QUEUE, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR__PURGE_INFLIGHT, KafkaError::kRetriable},
    {RD_KAFKA_RESP_ERR__PARTITION_EOF, KafkaError::kEndOfPartition},
    {RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET, KafkaError::kOffsetOutOfRange},
    {RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE, KafkaError::kOffsetOutOfRange},
    {RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, KafkaError::kTooLarge},
    {RD_KAFKA_RESP_ERR__INVALID_ARG, KafkaError::kInvalid},
    {RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, KafkaError::kDenied},
    {RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED, KafkaError::kDenied},
    {RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED, KafkaError::kDenied},
    {RD_KAFKA_RESP_ERR__AUTHENTICATION, KafkaError::kDenied},
    {RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED, KafkaError::kDenied},
    {RD_KAFKA_RESP_ERR__FATAL, KafkaError::kFatal},
};

}  // namespace

KafkaError Classify(rd_kafka_resp_err_t err) {
  for (const auto& [code, kind] : kKnown) {
    if (code == err) return kind;
  }
  return KafkaError::kUnexpected;
}

bool IsRetriable(rd_kafka_resp_err_t err) { return Classify(err) == KafkaError::kRetriable; }

absl::Status ToStatus(rd_kafka_resp_err_t err, absl::string_view what) {
  const auto message = [&] { return absl::StrCat(what, ": ", rd_kafka_err2name(err), " (", rd_kafka_err2str(err), ")"); };
  switch (Classify(err)) {
    case KafkaError::kNone: return absl::OkStatus();
    case KafkaError::kRetriable: return absl::UnavailableError(message());
    case KafkaError::kOffsetOutOfRange: return absl::OutOfRangeError(message());
    case KafkaError::kTooLarge:
    case KafkaError::kInvalid: return absl::InvalidArgumentError(message());
    case KafkaError::kDenied: return absl::PermissionDeniedError(message());
    case KafkaError::kEndOfPartition:
    case KafkaError::kFatal:
    case KafkaError::kUnexpected: return absl::InternalError(message());
  }
  return absl::InternalError(message());  // not reached: the switch covers every kind
}

}  // namespace homeward::kafka
