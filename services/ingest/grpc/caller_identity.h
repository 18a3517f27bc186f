// File: caller_identity.h
//
// Which agency is calling. The interface is what the ingest service relies on; how identity is
// established is the transport's business.
//
// CertificateCallerIdentity: the client certificate's subject must be a publisher in the access
// configuration (config/access.json "systems"), and that entry says which agency it publishes
// as. No certificate, an unknown subject: UNAUTHENTICATED; any other role: PERMISSION_DENIED.
#ifndef HOMEWARD_SERVICES_INGEST_GRPC_CALLER_IDENTITY_H_
#define HOMEWARD_SERVICES_INGEST_GRPC_CALLER_IDENTITY_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/statusor.h"
#include "common/security/authenticator.h"

namespace homeward::ingest {

class CallerIdentity {
 public:
  virtual ~CallerIdentity() = default;
  // The caller's agency id; UNAUTHENTICATED if the call carries no usable identity.
  virtual absl::StatusOr<std::string> AgencyOf(const grpc::CallbackServerContext& context) const = 0;
};

class CertificateCallerIdentity final : public CallerIdentity {
 public:
  // `authenticator` must outlive this object.
  explicit CertificateCallerIdentity(const security::Authenticator& authenticator) : authenticator_(authenticator) {}

  absl::StatusOr<std::string> AgencyOf(const grpc::CallbackServerContext& context) const override {
    absl::StatusOr<security::Caller> caller = authenticator_.Admit(context, access::Action::kPublish);
    if (!caller.ok()) return caller.status();
    return caller->principal.agency;
  }

 private:
  const security::Authenticator& authenticator_;
};

}  // namespace homeward::ingest

#endif  // HOMEWARD_SERVICES_INGEST_GRPC_CALLER_IDENTITY_H_
