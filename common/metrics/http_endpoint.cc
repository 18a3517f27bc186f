#include "common/metrics/http_endpoint.h"

// Debian's libcpp-httplib is built with OpenSSL: its types must be seen the same way here.
#define CPPHTTPLIB_OPENSSL_SUPPORT
#include <httplib.h>

#include <sys/socket.h>

#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/exclusive_listen.h"

namespace homeward::metrics {

struct HttpEndpoint::Impl {
  EndpointOptions options;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  bool stopped = false;
};

absl::StatusOr<std::pair<std::string, int>> SplitHostPort(const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon == std::string::npos || colon == 0 || !absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("'", address, "' is not host:port"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::make_pair(host, port);
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::StatusOr<std::unique_ptr<HttpEndpoint>> HttpEndpoint::Start(EndpointOptions options) {
  absl::StatusOr<std::pair<std::string, int>> address = SplitHostPort(options.listen);
  if (!address.ok()) return address.status();
  if (options.registry == nullptr) return absl::InvalidArgumentError("no metrics registry");
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  Impl* raw = impl.get();
  httplib::Server& server = impl->server;
  // Scrapes and probes are small and rare: two threads, short timeouts, no keep-alive backlog.
  server.new_task_queue = [] { return new httplib::ThreadPool(2); };
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  server.set_keep_alive_max_count(10);
  server.set_default_headers({{"Cache-Control", "no-store"}, {"X-Content-Type-Options", "nosniff"}});
  server.set_socket_options(ListenExclusively);  // a second process on the port is refused
  server.Get("/metrics", [raw](const httplib::Request&, httplib::Response& res) {
    res.set_content(raw->options.registry->Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain; charset=utf-8");
  });
  server.Get("/readyz", [raw](const httplib::Request&, httplib::Response& res) {
    const Readiness r = raw->options.readiness ? raw->options.readiness() : Readiness{};
    res.status = r.ready ? 200 : 503;
    res.set_content(r.ready ? std::string("ready\n") : absl::StrCat("not ready: ", r.reason, "\n"),
                    "text/plain; charset=utf-8");
  });
  const auto& [host, port] = *address;
  impl->port = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (impl->port <= 0) return absl::UnavailableError(absl::StrCat("cannot listen on ", raw->options.listen));
  impl->thread = std::thread([raw] { raw->server.listen_after_bind(); });
  // Running before Start returns, so that a Stop() straight after cannot miss the listener.
  for (int i = 0; i < 5000 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return std::unique_ptr<HttpEndpoint>(new HttpEndpoint(std::move(impl)));
}

HttpEndpoint::HttpEndpoint(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpEndpoint::~HttpEndpoint() { Stop(); }

int HttpEndpoint::port() const { return impl_->port; }

void HttpEndpoint::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace homeward::metrics
