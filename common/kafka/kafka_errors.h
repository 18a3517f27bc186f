// File: kafka_errors.h
//
// The one place that decides what a librdkafka error means for Homeward. librdkafka has some
// two hundred error codes and adds more; Classify() sorts them into the few kinds Homeward acts
// on, and every caller switches over KafkaError, exhaustively, with no `default:`, so a kind
// added here is a compile error wherever it is not yet handled.
#ifndef HOMEWARD_COMMON_KAFKA_KAFKA_ERRORS_H_
#define HOMEWARD_COMMON_KAFKA_KAFKA_ERRORS_H_

#include <librdkafka/rdkafka.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace homeward::kafka {

enum class KafkaError {
  kNone,              // RD_KAFKA_RESP_ERR_NO_ERROR
  kRetriable,         // broker down, timeouts, leader changes, queue full: the same request may succeed later
  kEndOfPartition,    // a consumer reached the end of a partition (information, not trouble)
  kOffsetOutOfRange,  // a consumer's next offset is no longer (or not yet) in the log
  kTooLarge,          // a message over the broker's or client's size limit
  kInvalid,           // a request the client itself refuses (an invalid argument)
  kDenied,            // authentication or authorisation failed
  kFatal,             // the client instance is unusable (idempotence lost, fatal error raised)
  kUnexpected,        // any other code: not retried, reported with its name
};

KafkaError Classify(rd_kafka_resp_err_t err);

// OK for kNone. Otherwise UNAVAILABLE for kRetriable, OUT_OF_RANGE, INVALID_ARGUMENT (too large,
// invalid), PERMISSION_DENIED, and INTERNAL (fatal, unexpected, and end of partition where a
// caller did not expect it). The message names `what` and the librdkafka error.
absl::Status ToStatus(rd_kafka_resp_err_t err, absl::string_view what);

// True when the same request may succeed later unchanged (kRetriable).
bool IsRetriable(rd_kafka_resp_err_t err);

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_KAFKA_ERRORS_H_
