// File: alert_codec.h
//
// Domain alerts <-> homeward.v1 alert messages, and alert records as Kafka messages.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_ALERTS_ALERT_CODEC_H_
#define HOMEWARD_SERVICES_AGGREGATOR_ALERTS_ALERT_CODEC_H_

#include <variant>

#include "absl/status/statusor.h"
#include "common/publisher.h"
#include "homeward/v1/alert_service.pb.h"
#include "services/aggregator/domain/alerts.h"

namespace homeward::aggregator {

using AlertRecord = std::variant<Alert, AlertTransition>;

v1::Alert ToProto(const Alert& alert);
// The record as a message on homeward.alerts.v1, keyed by alert id.
OutboundMessage AlertRecordMessage(const AlertRecord& record);
// INVALID_ARGUMENT for bytes that are not an AlertRecord with a known kind.
absl::StatusOr<AlertRecord> DecodeAlertRecord(absl::string_view bytes);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_ALERTS_ALERT_CODEC_H_
