// homeward-ingest: push ingest for agency systems (homeward.v1.IngestService). Each pushed
// event is checked, published to Kafka and answered only after the delivery report.
//
//   homeward-ingest --bootstrap_file=run/kafka.bootstrap [--listen=127.0.0.1:50152]
//       [--tls_dir=run/credentials --access=config/access.json]
//
// Mutual TLS only: an agency system is known by its client certificate, and publishes only as
// the agency config/access.json gives that certificate (services/ingest/grpc/caller_identity.h).
// --metrics_listen adds plain-HTTP /metrics, /healthz and /readyz for operators
// (docs/operations.md).
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <atomic>


#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "common/clock.h"
#include "absl/strings/str_split.h"
#include "common/kafka/kafka_flags.h"
#include "common/kafka/lag_guard.h"
#include "common/kafka/kafka_producer.h"
#include "common/flags_help.h"
#include "common/grpc/grpc_log.h"
#include "common/grpc/metrics_interceptor.h"
#include "common/logging.h"
#include "common/metrics/metrics_flags.h"
#include "common/security/security_flags.h"
#include "common/security/tls.h"
#include "common/signals.h"
#include "services/ingest/grpc/ingest_service.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50152", "gRPC listen address");
ABSL_FLAG(int64_t, max_unread_bytes, 2 * 1024 * 1024,
          "Refuse pushes (RESOURCE_EXHAUSTED, retry) while any events partition holds more than this many bytes the "
          "hub has not read, so the log's retention never drops records (0 = never)");
ABSL_FLAG(std::string, wait_for, "aggregator", "The hub replicas whose position counts (comma-separated)");

int main(int argc, char** argv) {
  using namespace homeward;
  absl::SetProgramUsageMessage("Homeward push ingest for agency systems");
  homeward::ParseCommandLineWithHelp(argc, argv, "services/ingest/");
  log::Init("ingest");
  SendGrpcLogsToHomewardLog();
  BlockShutdownSignals();
  auto kafka_config = kafka::KafkaConfigFromFlags();
  if (!kafka_config.ok()) {
    log::Error("refusing to start: {}", kafka_config.status().ToString());
    return 2;
  }
  auto producer = kafka::KafkaProducer::Create(*kafka_config);
  if (!producer.ok()) {
    log::Error("refusing to start: {}", producer.status().ToString());
    return 2;
  }
  auto security = security::ServerSecurityFromFlags();
  if (!security.ok()) {
    log::Error("refusing to start: {}", security.status().ToString());
    return 2;
  }
  auto credentials = security::MutualTlsServerCredentials(security::ServerFiles(security->tls_dir));
  if (!credentials.ok()) {
    log::Error("refusing to start: {}", credentials.status().ToString());
    return 2;
  }
  RealClock clock;
  const security::Authenticator authenticator(security->access, security->token_key, clock);
  ingest::CertificateCallerIdentity identity(authenticator);
  kafka::LagGuardHandle guard;
  if (absl::GetFlag(FLAGS_max_unread_bytes) > 0) {
    auto started = kafka::KafkaLagGuard::Start(
        *kafka_config, {.budget = {.max_unread_bytes = absl::GetFlag(FLAGS_max_unread_bytes),
                                   .readers = absl::StrSplit(absl::GetFlag(FLAGS_wait_for), ',', absl::SkipEmpty())}});
    if (!started.ok()) {
      log::Error("refusing to start: cannot read the hub's position: {}", started.status().ToString());
      return 2;
    }
    guard = *std::move(started);
  }
  metrics::Registry registry;
  std::atomic<bool> serving{false};
  auto endpoint = metrics::StartServiceEndpoint(registry, "homeward-ingest", [&]() -> metrics::Readiness {
    return {.ready = serving.load(), .reason = "not serving (starting or stopping)"};
  });
  if (!endpoint.ok()) {
    log::Error("refusing to start: metrics: {}", endpoint.status().ToString());
    return 2;
  }
  ingest::IngestService service(**producer, identity, security->access.agencies, clock, guard.get(), registry);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);  // a busy port is an error, not shared
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), *credentials, &port);
  builder.RegisterService(&service);
  builder.experimental().SetInterceptorCreators(MetricsInterceptors(registry));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    log::Error("cannot listen on {}", absl::GetFlag(FLAGS_listen));
    return 1;
  }
  server->GetHealthCheckService()->SetServingStatus(true);
  serving = true;
  log::Info("push ingest (mutual TLS) on port {}; publishing to {}", port, kafka_config->bootstrap_servers);
  WaitForShutdownSignal();
  serving = false;
  server->GetHealthCheckService()->SetServingStatus(false);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server->Wait();
  log::Info("stopped");
  return 0;
}
