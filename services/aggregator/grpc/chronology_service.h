// File: chronology_service.h
//
// homeward.v1.ChronologyService over the chronology store: proto in, domain call, proto out.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_CHRONOLOGY_SERVICE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_CHRONOLOGY_SERVICE_H_

#include "homeward/v1/chronology_service.grpc.pb.h"
#include "services/aggregator/domain/chronology_store.h"

namespace homeward::aggregator {

class ChronologyService final : public v1::ChronologyService::CallbackService {
 public:
  // `store` must outlive the service.
  explicit ChronologyService(const ChronologyStore& store) : store_(store) {}

  grpc::ServerUnaryReactor* GetChronology(grpc::CallbackServerContext* context,
                                          const v1::GetChronologyRequest* request,
                                          v1::GetChronologyResponse* response) override;

 private:
  const ChronologyStore& store_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_CHRONOLOGY_SERVICE_H_
