// File: aggregator.h
//
// The aggregator process, wired: a Kafka consumer feeding the durable event store and the
// chronology, and a gRPC server (ChronologyService, IdentityService, the standard health
// service, server reflection) reading it.
// main.cc and the integration tests both start it through this class.
//
// Thread safety: Start/Shutdown from one thread; accessors from any.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_AGGREGATOR_H_
#define HOMEWARD_SERVICES_AGGREGATOR_AGGREGATOR_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <atomic>
#include <thread>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/scheduler.h"
#include "common/kafka/kafka_config.h"
#include "common/kafka/kafka_consumer.h"
#include "common/kafka/kafka_producer.h"
#include "common/metrics/metrics.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/grpc/chronology_service.h"
#include "common/access/access_config.h"
#include "common/security/authenticator.h"
#include "services/aggregator/alerts/alert_coordinator.h"
#include "services/aggregator/audit/access_log.h"
#include "services/aggregator/audit/retention.h"
#include "services/aggregator/grpc/access_gate.h"
#include "services/aggregator/grpc/account_service.h"
#include "services/aggregator/grpc/audit_service.h"
#include "services/aggregator/grpc/alert_service.h"
#include "services/aggregator/grpc/identity_service.h"
#include "services/aggregator/store/event_store.h"
#include "services/aggregator/webhooks/webhook_dispatcher.h"
#include "services/aggregator/kafka/event_ingestor.h"
#include "services/aggregator/audit/anchors.h"
#include "services/aggregator/audit/authority_watch.h"
#include "services/aggregator/audit/philomena_watch.h"
#include "services/aggregator/grpc/operations_service.h"
#include "services/aggregator/grpc/report_service.h"
#include "services/aggregator/grpc/rules_service.h"
#include "services/aggregator/store/stored_rules_history.h"
#include "services/aggregator/store/stored_event_history.h"
#include "services/aggregator/kafka/kafka_anchors.h"

namespace homeward::aggregator {

struct AggregatorOptions {
  kafka::KafkaConfig kafka;
  // The events/alerts consumer (its fetch wait is the mock cluster's latency floor).
  kafka::ConsumerOptions consumer;
  IngestorOptions ingestor;
  // The durable store (SQLite, WAL); "" keeps it in memory (rebuilt from Kafka at each start).
  StoreOptions store;
  EpisodeOptions episodes;
  // The risk rules (config/rules.json); none configured raises no alerts.
  RuleSet rules;
  // Where they were read from, and the file as read: kept in the rules history (docs/rules.md).
  // Empty text: FormatRulesFile(rules), from "(set in code)".
  std::string rules_source;
  std::string rules_text;
  // How often absence-rule timers and escalations are checked (and health is updated).
  absl::Duration tick_interval = absl::Seconds(1);
  // Runs the timer's tasks (alert-timer, health, access-log-anchor, retention); null: a
  // ThreadScheduler of the aggregator's own. A test's ManualScheduler runs them when it says.
  // Not owned; must outlive the aggregator.
  Scheduler* scheduler = nullptr;
  // Webhook deliveries (positions saved beside the store).
  std::vector<WebhookSubscription> webhooks;
  // gRPC listener; port 0 picks a free port (tests).
  std::string listen_address = "127.0.0.1:50151";
  // Security (issue 6; docs/security.md). There is no insecure mode: the listener is mutual TLS
  // with the files in `tls_dir` (deploy/dev-credentials.sh layout), callers are the systems in
  // `access` or people with tokens signed by `token_key`.
  std::string tls_dir;
  access::AccessConfig access;
  std::string token_key;
  // Seals stored events and the access log (deploy/dev-credentials.sh makes integrity.key);
  // at least 32 bytes. The store and the log each use a key derived from it.
  std::string integrity_key;
  // This replica's name: its access log's id in the anchors, and its consumer group
  // ("homeward-aggregator" for "aggregator") for lag monitoring and producers' backpressure.
  std::string replica_id = "aggregator";
  // The access log's SQLite file; "" keeps it in memory (tests). Its anchors are appended to
  // "<access_log_path>.anchors" (and published to homeward.anchors.v1).
  std::string access_log_path;
  // How often the access log's head is anchored (when it has moved).
  absl::Duration anchor_every = absl::Minutes(1);
  // Children with no record received for this long are purged (logged); zero keeps everything.
  absl::Duration retention = absl::ZeroDuration();
  // How long to wait for the events topic's metadata at start.
  absl::Duration startup_timeout = absl::Seconds(30);
  // Reports (issue 14): days and months are this zone's; counts below the threshold are withheld.
  std::string report_time_zone = "Europe/London";
  int suppression_threshold = reports::kDefaultSuppressionThreshold;
  // Where the aggregator counts what it does (aggregator_metrics.h, docs/operations.md); null:
  // nowhere. Must outlive the aggregator.
  metrics::Metrics* metrics = nullptr;
};

class Aggregator {
 public:
  // UNAVAILABLE if Kafka cannot be reached within the startup timeout or the address cannot be
  // bound. `clock` must outlive the aggregator.
  static absl::StatusOr<std::unique_ptr<Aggregator>> Start(const AggregatorOptions& options,
                                                           const Clock& clock);
  ~Aggregator();  // Shutdown()
  Aggregator(const Aggregator&) = delete;
  Aggregator& operator=(const Aggregator&) = delete;

