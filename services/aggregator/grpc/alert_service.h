// File: alert_service.h
//
// homeward.v1.AlertService for duty teams: list, acknowledge, close, and a server stream that
// resumes from a cursor with no gap and no repeat after a disconnect.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_ALERT_SERVICE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_ALERT_SERVICE_H_

#include "common/metrics/metrics.h"
#include "homeward/v1/alert_service.grpc.pb.h"
#include "services/aggregator/alerts/alert_coordinator.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/grpc/access_gate.h"

namespace homeward::aggregator {

class AlertService final : public v1::AlertService::CallbackService {
 public:
  // `alerts`, `chronology`, `gate` and `metrics` must outlive the service. Streams are counted
  // in `metrics`: homeward_alert_stream_subscribers, and homeward_alert_delivery_seconds
  // {channel="stream"} (from an alert's latest change to its update being sent).
  AlertService(AlertCoordinator& alerts, const ChronologyStore& chronology, AccessGate& gate,
               metrics::Metrics& metrics = metrics::Discard())
      : alerts_(alerts), chronology_(chronology), gate_(gate), metrics_(metrics) {}

  grpc::ServerUnaryReactor* ListAlerts(grpc::CallbackServerContext* context, const v1::ListAlertsRequest* request,
                                       v1::ListAlertsResponse* response) override;
  grpc::ServerWriteReactor<v1::AlertUpdate>* StreamAlerts(grpc::CallbackServerContext* context,
                                                          const v1::StreamAlertsRequest* request) override;
  grpc::ServerUnaryReactor* GetAlertRecords(grpc::CallbackServerContext* context, const v1::AlertRecordsRequest* request,
                                            v1::AlertRecordsResponse* response) override;
  grpc::ServerUnaryReactor* AcknowledgeAlert(grpc::CallbackServerContext* context, const v1::AlertActionRequest* request,
                                             v1::Alert* response) override;
  grpc::ServerUnaryReactor* CloseAlert(grpc::CallbackServerContext* context, const v1::AlertActionRequest* request,
                                       v1::Alert* response) override;

 private:
  grpc::ServerUnaryReactor* Act(grpc::CallbackServerContext* context, const v1::AlertActionRequest* request,
                                TransitionKind kind, v1::Alert* response);

  AlertCoordinator& alerts_;
  const ChronologyStore& chronology_;
  AccessGate& gate_;
  metrics::Metrics& metrics_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_ALERT_SERVICE_H_
