#include "services/aggregator/aggregator.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"
#include "common/grpc/metrics_interceptor.h"
#include "common/kafka/lag.h"
#include "common/logging.h"
#include "common/topics.h"
#include "services/aggregator/alerts/rules_file.h"
#include "common/security/tls.h"
#include "common/security/token.h"
#include "services/aggregator/aggregator_metrics.h"

namespace homeward::aggregator {

absl::StatusOr<std::unique_ptr<Aggregator>> Aggregator::Start(const AggregatorOptions& options,
                                                              const Clock& clock) {
  std::unique_ptr<Aggregator> a(new Aggregator(clock));
  metrics::Metrics& counted = options.metrics != nullptr ? *options.metrics : metrics::Discard();
  auto credentials = security::MutualTlsServerCredentials(security::ServerFiles(options.tls_dir));
  if (!credentials.ok()) return credentials.status();
  if (options.token_key.size() < 32) return absl::InvalidArgumentError("a token key of at least 32 bytes is required");
  if (options.integrity_key.size() < 32) {
    return absl::InvalidArgumentError("an integrity key of at least 32 bytes is required (--integrity_key)");
  }
  auto access_log = AccessLog::Open(options.access_log_path, options.store.synchronous_full,
                                    security::DeriveKey(options.integrity_key, "homeward access log v1"),
                                    options.replica_id);
  if (!access_log.ok()) return access_log.status();
  a->access_log_ = *std::move(access_log);
  a->chronology_ = std::make_unique<ChronologyStore>(options.episodes);
  StoreOptions store_options = options.store;
  store_options.integrity_key = security::DeriveKey(options.integrity_key, "homeward event store v1");
  auto store = SqliteEventStore::Open(store_options);
  if (!store.ok()) return store.status();
  a->store_ = *std::move(store);
  // The rules in force are a revision of the rules history; a rule whose meaning changed
  // without a new version is refused here, before anything is evaluated under it.
  a->rules_history_ = std::make_unique<StoredRulesHistory>(*a->store_);
  absl::StatusOr<rules::RulesRevision> revision = AdoptRules(
      *a->rules_history_, options.rules, options.rules_text.empty() ? FormatRulesFile(options.rules) : options.rules_text,
      options.rules_source.empty() ? "(set in code)" : options.rules_source, clock.Now());
  if (!revision.ok()) return revision.status();
  auto purged = a->store_->PurgedIds();
  if (!purged.ok()) return purged.status();
  a->chronology_->MarkPurged(*purged);
  auto consumer = kafka::KafkaConsumer::Create(options.kafka, options.consumer);
  if (!consumer.ok()) return consumer.status();
  a->consumer_ = *std::move(consumer);
  // What the aggregator publishes (alerts, their transitions, dead letters, identity decisions)
  // is rare and waited for: sent at once rather than lingering for company.
  auto producer = kafka::KafkaProducer::Create(options.kafka, {.linger = absl::ZeroDuration()});
  if (!producer.ok()) return producer.status();
  a->producer_ = *std::move(producer);
  a->authenticator_ = std::make_unique<security::Authenticator>(options.access, options.token_key, clock);
  const AgencyRegistry& agencies = a->authenticator_->config().agencies;
  IngestorOptions ingestor_options = options.ingestor;
  ingestor_options.metrics = &counted;
  // The position, for producers' backpressure and lag monitoring (fire and forget: the next one
  // follows within a second or two).
  ingestor_options.publish_position = [producer = a->producer_.get(), replica = options.replica_id](const NextOffsets& next) {
    producer->PublishAsync({OutboundMessage{.topic = kafka::kPositionsTopic,
                                            .key = replica,
                                            .value = kafka::EncodePosition({.reader = replica, .at = absl::Now(), .next = next})}},
                           [](std::vector<absl::Status>) {});
  };
  a->ingestor_ = std::make_unique<EventIngestor>(*a->consumer_, *a->producer_, *a->store_, *a->chronology_, agencies,
                                                 clock, ingestor_options);
  a->alerts_ = std::make_unique<AlertCoordinator>(options.rules, *a->chronology_, *a->producer_, clock, counted);
  a->gate_ = std::make_unique<AccessGate>(*a->authenticator_, *a->access_log_, *a->chronology_,
                                          options.rules.default_authority, clock, counted);
  a->authority_watch_ = std::make_unique<AuthorityWatch>(*a->chronology_, *a->access_log_, agencies,
                                                         options.rules.default_authority, clock);
  a->philomena_watch_ = std::make_unique<PhilomenaWatch>(*a->chronology_, *a->access_log_, *a->producer_, agencies,
                                                         options.rules.default_authority, clock);
  a->ingestor_->add_sink(a->alerts_.get());
  a->ingestor_->add_sink(a->authority_watch_.get());
  a->ingestor_->add_sink(a->philomena_watch_.get());
  if (absl::Status s = a->ingestor_->Start(options.startup_timeout); !s.ok()) return s;
  a->authority_watch_->Prime();
  a->philomena_watch_->Prime();
  // The access log's anchors: beside its file, and on the anchors topic.
  std::vector<AnchorStore*> anchor_stores;
  if (!options.access_log_path.empty()) {
    a->file_anchors_ = std::make_unique<FileAnchors>(options.access_log_path + ".anchors");
    anchor_stores.push_back(a->file_anchors_.get());
  }
  a->kafka_anchors_ = std::make_unique<KafkaAnchors>(*a->producer_, options.kafka);
  anchor_stores.push_back(a->kafka_anchors_.get());
  a->anchoring_ = std::make_unique<Anchoring>(*a->access_log_, std::move(anchor_stores));
  if (absl::StatusOr<std::vector<Anchor>> anchors = a->anchoring_->Gather(); anchors.ok()) {
    absl::StatusOr<ChainCheck> check = a->access_log_->Verify(*anchors);
    if (check.ok() && !check->intact) {
      log::Error("ACCESS LOG NOT INTACT at start ({} break(s)); first: {}", check->breaks.size() + check->more_breaks,
                 check->problem);
    }
  } else {
    log::Warn("access log anchors not read at start: {}", anchors.status().ToString());
  }
  a->alerts_->EvaluateAll();  // timers that fell due while the aggregator was down fire now
  if (!options.webhooks.empty()) {
    // Each delivery discloses a child's alert to the subscriber: on the access log.
    const auto log_delivery = [agg = a.get()](const WebhookSubscription& sub, const Alert& alert) {
      const security::Caller subscriber{
          .principal = {.subject = absl::StrCat("webhook:", sub.id),
                        .role = access::Role::kDutyTeam,
                        .authority = sub.filter.authority,
                        .team = sub.filter.team,
                        .client = sub.url},
          .purpose = "duty team alert delivery (config webhooks)",
          .lawful_basis = "dpa2018-sch1-para18"};
      (void)agg->gate_->Record(subscriber, access::Action::kReadAlerts, "webhook", alert.child_id.value(),
                               absl::StrCat("alert ", alert.alert_id, " delivered to ", sub.url));
    };
    a->webhooks_ = std::make_unique<WebhookDispatcher>(
        *a->alerts_, options.webhooks,
        WebhookOptions{.cursor_path = options.store.path, .on_delivered = log_delivery, .metrics = &counted});
    if (absl::Status s = a->webhooks_->Start(); !s.ok()) return s;
  }
  a->retention_ = std::make_unique<Retention>(*a->chronology_, *a->producer_, a->alerts_.get());
  // The timer, as scheduled callbacks (common/scheduler.h): a test may bring its own scheduler.
  // Each task holds `stopped`, not only the aggregator: once it has shut down (or is gone), a
  // scheduler that outlives it runs tasks that do nothing.
  Scheduler* scheduler = options.scheduler;
  if (scheduler == nullptr) {
    a->own_scheduler_ = std::make_unique<ThreadScheduler>();
    scheduler = a->own_scheduler_.get();
  }
  const auto task = [agg = a.get(), stopped = a->stopped_](std::function<void(Aggregator&)> work) {
    return [agg, stopped, work = std::move(work)] {
      if (!*stopped) work(*agg);
    };
  };
  scheduler->Every("alert-timer", options.tick_interval, task([](Aggregator& agg) { agg.alerts_->Tick(); }));
  scheduler->Every("health", options.tick_interval, task([](Aggregator& agg) { agg.UpdateHealth(); }));
  scheduler->Every("access-log-anchor", options.anchor_every, task([](Aggregator& agg) {
                     (void)agg.anchoring_->AnchorNow();  // errors are logged
                   }));
  if (options.retention > absl::ZeroDuration()) {
    // Hourly by the injected clock, looked at every tick (a test's clock jumps).
    scheduler->Every("retention", options.tick_interval,
                     task([retention = options.retention, swept = absl::InfinitePast()](Aggregator& agg) mutable {
                       if (agg.clock_.Now() - swept < absl::Hours(1)) return;
                       swept = agg.clock_.Now();
                       agg.SweepRetention(retention);
                     }));
  }
  a->ingest_thread_ = std::thread([agg = a.get()] {
    if (absl::Status s = agg->ingestor_->Run(); !s.ok()) {
      agg->consumer_failed_ = true;
      log::Error("event consumer stopped: {}; health NOT_SERVING", s.ToString());
    }
  });

  absl::TimeZone zone;
  if (!absl::LoadTimeZone(options.report_time_zone, &zone)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown time zone '", options.report_time_zone, "' (an IANA name, e.g. Europe/London)"));
  }
  if (options.suppression_threshold < 1) return absl::InvalidArgumentError("the suppression threshold must be at least 1");
  a->history_ = std::make_unique<StoredEventHistory>(*a->store_);
  a->report_engine_ = std::make_unique<reports::ReportEngine>(
      *a->chronology_, *a->history_, *a->alerts_, agencies,
      reports::EngineOptions{.facts = reports::FactOptionsFromRules(options.rules, zone), .episodes = options.episodes});
  a->report_service_ = std::make_unique<ReportService>(
      *a->report_engine_, *a->gate_, clock,
      ReportServiceOptions{.zone = zone,
                           .suppression_threshold = options.suppression_threshold,
                           .home_authority = options.rules.default_authority});
  a->rules_service_ = std::make_unique<RulesService>(
      *a->history_, *a->rules_history_, *a->gate_, clock, a->report_service_->running(),
      RulesServiceOptions{.in_force = options.rules, .revision = revision->revision, .episodes = options.episodes});

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  a->chronology_service_ = std::make_unique<ChronologyService>(*a->chronology_, *a->gate_, clock, a->alerts_.get());
  a->identity_service_ = std::make_unique<IdentityService>(*a->chronology_, *a->producer_, *a->gate_, clock);
  a->alert_service_ = std::make_unique<AlertService>(*a->alerts_, *a->chronology_, *a->gate_, counted);
  a->audit_service_ = std::make_unique<AuditService>(*a->chronology_, *a->gate_);
  a->retention_service_ = std::make_unique<RetentionService>(*a->retention_, *a->gate_, clock);
  a->audit_service_->set_anchoring(a->anchoring_.get());
  a->operations_service_ = std::make_unique<OperationsService>(*a->ingestor_, *a->store_, *a->gate_);
  a->account_service_ = std::make_unique<AccountService>(*a->gate_, options.access.lawful_bases);
  grpc::ServerBuilder builder;
  // gRPC shares ports (SO_REUSEPORT) by default: a second aggregator on the same port would
  // silently take half the calls. Refuse instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(options.listen_address, *credentials, &a->port_);
  if (options.metrics != nullptr) builder.experimental().SetInterceptorCreators(MetricsInterceptors(counted));
  builder.RegisterService(a->chronology_service_.get());
  builder.RegisterService(a->identity_service_.get());
  builder.RegisterService(a->alert_service_.get());
  builder.RegisterService(a->audit_service_.get());
  builder.RegisterService(a->retention_service_.get());
  builder.RegisterService(a->operations_service_.get());
  builder.RegisterService(a->account_service_.get());
  builder.RegisterService(a->report_service_.get());
  builder.RegisterService(a->rules_service_.get());
  a->server_ = builder.BuildAndStart();
  if (a->server_ == nullptr || a->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen_address));
  }
  a->UpdateHealth();
  a->metrics_collector_ = CollectAggregatorMetrics(counted, *a);
  return a;
}

