// homeward-aggregator: consumes agency events, keeps the multi-agency chronology and serves it
// over gRPC (with the standard health service and server reflection).
//
//   homeward-aggregator --bootstrap_file=run/kafka.bootstrap [--listen=127.0.0.1:50151]
//       [--tls_dir=run/credentials --access=config/access.json]
//
// Mutual TLS and authenticated callers only (docs/security.md); there is no insecure mode.
// --metrics_listen adds plain-HTTP /metrics, /healthz and /readyz for operators
// (docs/operations.md). Stops cleanly on SIGINT/SIGTERM.
#include <atomic>
#include <filesystem>

#include "absl/flags/flag.h"
#include "absl/synchronization/mutex.h"
#include "absl/flags/usage.h"
#include "common/clock.h"
#include "common/kafka/kafka_flags.h"
#include "common/flags_help.h"
#include "common/grpc/grpc_log.h"
#include "common/logging.h"
#include "common/metrics/metrics_flags.h"
#include "common/security/security_flags.h"
#include "common/signals.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/aggregator_metrics.h"
#include "common/file.h"
#include "services/aggregator/alerts/rules_file.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50151", "gRPC listen address (port 0 = any free port)");
ABSL_FLAG(std::string, state, "run/aggregator.db", "The durable store (SQLite); empty = in memory");
ABSL_FLAG(bool, sync_full, false, "SQLite synchronous=FULL (survives power loss, slower)");
ABSL_FLAG(std::string, rules, "config/rules.json", "The risk rules; a bad file is refused at start");
ABSL_FLAG(std::string, access_log, "",
          "The access log (SQLite); default access-log.db beside --state, in memory if --state is empty");
ABSL_FLAG(int, retention_days, 0, "Purge children with no record received for this many days; 0 = never");
ABSL_FLAG(std::string, replica, "aggregator",
          "This replica's name: its access log's id in the anchors and its consumer group (lag monitoring)");
ABSL_FLAG(std::string, webhooks, "", "Webhook subscriptions (JSON list of {id, url, team?, authority?})");
ABSL_FLAG(std::string, report_time_zone, "Europe/London", "Reports count days and months in this time zone");
ABSL_FLAG(int, suppression_threshold, 5, "Reports show counts below this as \"<N\" (small-number suppression)");

int main(int argc, char** argv) {
  using namespace homeward;
  absl::SetProgramUsageMessage("Homeward aggregator: multi-agency chronology over gRPC");
  homeward::ParseCommandLineWithHelp(argc, argv, "services/aggregator/");
  log::Init("aggregator");
  // Abseil's mutex deadlock detection (on in Debian's build of Abseil) updates a lock-order graph
  // on every lock: a debugging aid, which the tests keep on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  SendGrpcLogsToHomewardLog();
  BlockShutdownSignals();  // before any thread starts, so only the waiter sees them

  auto kafka_config = kafka::KafkaConfigFromFlags();
  if (!kafka_config.ok()) {
    log::Error("refusing to start: {}", kafka_config.status().ToString());
    return 2;
  }
  const std::string rules_path = absl::GetFlag(FLAGS_rules);
  absl::StatusOr<std::string> rules_text = ReadWholeFile(rules_path, "rules file");
  absl::StatusOr<aggregator::RuleSet> rules =
      rules_text.ok() ? aggregator::ParseRulesFile(*rules_text) : absl::StatusOr<aggregator::RuleSet>(rules_text.status());
  if (!rules.ok()) {
    log::Error("refusing to start: {}: {}", rules_path, rules.status().ToString());
    return 2;
  }
  std::vector<aggregator::WebhookSubscription> webhooks;
  if (const std::string path = absl::GetFlag(FLAGS_webhooks); !path.empty()) {
    auto loaded = aggregator::LoadWebhooksFile(path);
    if (!loaded.ok()) {
      log::Error("refusing to start: {}", loaded.status().ToString());
      return 2;
    }
    webhooks = *std::move(loaded);
  }
  auto security = security::ServerSecurityFromFlags();
  if (!security.ok()) {
    log::Error("refusing to start: {}", security.status().ToString());
    return 2;
  }
  if (security->integrity_key.empty()) {
    log::Error("refusing to start: no integrity key ({}/integrity.key or --integrity_key; deploy/dev-credentials.sh "
               "makes a development one)",
               security->tls_dir);
    return 2;
  }
  const std::string state = absl::GetFlag(FLAGS_state);
  std::string access_log = absl::GetFlag(FLAGS_access_log);
  if (access_log.empty() && !state.empty()) {
    access_log = (std::filesystem::path(state).parent_path() / "access-log.db").string();
  }
  // Up before the replay of the store, so that a long start answers "not ready: replaying".
  metrics::Registry registry;
  std::atomic<aggregator::Aggregator*> running{nullptr};
  std::atomic<bool> stopping{false};
  auto endpoint = metrics::StartServiceEndpoint(registry, "homeward-aggregator", [&]() -> metrics::Readiness {
    if (stopping) return {.ready = false, .reason = "stopping"};
    return aggregator::AggregatorReadiness(running.load(), registry);
  });
  if (!endpoint.ok()) {
    log::Error("refusing to start: metrics: {}", endpoint.status().ToString());
    return 2;
  }
  RealClock clock;
  auto aggregator = aggregator::Aggregator::Start(
      {.kafka = *kafka_config,
       .store = {.path = state, .synchronous_full = absl::GetFlag(FLAGS_sync_full)},
       .rules = *rules,
       .rules_source = rules_path,
       .rules_text = *rules_text,
       .webhooks = webhooks,
       .listen_address = absl::GetFlag(FLAGS_listen),
       .tls_dir = security->tls_dir,
       .access = security->access,
       .token_key = security->token_key,
       .integrity_key = security->integrity_key,
       .replica_id = absl::GetFlag(FLAGS_replica),
       .access_log_path = access_log,
       .retention = absl::Hours(24) * absl::GetFlag(FLAGS_retention_days),
       .report_time_zone = absl::GetFlag(FLAGS_report_time_zone),
       .suppression_threshold = absl::GetFlag(FLAGS_suppression_threshold),
       .metrics = &registry},
      clock);
  if (!aggregator.ok()) {
    log::Error("cannot start: {}", aggregator.status().ToString());
    return 1;
  }
  running = aggregator->get();
  log::Info("serving gRPC (mutual TLS) on port {} (health: SERVING); consuming {}; access log {}",
            (*aggregator)->port(), kafka_config->bootstrap_servers, access_log.empty() ? "in memory" : access_log);
  const int sig = WaitForShutdownSignal();
  log::Info("signal {}: shutting down", sig);
  stopping = true;
  (*aggregator)->Shutdown();
  const auto stats = (*aggregator)->stats();
  log::Info("stopped after {} events ({} added, {} duplicate, {} dead-lettered)", stats.consumed,
            stats.added, stats.duplicates, stats.dead_lettered);
  running = nullptr;
  return 0;
}
