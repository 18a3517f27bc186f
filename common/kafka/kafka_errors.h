// File: kafka_errors.h
//
// The one place that decides what a librdkafka error means for Homeward.
#ifndef HOMEWARD_COMMON_KAFKA_KAFKA_ERRORS_H_
#define HOMEWARD_COMMON_KAFKA_KAFKA_ERRORS_H_

#include <librdkafka/rdkafka.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace homeward::kafka {

// OK for RD_KAFKA_RESP_ERR_NO_ERROR. Otherwise UNAVAILABLE for errors worth retrying (broker
// down, timeouts, leader changes, queue full), and a more specific code for the rest
// (INVALID_ARGUMENT for a message too large, PERMISSION_DENIED for authorisation failures,
// INTERNAL for fatal producer states). The message names `what` and the librdkafka error.
absl::Status ToStatus(rd_kafka_resp_err_t err, absl::string_view what);

// True when the same request may succeed later unchanged.
bool IsRetriable(rd_kafka_resp_err_t err);

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_KAFKA_ERRORS_H_
