// File: identity_service.h
//
// homeward.v1.IdentityService: probable matches for a coordinator, and their decisions, which
// are published to the log so that every replica applies them.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_IDENTITY_SERVICE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_IDENTITY_SERVICE_H_

#include "common/clock.h"
#include "common/publisher.h"
#include "homeward/v1/chronology_service.grpc.pb.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/grpc/access_gate.h"

namespace homeward::aggregator {

class IdentityService final : public v1::IdentityService::CallbackService {
 public:
  // All must outlive the service.
  IdentityService(const ChronologyStore& store, MessagePublisher& publisher, AccessGate& gate, const Clock& clock)
      : store_(store), publisher_(publisher), gate_(gate), clock_(clock) {}

  grpc::ServerUnaryReactor* ListProbableMatches(grpc::CallbackServerContext* context,
                                                const v1::ListProbableMatchesRequest* request,
                                                v1::ListProbableMatchesResponse* response) override;
  grpc::ServerUnaryReactor* DecideMatch(grpc::CallbackServerContext* context, const v1::DecideMatchRequest* request,
                                        v1::DecideMatchResponse* response) override;

 private:
  const ChronologyStore& store_;
  MessagePublisher& publisher_;
  AccessGate& gate_;
  const Clock& clock_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_IDENTITY_SERVICE_H_
