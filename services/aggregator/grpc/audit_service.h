// File: audit_service.h
//
// homeward.v1.AuditService (the access log for auditors, and "who has looked at this record"
// for coordinators of the child) and homeward.v1.RetentionService (administrators' purge).
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_AUDIT_SERVICE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_AUDIT_SERVICE_H_

#include "common/clock.h"
#include "homeward/v1/audit_service.grpc.pb.h"
#include "services/aggregator/audit/anchors.h"
#include "services/aggregator/audit/retention.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/grpc/access_gate.h"

namespace homeward::aggregator {

class AuditService final : public v1::AuditService::CallbackService {
 public:
  // All must outlive the service.
  AuditService(const ChronologyStore& store, AccessGate& gate) : store_(store), gate_(gate) {}
  // Where the access log's anchors are gathered for VerifyAccessLog (optional; must outlive).
  void set_anchoring(Anchoring* anchoring) { anchoring_ = anchoring; }

  grpc::ServerUnaryReactor* ListAccess(grpc::CallbackServerContext* context, const v1::ListAccessRequest* request,
                                       v1::ListAccessResponse* response) override;
  grpc::ServerUnaryReactor* VerifyAccessLog(grpc::CallbackServerContext* context,
                                            const v1::VerifyAccessLogRequest* request,
                                            v1::VerifyAccessLogResponse* response) override;

 private:
  const ChronologyStore& store_;
  AccessGate& gate_;
  Anchoring* anchoring_ = nullptr;
};

class RetentionService final : public v1::RetentionService::CallbackService {
 public:
  // All must outlive the service.
  RetentionService(Retention& retention, AccessGate& gate, const Clock& clock)
      : retention_(retention), gate_(gate), clock_(clock) {}

  grpc::ServerUnaryReactor* PurgeChild(grpc::CallbackServerContext* context, const v1::PurgeChildRequest* request,
                                       v1::PurgeChildResponse* response) override;

 private:
  Retention& retention_;
  AccessGate& gate_;
  const Clock& clock_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_AUDIT_SERVICE_H_