  // The bound gRPC port.
  int port() const { return port_; }

  // Health NOT_SERVING, then stops the gRPC server (in-flight calls get up to 5 s) and the
  // consumer. Idempotent.
  void Shutdown();

  const ChronologyStore& chronology() const { return *chronology_; }
  IngestStats stats() const { return ingestor_->stats(); }
  IngestHealth health() const;
  EventIngestor& ingestor() { return *ingestor_; }
  AlertCoordinator& alerts() { return *alerts_; }
  AccessLog& access_log() { return *access_log_; }
  Anchoring& anchoring() { return *anchoring_; }
  SqliteEventStore::CheckpointCounts store_checkpoints() { return store_->checkpoints(); }
  // Null when no webhooks are configured.
  const WebhookDispatcher* webhooks() const { return webhooks_.get(); }

 private:
  explicit Aggregator(const Clock& clock) : clock_(clock) {}
  // Purges children past the retention period (a timer task, at most hourly).
  void SweepRetention(absl::Duration keep_for);
  // Sets the gRPC health service from the ingestor's health (a timer task).
  void UpdateHealth();

  const Clock& clock_;
  std::unique_ptr<ChronologyStore> chronology_;
  std::unique_ptr<SqliteEventStore> store_;
  std::unique_ptr<kafka::KafkaConsumer> consumer_;
  std::unique_ptr<kafka::KafkaProducer> producer_;  // dead letters, identity decisions
  std::unique_ptr<EventIngestor> ingestor_;
  std::thread ingest_thread_;
  std::atomic<bool> consumer_failed_{false};
  std::atomic<bool> last_serving_{true};
  std::unique_ptr<security::Authenticator> authenticator_;
  std::unique_ptr<AccessLog> access_log_;
  std::unique_ptr<FileAnchors> file_anchors_;
  std::unique_ptr<KafkaAnchors> kafka_anchors_;
  std::unique_ptr<Anchoring> anchoring_;
  std::unique_ptr<AuthorityWatch> authority_watch_;
  std::unique_ptr<PhilomenaWatch> philomena_watch_;
  std::unique_ptr<OperationsService> operations_service_;
  std::unique_ptr<AccountService> account_service_;
  std::unique_ptr<AccessGate> gate_;
  std::unique_ptr<Retention> retention_;
  std::unique_ptr<AuditService> audit_service_;
  std::unique_ptr<RetentionService> retention_service_;
  std::unique_ptr<ChronologyService> chronology_service_;
  std::unique_ptr<IdentityService> identity_service_;
  std::unique_ptr<AlertCoordinator> alerts_;
  std::unique_ptr<AlertService> alert_service_;
  std::unique_ptr<StoredEventHistory> history_;
  std::unique_ptr<reports::ReportEngine> report_engine_;
  std::unique_ptr<ReportService> report_service_;
  std::unique_ptr<StoredRulesHistory> rules_history_;
  std::unique_ptr<RulesService> rules_service_;
  std::unique_ptr<WebhookDispatcher> webhooks_;
  std::unique_ptr<ThreadScheduler> own_scheduler_;  // null when options.scheduler was given
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  // Set by Shutdown; shared with the timer's tasks, which may outlive the aggregator.
  std::shared_ptr<std::atomic<bool>> stopped_ = std::make_shared<std::atomic<bool>>(false);
  std::unique_ptr<metrics::Collector> metrics_collector_;  // last: it reads the members above
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_AGGREGATOR_H_
