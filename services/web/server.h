// File: server.h
//
// homeward-web's HTTPS listener (cpp-httplib with OpenSSL): sign-in and sessions (session.h), the
// pages (pages.h) filled from the hub's answers on the signed-in person's behalf (hub_client.h),
// the alert queue's live updates (server-sent events over AlertService.StreamAlerts, resumed
// after a drop by the browser's Last-Event-ID), and the Design System's assets.
//
// What the hub refuses, the workspace refuses: every page asks the hub as the person, and maps
// its answer (403 page for PERMISSION_DENIED, sign-in for UNAUTHENTICATED, 404, 400, 409, 503).
// Around every request: a session cookie (HttpOnly, Secure, SameSite=Strict), a CSRF token on
// every request that changes anything, the purpose and lawful basis asked once per session,
// and headers that keep pages out of caches and frames (a Content-Security-Policy allowing only
// the workspace's own scripts and styles).
#ifndef HOMEWARD_SERVICES_WEB_SERVER_H_
#define HOMEWARD_SERVICES_WEB_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/metrics/metrics.h"
#include "services/web/hub_client.h"

namespace homeward::web {

struct WebOptions {
  std::string host = "127.0.0.1";
  int port = 50153;  // 0 picks a free port (tests)
  // The HTTPS certificate and key (PEM files).
  std::string cert;
  std::string key;
  // web/static (the workspace's CSS, script and icon) and govuk-frontend's dist/govuk.
  std::string static_dir;
  std::string govuk_dir;
  // Development sign-in: a directory of demo people's tokens (<name>.token), listed on the
  // sign-in page. "" in production: people bring their own token (or an identity provider's).
  std::string demo_tokens_dir;
  absl::Duration idle_expiry = absl::Minutes(15);
  int threads = 32;  // each open alert queue holds one (its live updates)
  // Where requests (homeward_web_requests_total{route, code}, homeward_web_request_duration_seconds
  // {route}) and sessions (homeward_web_sessions) are counted; null: nowhere. Must outlive the
  // server. A route is the page's path ("/child/timeline"), "/static" or "/govuk" for assets,
  // "other" for a path that is none of them: never a query, so never a child's id.
  metrics::Metrics* metrics = nullptr;
};

class WebServer {
 public:
  // UNAVAILABLE if the address cannot be bound; NOT_FOUND for a missing certificate, key or
  // asset directory. `hub` and `clock` must outlive the server.
  static absl::StatusOr<std::unique_ptr<WebServer>> Start(const WebOptions& options, HubClient& hub,
                                                          const Clock& clock);
  ~WebServer();  // Stop()
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  int port() const;
  void Stop();

 private:
  struct Impl;
  explicit WebServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace homeward::web

#endif  // HOMEWARD_SERVICES_WEB_SERVER_H_