IngestHealth Aggregator::health() const {
  IngestHealth h = ingestor_->health();
  if (consumer_failed_) {
    h.serving = false;
    h.reason = absl::StrCat("the event consumer stopped", h.reason.empty() ? "" : "; ", h.reason);
  }
  return h;
}

void Aggregator::UpdateHealth() {
  if (server_ == nullptr || *stopped_) return;
  const IngestHealth h = health();
  server_->GetHealthCheckService()->SetServingStatus(h.serving);
  if (last_serving_.exchange(h.serving) != h.serving) {
    if (h.serving) {
      log::Info("health: SERVING");
    } else {
      log::Error("health: NOT_SERVING: {}", h.reason);
    }
  }
}

void Aggregator::SweepRetention(absl::Duration keep_for) {
  const security::Caller retention{
      .principal = {.subject = "homeward-retention", .role = access::Role::kAdministrator, .client = "homeward-aggregator"},
      .purpose = absl::StrCat("retention schedule: no record received for ", absl::FormatDuration(keep_for)),
      .lawful_basis = "retention-schedule"};
  for (const ChildId& child_id : retention_->Expired(keep_for, clock_.Now())) {
    absl::StatusOr<PurgedChild> purged =
        retention_->Purge(child_id.value(), "homeward-retention", retention.purpose, clock_.Now());
    (void)gate_->Record(retention, access::Action::kPurge, "retention sweep", child_id.value(),
                        purged.ok() ? absl::StrCat(purged->event_ids.size(), " events purged") : "", purged.status());
    // The child is named on the access log (above), never in the log.
    if (!purged.ok()) log::Warn("retention: a child's records were not purged: {}", purged.status().ToString());
  }
}

void Aggregator::Shutdown() {
  if (*stopped_) return;
  if (anchoring_ != nullptr) (void)anchoring_->AnchorNow();  // the head as it stands at exit
  *stopped_ = true;  // the timer's tasks do nothing from now on
  if (server_ != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    server_->Wait();
  }
  webhooks_.reset();
  if (own_scheduler_ != nullptr) own_scheduler_->Stop();  // a task running ends first
  if (ingestor_ != nullptr) ingestor_->Stop();
  if (ingest_thread_.joinable()) ingest_thread_.join();
}

Aggregator::~Aggregator() { Shutdown(); }

}  // namespace homeward::aggregator
