// homeward-aggregator: consumes agency events, keeps the multi-agency chronology and serves it
// over gRPC (with the standard health service and server reflection).
//
//   homeward-aggregator --bootstrap_file=run/kafka.bootstrap [--listen=127.0.0.1:50151]
//
// Stops cleanly on SIGINT/SIGTERM.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/clock.h"
#include "common/kafka/kafka_flags.h"
#include "common/logging.h"
#include "common/signals.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/alerts/rules_file.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50151", "gRPC listen address (port 0 = any free port)");
ABSL_FLAG(std::string, state, "run/aggregator.db", "The durable store (SQLite); empty = in memory");
ABSL_FLAG(bool, sync_full, false, "SQLite synchronous=FULL (survives power loss, slower)");
ABSL_FLAG(std::string, rules, "config/rules.json", "The risk rules; a bad file is refused at start");
ABSL_FLAG(std::string, webhooks, "", "Webhook subscriptions (JSON list of {id, url, team?, authority?})");

int main(int argc, char** argv) {
  using namespace homeward;
  absl::SetProgramUsageMessage("Homeward aggregator: multi-agency chronology over gRPC");
  absl::ParseCommandLine(argc, argv);
  log::Init("aggregator");
  BlockShutdownSignals();  // before any thread starts, so only the waiter sees them

  auto kafka_config = kafka::KafkaConfigFromFlags();
  if (!kafka_config.ok()) {
    std::cerr << kafka_config.status() << "\n";
    return 2;
  }
  auto rules = aggregator::LoadRulesFile(absl::GetFlag(FLAGS_rules));
  if (!rules.ok()) {
    log::Error("refusing to start: {}", rules.status().ToString());
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
  RealClock clock;
  auto aggregator = aggregator::Aggregator::Start(
      {.kafka = *kafka_config,
       .store = {.path = absl::GetFlag(FLAGS_state), .synchronous_full = absl::GetFlag(FLAGS_sync_full)},
       .rules = *rules,
       .webhooks = webhooks,
       .listen_address = absl::GetFlag(FLAGS_listen)},
      clock);
  if (!aggregator.ok()) {
    log::Error("cannot start: {}", aggregator.status().ToString());
    return 1;
  }
  log::Info("serving gRPC on port {} (health: SERVING); consuming {}", (*aggregator)->port(),
            kafka_config->bootstrap_servers);
  const int sig = WaitForShutdownSignal();
  log::Info("signal {}: shutting down", sig);
  (*aggregator)->Shutdown();
  const auto stats = (*aggregator)->stats();
  log::Info("stopped after {} events ({} added, {} duplicate, {} dead-lettered)", stats.consumed,
            stats.added, stats.duplicates, stats.dead_lettered);
  return 0;
}
