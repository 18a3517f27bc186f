#include "services/ingest/grpc/ingest_service.h"

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/grpc/status.h"
#include "common/dead_letter/dead_letter.h"
#include "common/text.h"
#include "common/logging.h"
#include "common/topics.h"
#include "services/ingest/domain/push_acceptance.h"

namespace homeward::ingest {

absl::StatusOr<OutboundMessage> IngestService::Admit(const v1::Event& proto, const std::string& agency) {
  absl::Status status = CheckEventSize(proto.ByteSizeLong());
  absl::StatusOr<Event> event = status.ok() ? FromProto(proto) : status;
  if (status.ok()) status = event.ok() ? acceptance_.Check(*event, agency, clock_.Now()) : event.status();
  if (status.ok()) return EventMessage(*event);
  Count(status);
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    // Bad input is kept with its reason, never silently dropped (by reference when too large).
    publisher_.PublishAsync(
        {MakeDeadLetter({.rejected_by = "ingest", .agency_id = agency,
                         .key = absl::StrCat(agency, "/", Printable(proto.source_record(), 256))},
                        proto.SerializeAsString(), status)},
        [](std::vector<absl::Status> sent) {
          if (!sent[0].ok()) log::Error("could not dead-letter a pushed event: {}", sent[0].ToString());
        });
  } else {
    log::Warn("refused a pushed event: {}", status.ToString());
  }
  return status;
}

grpc::ServerUnaryReactor* IngestService::PublishEvent(grpc::CallbackServerContext* context,
                                                      const v1::PublishEventRequest* request,
                                                      v1::PublishEventResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<std::string> agency = identity_.AgencyOf(*context);
  if (!agency.ok()) {
    reactor->Finish(ToGrpcStatus(agency.status()));
    return reactor;
  }
  absl::StatusOr<OutboundMessage> message = Admit(request->event(), *agency);
  if (!message.ok()) {
    reactor->Finish(ToGrpcStatus(message.status()));
    return reactor;
  }
  if (absl::Status room = Room(1, message->value.size()); !room.ok()) {
    reactor->Finish(ToGrpcStatus(room));
    return reactor;
  }
  response->set_event_id(request->event().event_id());
  publisher_.PublishAsync({*std::move(message)}, [this, reactor](std::vector<absl::Status> delivered) {
    Count(delivered[0]);
    reactor->Finish(ToGrpcStatus(delivered[0]));
  });
  return reactor;
}

grpc::ServerUnaryReactor* IngestService::PublishEvents(grpc::CallbackServerContext* context,
                                                       const v1::PublishEventsRequest* request,
                                                       v1::PublishEventsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<std::string> agency = identity_.AgencyOf(*context);
  if (!agency.ok()) {
    reactor->Finish(ToGrpcStatus(agency.status()));
    return reactor;
  }
  if (request->events_size() > limits::kMaxEventsPerPush) {
    reactor->Finish(ToGrpcStatus(absl::InvalidArgumentError(
        absl::StrCat(request->events_size(), " events in one request, over the limit of ", limits::kMaxEventsPerPush))));
    return reactor;
  }
  if (backpressure_ != nullptr) {
    if (absl::Status room = backpressure_->Check(); !room.ok()) {  // before anything is dead-lettered
      reactor->Finish(ToGrpcStatus(room));
      return reactor;
    }
  }
  std::vector<OutboundMessage> messages;
  std::vector<int> positions;  // result index of each message
  for (int i = 0; i < request->events_size(); ++i) {
    v1::EventResult* result = response->add_results();
    result->set_event_id(request->events(i).event_id());
    absl::StatusOr<OutboundMessage> message = Admit(request->events(i), *agency);
    if (!message.ok()) {
      result->set_code(static_cast<int>(message.status().code()));
      result->set_message(std::string(message.status().message()));
      continue;
    }
    messages.push_back(*std::move(message));
    positions.push_back(i);
  }
  size_t bytes = 0;
  for (const OutboundMessage& m : messages) bytes += m.value.size();
  if (backpressure_ != nullptr) {  // the check was made before admitting; count what goes
    backpressure_->Published(messages_ += static_cast<int64_t>(messages.size()), bytes_ += static_cast<int64_t>(bytes));
  }
  publisher_.PublishAsync(std::move(messages), [this, reactor, response, positions](std::vector<absl::Status> delivered) {
    for (size_t j = 0; j < delivered.size(); ++j) {
      Count(delivered[j]);
      v1::EventResult* result = response->mutable_results(positions[j]);
      result->set_code(static_cast<int>(delivered[j].code()));
      result->set_message(std::string(delivered[j].message()));
    }
    reactor->Finish(grpc::Status::OK);  // per-event outcomes are in the results
  });
  return reactor;
}

void IngestService::Count(const absl::Status& outcome) {
  metrics_
      .GetCounter("homeward_ingest_events_total",
                  "Events pushed by agency systems, by outcome: OK once Kafka has them, else the status code",
                  {{"code", absl::StatusCodeToString(outcome.code())}})
      .Increment();
}

absl::Status IngestService::Room(size_t messages, size_t bytes) {
  if (backpressure_ == nullptr) return absl::OkStatus();
  absl::Status room = backpressure_->Check();
  if (!room.ok()) return room;
  backpressure_->Published(messages_ += static_cast<int64_t>(messages), bytes_ += static_cast<int64_t>(bytes));
  return absl::OkStatus();
}

}  // namespace homeward::ingest
