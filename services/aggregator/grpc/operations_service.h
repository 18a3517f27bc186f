// File: operations_service.h
//
// homeward.v1.OperationsService: the ingestion status (counters, health and why, log gaps) for
// administrators and auditors, and an administrator's acceptance of a gap in the log. Both on
// the access log.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_OPERATIONS_SERVICE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_OPERATIONS_SERVICE_H_

#include "homeward/v1/operations_service.grpc.pb.h"
#include "services/aggregator/grpc/access_gate.h"
#include "services/aggregator/kafka/event_ingestor.h"
#include "services/aggregator/store/event_store.h"

namespace homeward::aggregator {

class OperationsService final : public v1::OperationsService::CallbackService {
 public:
  // All must outlive the service.
  OperationsService(EventIngestor& ingestor, EventStore& store, AccessGate& gate)
      : ingestor_(ingestor), store_(store), gate_(gate) {}

  grpc::ServerUnaryReactor* GetIngestStatus(grpc::CallbackServerContext* context,
                                            const v1::GetIngestStatusRequest* request,
                                            v1::IngestStatus* response) override;
  grpc::ServerUnaryReactor* AcceptLogGap(grpc::CallbackServerContext* context, const v1::AcceptLogGapRequest* request,
                                         v1::AcceptLogGapResponse* response) override;

 private:
  EventIngestor& ingestor_;
  EventStore& store_;
  AccessGate& gate_;
};

// The counters of `stats` by name (IngestStatus.counters).
std::vector<std::pair<std::string, int64_t>> NamedCounters(const IngestStats& stats);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_OPERATIONS_SERVICE_H_
