#include "services/ingest/grpc/ingest_service.h"

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/grpc/status.h"
#include "common/json/json.h"
#include "common/logging.h"
#include "common/topics.h"
#include "services/ingest/domain/push_acceptance.h"

namespace homeward::ingest {

absl::StatusOr<OutboundMessage> IngestService::Admit(const v1::Event& proto, const std::string& agency) {
  absl::StatusOr<Event> event = FromProto(proto);
  absl::Status status = event.ok() ? CheckPushedEvent(*event, agency, clock_.Now()) : event.status();
  if (status.ok()) return EventMessage(*event);
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    // Bad input is kept with its reason, never silently dropped.
    const std::string reason =
        json::ObjectWriter().Set("rejected_by", "ingest").Set("agency_id", agency).Set("reason", status.message()).Dump();
    publisher_.PublishAsync(
        {OutboundMessage{.topic = kafka::kDeadLetterTopic,
                         .key = absl::StrCat(agency, "/", proto.source_record()),
                         .value = proto.SerializeAsString(),
                         .headers = {{"homeward-reason", reason}}}},
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
  response->set_event_id(request->event().event_id());
  publisher_.PublishAsync({*std::move(message)}, [reactor](std::vector<absl::Status> delivered) {
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
  publisher_.PublishAsync(std::move(messages), [reactor, response, positions](std::vector<absl::Status> delivered) {
    for (size_t j = 0; j < delivered.size(); ++j) {
      v1::EventResult* result = response->mutable_results(positions[j]);
      result->set_code(static_cast<int>(delivered[j].code()));
      result->set_message(std::string(delivered[j].message()));
    }
    reactor->Finish(grpc::Status::OK);  // per-event outcomes are in the results
  });
  return reactor;
}

}  // namespace homeward::ingest
