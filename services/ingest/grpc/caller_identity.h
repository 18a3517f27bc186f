// File: caller_identity.h
//
// Which agency is calling. The interface is what the ingest service relies on; how identity is
// established is the transport's business.
//
// MetadataCallerIdentity trusts a "homeward-agency" request header: it is for the embedded
// development stack only, where every caller is on loopback. The issue "Only the right people
// see a child's record" replaces it with the client certificate's identity (mutual TLS).
#ifndef HOMEWARD_SERVICES_INGEST_GRPC_CALLER_IDENTITY_H_
#define HOMEWARD_SERVICES_INGEST_GRPC_CALLER_IDENTITY_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/statusor.h"

namespace homeward::ingest {

class CallerIdentity {
 public:
  virtual ~CallerIdentity() = default;
  // The caller's agency id; UNAUTHENTICATED if the call carries no usable identity.
  virtual absl::StatusOr<std::string> AgencyOf(const grpc::CallbackServerContext& context) const = 0;
};

class MetadataCallerIdentity final : public CallerIdentity {
 public:
  absl::StatusOr<std::string> AgencyOf(const grpc::CallbackServerContext& context) const override {
    const auto& metadata = context.client_metadata();
    const auto it = metadata.find("homeward-agency");
    if (it == metadata.end() || it->second.empty()) {
      return absl::UnauthenticatedError("no caller identity (homeward-agency metadata)");
    }
    return std::string(it->second.data(), it->second.size());
  }
};

}  // namespace homeward::ingest

#endif  // HOMEWARD_SERVICES_INGEST_GRPC_CALLER_IDENTITY_H_
