// File: ingest_service.h
//
// homeward.v1.IngestService: agency systems push events; each is checked
// (CheckPushedEvent), published to the events topic, and answered only after Kafka's delivery
// report. An invalid event is refused with INVALID_ARGUMENT and dead-lettered with its reason.
#ifndef HOMEWARD_SERVICES_INGEST_GRPC_INGEST_SERVICE_H_
#define HOMEWARD_SERVICES_INGEST_GRPC_INGEST_SERVICE_H_

#include "common/clock.h"
#include "common/publisher.h"
#include "homeward/v1/ingest_service.grpc.pb.h"
#include "services/ingest/grpc/caller_identity.h"

namespace homeward::ingest {

class IngestService final : public v1::IngestService::CallbackService {
 public:
  // All three must outlive the service.
  IngestService(MessagePublisher& publisher, const CallerIdentity& identity, const Clock& clock)
      : publisher_(publisher), identity_(identity), clock_(clock) {}

  grpc::ServerUnaryReactor* PublishEvent(grpc::CallbackServerContext* context, const v1::PublishEventRequest* request,
                                         v1::PublishEventResponse* response) override;
  grpc::ServerUnaryReactor* PublishEvents(grpc::CallbackServerContext* context,
                                          const v1::PublishEventsRequest* request,
                                          v1::PublishEventsResponse* response) override;

 private:
  // The event as a message to publish, or why it is refused (dead-lettering the invalid).
  absl::StatusOr<OutboundMessage> Admit(const v1::Event& proto, const std::string& agency);

  MessagePublisher& publisher_;
  const CallerIdentity& identity_;
  const Clock& clock_;
};

}  // namespace homeward::ingest

#endif  // HOMEWARD_SERVICES_INGEST_GRPC_INGEST_SERVICE_H_
