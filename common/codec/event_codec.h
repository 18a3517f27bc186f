// File: event_codec.h
//
// Converts between the wire contract (homeward.v1.Event) and the domain Event. The only code
// that knows both; everything on either side sees just one.
#ifndef HOMEWARD_COMMON_CODEC_EVENT_CODEC_H_
#define HOMEWARD_COMMON_CODEC_EVENT_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/domain/event.h"
#include "common/domain/limits.h"
#include "common/publisher.h"
#include "homeward/v1/event.pb.h"

namespace homeward {

// absl::Time <-> google.protobuf.Timestamp (nanosecond precision, negative times normalised).
google::protobuf::Timestamp ToProtoTime(absl::Time t);
absl::Time FromProtoTime(const google::protobuf::Timestamp& ts);

v1::Event ToProto(const Event& event);

// INVALID_ARGUMENT when the message has no payload or an enum value this version does not know
// (a newer producer): such an event goes to the dead-letter topic, not into the chronology.
absl::StatusOr<Event> FromProto(const v1::Event& proto);

// Serialized bytes (a Kafka message value) to a domain Event. INVALID_ARGUMENT for bytes that
// do not parse as homeward.v1.Event, and as FromProto.
absl::StatusOr<Event> DecodeEvent(absl::string_view bytes);
std::string EncodeEvent(const Event& event);

// OK if an encoded event of `bytes` is within limits::kMaxEventBytes; INVALID_ARGUMENT naming
// both otherwise. Every entry checks it: the importer per record, push ingest per event, and the
// aggregator per message it consumes (before decoding).
absl::Status CheckEventSize(size_t bytes);

// The Kafka message that carries `event` on the events topic: keyed by
// "<agency_id>/<source_record>" (all revisions of a record stay ordered on one partition), with
// the event id in header "homeward-event-id".
OutboundMessage EventMessage(const Event& event);

}  // namespace homeward

#endif  // HOMEWARD_COMMON_CODEC_EVENT_CODEC_H_
