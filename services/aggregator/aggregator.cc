#include "services/aggregator/aggregator.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/security/tls.h"

namespace homeward::aggregator {

absl::StatusOr<std::unique_ptr<Aggregator>> Aggregator::Start(const AggregatorOptions& options,
                                                              const Clock& clock) {
  std::unique_ptr<Aggregator> a(new Aggregator(clock));
  auto credentials = security::MutualTlsServerCredentials(security::ServerFiles(options.tls_dir));
  if (!credentials.ok()) return credentials.status();
  if (options.token_key.size() < 32) return absl::InvalidArgumentError("a token key of at least 32 bytes is required");
  auto access_log = AccessLog::Open(options.access_log_path, options.store.synchronous_full);
  if (!access_log.ok()) return access_log.status();
  a->access_log_ = *std::move(access_log);
  a->chronology_ = std::make_unique<ChronologyStore>(options.episodes);
  auto store = SqliteEventStore::Open(options.store);
  if (!store.ok()) return store.status();
  a->store_ = *std::move(store);
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
  a->ingestor_ = std::make_unique<EventIngestor>(*a->consumer_, *a->producer_, *a->store_, *a->chronology_, clock,
                                                 options.ingestor);
  a->alerts_ = std::make_unique<AlertCoordinator>(options.rules, *a->chronology_, *a->producer_, clock);
  a->authenticator_ = std::make_unique<security::Authenticator>(options.access, options.token_key, clock);
  a->gate_ = std::make_unique<AccessGate>(*a->authenticator_, *a->access_log_, *a->chronology_,
                                          options.rules.default_authority, clock);
  a->ingestor_->set_sink(a->alerts_.get());
  if (absl::Status s = a->ingestor_->Start(options.startup_timeout); !s.ok()) return s;
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
      (void)agg->gate_->Record(subscriber, access::Action::kReadAlerts, "webhook", alert.child_id,
                               absl::StrCat("alert ", alert.alert_id, " delivered to ", sub.url));
    };
    a->webhooks_ = std::make_unique<WebhookDispatcher>(
        *a->alerts_, options.webhooks, WebhookOptions{.cursor_path = options.store.path, .on_delivered = log_delivery});
    if (absl::Status s = a->webhooks_->Start(); !s.ok()) return s;
  }
  a->retention_ = std::make_unique<Retention>(*a->chronology_, *a->store_, a->alerts_.get());
  a->tick_thread_ = std::thread([agg = a.get(), interval = options.tick_interval, retention = options.retention] {
    absl::Time swept = absl::InfinitePast();
    absl::MutexLock lock(&agg->tick_mu_);
    while (!agg->tick_mu_.AwaitWithTimeout(absl::Condition(&agg->tick_stop_), interval)) {
      agg->tick_mu_.Unlock();
      agg->alerts_->Tick();
      if (retention > absl::ZeroDuration() && agg->clock_.Now() - swept >= absl::Hours(1)) {
        swept = agg->clock_.Now();
        agg->SweepRetention(retention);
      }
      agg->tick_mu_.Lock();
    }
  });
  a->ingest_thread_ = std::thread([ingestor = a->ingestor_.get()] {
    if (absl::Status s = ingestor->Run(); !s.ok()) log::Error("event consumer stopped: {}", s.ToString());
  });

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  a->chronology_service_ = std::make_unique<ChronologyService>(*a->chronology_, *a->gate_, clock, a->alerts_.get());
  a->identity_service_ = std::make_unique<IdentityService>(*a->chronology_, *a->producer_, *a->gate_, clock);
  a->alert_service_ = std::make_unique<AlertService>(*a->alerts_, *a->chronology_, *a->gate_);
  a->audit_service_ = std::make_unique<AuditService>(*a->chronology_, *a->gate_);
  a->retention_service_ = std::make_unique<RetentionService>(*a->retention_, *a->gate_, clock);
  grpc::ServerBuilder builder;
  // gRPC shares ports (SO_REUSEPORT) by default: a second aggregator on the same port would
  // silently take half the calls. Refuse instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(options.listen_address, *credentials, &a->port_);
  builder.RegisterService(a->chronology_service_.get());
  builder.RegisterService(a->identity_service_.get());
  builder.RegisterService(a->alert_service_.get());
  builder.RegisterService(a->audit_service_.get());
  builder.RegisterService(a->retention_service_.get());
  a->server_ = builder.BuildAndStart();
  if (a->server_ == nullptr || a->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen_address));
  }
  a->server_->GetHealthCheckService()->SetServingStatus(true);
  return a;
}

void Aggregator::SweepRetention(absl::Duration keep_for) {
  const security::Caller retention{
      .principal = {.subject = "homeward-retention", .role = access::Role::kAdministrator, .client = "homeward-aggregator"},
      .purpose = absl::StrCat("retention schedule: no record received for ", absl::FormatDuration(keep_for)),
      .lawful_basis = "retention-schedule"};
  for (const std::string& child_id : retention_->Expired(keep_for, clock_.Now())) {
    absl::StatusOr<PurgedChild> purged = retention_->Purge(child_id, "homeward-retention", retention.purpose, clock_.Now());
    (void)gate_->Record(retention, access::Action::kPurge, "retention sweep", child_id,
                        purged.ok() ? absl::StrCat(purged->event_ids.size(), " events purged") : "", purged.status());
    if (!purged.ok()) log::Warn("retention: {} not purged: {}", child_id, purged.status().ToString());
  }
}

void Aggregator::Shutdown() {
  if (stopped_) return;
  stopped_ = true;
  if (server_ != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    server_->Wait();
  }
  webhooks_.reset();
  if (tick_thread_.joinable()) {
    {
      absl::MutexLock lock(&tick_mu_);
      tick_stop_ = true;
    }
    tick_thread_.join();
  }
  if (ingestor_ != nullptr) ingestor_->Stop();
  if (ingest_thread_.joinable()) ingest_thread_.join();
}

Aggregator::~Aggregator() { Shutdown(); }

}  // namespace homeward::aggregator
