// homeward-web: the workspace for coordinators, duty teams, administrators and auditors, in a
// browser (issue 13). An HTTPS listener that calls the aggregator over gRPC, with mutual TLS, on
// behalf of each signed-in person (docs/architecture.md, "The web workspace").
//
//   homeward-web --hub=127.0.0.1:50151 --tls_dir=run/credentials --assets=web \
//       [--listen=127.0.0.1:50153] [--demo_tokens_dir=run/credentials/tokens]
// --metrics_listen adds plain-HTTP /metrics, /healthz and /readyz for operators
// (docs/operations.md); ready while it listens and can reach the hub.
#include <algorithm>
#include <atomic>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/flags_help.h"
#include "common/grpc/grpc_log.h"
#include "common/logging.h"
#include "common/metrics/metrics_flags.h"
#include "common/security/tls.h"
#include "common/signals.h"
#include "services/web/hub_client.h"
#include "services/web/server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50153", "HTTPS listen address (host:port)");
ABSL_FLAG(std::string, hub, "127.0.0.1:50151", "The aggregator's gRPC address");
ABSL_FLAG(std::string, tls_dir, "run/credentials",
          "Credentials: server.{pem,key} for HTTPS, ca.pem, and clients/<client>.{pem,key} to reach the hub");
ABSL_FLAG(std::string, client, "homeward-web", "The client certificate the workspace reaches the hub with");
ABSL_FLAG(std::string, assets, "web",
          "The workspace's assets: static/ and node_modules/govuk-frontend (installed by deploy/setup.sh)");
ABSL_FLAG(std::string, demo_tokens_dir, "",
          "Development only: sign in as the demo people whose <name>.token files are here");
ABSL_FLAG(int, idle_minutes, 15, "Sign a person out after this many minutes without a request");
ABSL_FLAG(int, threads, 32, "Requests served at once; each open alert queue holds one for its live updates");

int main(int argc, char** argv) {
  using namespace homeward;
  absl::SetProgramUsageMessage(
      "The Homeward web workspace: HTTPS, calling the hub for each signed-in person.\n"
      "  homeward-web --hub=127.0.0.1:50151 --tls_dir=run/credentials --assets=web [--listen=127.0.0.1:50153]");
  ParseCommandLineWithHelp(argc, argv, "services/web/");
  log::Init("web");
  SendGrpcLogsToHomewardLog();
  BlockShutdownSignals();
  const std::string tls_dir = absl::GetFlag(FLAGS_tls_dir);
  auto channel_credentials =
      security::MutualTlsChannelCredentials(security::ClientFiles(tls_dir, absl::GetFlag(FLAGS_client)));
  if (!channel_credentials.ok()) {
    log::Error("refusing to start: {}", channel_credentials.status().ToString());
    return 2;
  }
  const std::string listen = absl::GetFlag(FLAGS_listen);
  const size_t colon = listen.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port)) {
    log::Error("refusing to start: --listen={} is not host:port", listen);
    return 2;
  }
  const std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(absl::GetFlag(FLAGS_hub), *channel_credentials);
  web::HubClient hub(channel);
  metrics::Registry registry;
  std::atomic<bool> serving{false};
  auto endpoint = metrics::StartServiceEndpoint(registry, "homeward-web", [&]() -> metrics::Readiness {
    if (!serving) return {.ready = false, .reason = "not serving (starting or stopping)"};
    const grpc_connectivity_state hub_state = channel->GetState(/*try_to_connect=*/true);
    if (hub_state == GRPC_CHANNEL_TRANSIENT_FAILURE || hub_state == GRPC_CHANNEL_SHUTDOWN) {
      return {.ready = false, .reason = absl::StrCat("cannot reach the hub at ", absl::GetFlag(FLAGS_hub))};
    }
    return {};
  });
  if (!endpoint.ok()) {
    log::Error("refusing to start: metrics: {}", endpoint.status().ToString());
    return 2;
  }
  RealClock clock;
  const std::string assets = absl::GetFlag(FLAGS_assets);
  auto server = web::WebServer::Start({.host = listen.substr(0, colon),
                                       .port = port,
                                       .cert = tls_dir + "/server.pem",
                                       .key = tls_dir + "/server.key",
                                       .static_dir = assets + "/static",
                                       .govuk_dir = assets + "/node_modules/govuk-frontend/dist/govuk",
                                       .demo_tokens_dir = absl::GetFlag(FLAGS_demo_tokens_dir),
                                       .idle_expiry = absl::Minutes(absl::GetFlag(FLAGS_idle_minutes)),
                                       .threads = std::max(4, absl::GetFlag(FLAGS_threads)),
                                       .metrics = &registry},
                                      hub, clock);
  if (!server.ok()) {
    log::Error("refusing to start: {}", server.status().ToString());
    return 2;
  }
  log::Info("web workspace on https://{}:{}/ calling the hub at {}", listen.substr(0, colon), (*server)->port(),
            absl::GetFlag(FLAGS_hub));
  serving = true;
  const int sig = WaitForShutdownSignal();
  log::Info("signal {}: stopping", sig);
  serving = false;
  (*server)->Stop();
  return 0;
}
