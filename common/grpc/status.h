// File: status.h
//
// absl::Status <-> grpc::Status. The canonical codes share numbering (google.rpc.Code), so the
// conversion keeps the code and the message. And the end of every unary callback handler.
#ifndef HOMEWARD_COMMON_GRPC_STATUS_H_
#define HOMEWARD_COMMON_GRPC_STATUS_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/status.h>

#include <string>

#include "absl/status/status.h"

namespace homeward {

inline grpc::Status ToGrpcStatus(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

inline absl::Status FromGrpcStatus(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

// Finishes a unary callback call with `status`.
inline grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context, const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace homeward

#endif  // HOMEWARD_COMMON_GRPC_STATUS_H_
