// File: http_endpoint.h
//
// A service's operations listener: plain HTTP (cpp-httplib) on an address of its own, apart
// from the service's mutual-TLS port, for Prometheus and an orchestrator's probes, which bring
// no client certificate:
//
//   GET /metrics  200, the registry in the Prometheus text format (version 0.0.4)
//   GET /healthz  200 "ok": the process is alive and answering (liveness)
//   GET /readyz   200 "ready", or 503 "not ready: <why>" (readiness: starting, replaying the
//                 store, ingestion stalled, a gap in the log, stopping)
//
// Nothing here discloses a child's data: metric labels never carry it (metrics.h), and the
// reasons are the hub's own health words. It is unauthenticated, so keep it on loopback (the
// default in deploy/) or behind a firewall that lets only the scraper in; docs/operations.md.
//
// Thread safety: Start/Stop from one thread; the readiness function is called from the
// listener's threads.
#ifndef HOMEWARD_COMMON_METRICS_HTTP_ENDPOINT_H_
#define HOMEWARD_COMMON_METRICS_HTTP_ENDPOINT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/metrics/registry.h"

namespace homeward::metrics {

struct Readiness {
  bool ready = true;
  std::string reason;  // why not, in words, when not ready
};

struct EndpointOptions {
  // "host:port"; port 0 picks a free port (tests). "[::1]:port" for IPv6.
  std::string listen;
  // Served on /metrics; must outlive the endpoint.
  Registry* registry = nullptr;
  // Answers /readyz; null: ready while the endpoint runs.
  std::function<Readiness()> readiness;
};

class HttpEndpoint {
 public:
  // INVALID_ARGUMENT for an address that is not host:port, UNAVAILABLE if it cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpEndpoint>> Start(EndpointOptions options);
  ~HttpEndpoint();  // Stop()
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  int port() const;
  // Stops listening and waits for requests in progress. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit HttpEndpoint(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Splits "host:port" ("[v6]:port" too). INVALID_ARGUMENT if it is not one.
absl::StatusOr<std::pair<std::string, int>> SplitHostPort(const std::string& address);

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopback(const std::string& host);

}  // namespace homeward::metrics

#endif  // HOMEWARD_COMMON_METRICS_HTTP_ENDPOINT_H_
