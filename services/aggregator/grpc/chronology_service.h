// File: chronology_service.h
//
// homeward.v1.ChronologyService over the chronology store: proto in, domain call, proto out.
// Coordinators only, for children in their authority; each read is on the access log with
// what it disclosed and which fields the caller's role did not see (AccessGate). The Philomena
// profile has its own read and rule (GetPhilomenaProfile, domain/philomena.h).
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_CHRONOLOGY_SERVICE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_CHRONOLOGY_SERVICE_H_

#include <optional>

#include "common/clock.h"
#include "homeward/v1/chronology_service.grpc.pb.h"
#include "services/aggregator/alerts/alert_coordinator.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/grpc/access_gate.h"
#include "services/aggregator/grpc/chronology_reply.h"

namespace homeward::aggregator {

// The Philomena profile a release notification (`alert`, rule philomena-release) releases, if
// `reader` works for the force it is released to and the release is open now; nullopt
// otherwise. Logs nothing: the caller logs the disclosure before making it. In philomena_read.cc.
std::optional<ChronologyEntry> ReleasedPhilomenaProfile(const ChronologyStore& store, const AccessGate& gate,
                                                        const access::Principal& reader, const Alert& alert);

// GetChronology is a raw method: its reply is assembled from each entry's encoded form
// (chronology_reply.h); its request and reply are the usual messages on the wire.
class ChronologyService final
    : public v1::ChronologyService::WithRawCallbackMethod_GetChronology<v1::ChronologyService::CallbackService> {
 public:
  // `store`, `gate` and `clock` must outlive the service.
  // `alerts` may be null (no open alerts are then shown in profiles).
  ChronologyService(const ChronologyStore& store, AccessGate& gate, const Clock& clock,
                    const AlertCoordinator* alerts = nullptr)
      : store_(store), gate_(gate), clock_(clock), alerts_(alerts) {}

  grpc::ServerUnaryReactor* GetChronology(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* reply) override;
  grpc::ServerUnaryReactor* GetEpisodes(grpc::CallbackServerContext* context, const v1::GetEpisodesRequest* request,
                                        v1::GetEpisodesResponse* response) override;
  grpc::ServerUnaryReactor* GetChildProfile(grpc::CallbackServerContext* context,
                                            const v1::GetChildProfileRequest* request,
                                            v1::ChildProfile* response) override;
  // In philomena_read.cc.
  grpc::ServerUnaryReactor* GetPhilomenaProfile(grpc::CallbackServerContext* context,
                                                const v1::GetPhilomenaProfileRequest* request,
                                                v1::GetPhilomenaProfileResponse* response) override;
  grpc::ServerUnaryReactor* SearchChildren(grpc::CallbackServerContext* context, const v1::SearchChildrenRequest* request,
                                           v1::SearchChildrenResponse* response) override;

 private:
  const ChronologyStore& store_;
  AccessGate& gate_;
  const Clock& clock_;
  const AlertCoordinator* alerts_;
  EntryWireCache entry_cache_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_CHRONOLOGY_SERVICE_H_
