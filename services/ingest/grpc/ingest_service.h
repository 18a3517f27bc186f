// File: ingest_service.h
//
// homeward.v1.IngestService: agency systems push events; each is checked (size, then
// PushAcceptance: as itself, valid, its registered kind and records, not a return before its
// report), published to the events topic, and answered only after Kafka's delivery report. An
// invalid event is refused with INVALID_ARGUMENT and dead-lettered with its reason; while the
// hub is too far behind to take more without the log dropping records, a call is refused with
// RESOURCE_EXHAUSTED (publish again shortly: nothing was published).
#ifndef HOMEWARD_SERVICES_INGEST_GRPC_INGEST_SERVICE_H_
#define HOMEWARD_SERVICES_INGEST_GRPC_INGEST_SERVICE_H_

#include <atomic>

#include "common/backpressure.h"
#include "common/clock.h"
#include "common/metrics/metrics.h"
#include "common/publisher.h"
#include "homeward/v1/ingest_service.grpc.pb.h"
#include "services/ingest/domain/push_acceptance.h"
#include "services/ingest/grpc/caller_identity.h"

namespace homeward::ingest {

class IngestService final : public v1::IngestService::CallbackService {
 public:
  // All must outlive the service. `backpressure` may be null (no waiting for the hub). Each
  // pushed event's outcome is counted in `metrics`: homeward_ingest_events_total{code}, "OK"
  // once Kafka has it, else the code it was refused or failed with.
  IngestService(MessagePublisher& publisher, const CallerIdentity& identity, const AgencyRegistry& registry,
                const Clock& clock, Backpressure* backpressure = nullptr, metrics::Metrics& metrics = metrics::Discard())
      : publisher_(publisher), identity_(identity), acceptance_(registry), clock_(clock), backpressure_(backpressure),
        metrics_(metrics) {}

  grpc::ServerUnaryReactor* PublishEvent(grpc::CallbackServerContext* context, const v1::PublishEventRequest* request,
                                         v1::PublishEventResponse* response) override;
  grpc::ServerUnaryReactor* PublishEvents(grpc::CallbackServerContext* context,
                                          const v1::PublishEventsRequest* request,
                                          v1::PublishEventsResponse* response) override;

 private:
  // The event as a message to publish, or why it is refused (dead-lettering the invalid).
  absl::StatusOr<OutboundMessage> Admit(const v1::Event& proto, const std::string& agency);

  // RESOURCE_EXHAUSTED while the hub is catching up; counts what was published.
  absl::Status Room(size_t messages, size_t bytes);
  // Counts one pushed event's outcome.
  void Count(const absl::Status& outcome);

  MessagePublisher& publisher_;
  const CallerIdentity& identity_;
  PushAcceptance acceptance_;
  const Clock& clock_;
  Backpressure* backpressure_;
  metrics::Metrics& metrics_;
  std::atomic<int64_t> messages_{0}, bytes_{0};
};

}  // namespace homeward::ingest

#endif  // HOMEWARD_SERVICES_INGEST_GRPC_INGEST_SERVICE_H_
