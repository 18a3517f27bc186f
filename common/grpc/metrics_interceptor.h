// File: metrics_interceptor.h
//
// Request metrics for every RPC a gRPC server answers, by a server interceptor, so no handler
// has to remember them (docs/operations.md):
//   homeward_rpc_requests_total{method, code}  calls answered, by method and status code
//   homeward_rpc_duration_seconds{method}      time from the call's arrival to its status, for
//                                              unary calls (a stream lasts as long as its
//                                              subscriber stays)
// `method` is gRPC's full name ("/homeward.v1.ChronologyService/GetChronology"); `code` the
// status code's name ("OK", "PERMISSION_DENIED"). Nothing of the request is looked at.
//
//   builder.experimental().SetInterceptorCreators(MetricsInterceptors(metrics));
#ifndef HOMEWARD_COMMON_GRPC_METRICS_INTERCEPTOR_H_
#define HOMEWARD_COMMON_GRPC_METRICS_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <vector>

#include "common/metrics/metrics.h"

namespace homeward {

// The interceptor factories to give a ServerBuilder. `metrics` must outlive the server.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> MetricsInterceptors(
    metrics::Metrics& metrics);

// "OK", "CANCELLED", ... "UNAUTHENTICATED" (as absl::StatusCodeToString).
const char* GrpcCodeName(grpc::StatusCode code);

}  // namespace homeward

#endif  // HOMEWARD_COMMON_GRPC_METRICS_INTERCEPTOR_H_
