// File: metrics_flags.h
//
// The operations listener every long-running Homeward service shares (http_endpoint.h):
//   --metrics_listen=127.0.0.1:50154   /metrics, /healthz and /readyz over plain HTTP; "" = off
// and the metrics every service has: homeward_build_info{program,version}, and the process's
// own (process_start_time_seconds, process_cpu_seconds_total, process_resident_memory_bytes,
// process_open_fds; Prometheus' standard names, read from /proc/self).
#ifndef HOMEWARD_COMMON_METRICS_METRICS_FLAGS_H_
#define HOMEWARD_COMMON_METRICS_METRICS_FLAGS_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/metrics/http_endpoint.h"
#include "common/metrics/registry.h"

namespace homeward::metrics {

struct ServiceEndpoint {
  std::unique_ptr<Collector> process;  // the process metrics' collector
  std::unique_ptr<HttpEndpoint> http;  // null when --metrics_listen is empty
};

// Adds the build and process metrics of `program` to `registry` and, when --metrics_listen is
// set, starts the listener there (logging its address; a warning when it is not loopback).
// Errors as HttpEndpoint::Start. `registry` must outlive the result.
absl::StatusOr<ServiceEndpoint> StartServiceEndpoint(Registry& registry, const std::string& program,
                                                     std::function<Readiness()> readiness);

}  // namespace homeward::metrics

#endif  // HOMEWARD_COMMON_METRICS_METRICS_FLAGS_H_
