#include "services/aggregator/grpc/alert_service.h"

#include <algorithm>
#include <atomic>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/strings/str_cat.h"
#include "common/domain/limits.h"
#include "absl/strings/str_join.h"
#include "common/grpc/status.h"
#include "services/aggregator/audit/philomena_watch.h"
#include "services/aggregator/grpc/chronology_service.h"
#include "services/aggregator/grpc/conversions.h"
#include "services/aggregator/grpc/reply_limit.h"

namespace homeward::aggregator {
namespace {

// One subscriber's stream: writes the feed after its cursor one update at a time (a write
// reactor allows one write in flight), and wakes when the feed grows. Asked for provisional
// updates, it first writes each alert this replica has raised and the topic does not hold yet,
// once, then the feed as before (the alert's confirmed update among it).
class AlertStream final : public grpc::ServerWriteReactor<v1::AlertUpdate> {
 public:
  AlertStream(AlertCoordinator& alerts, const ChronologyStore& chronology, AccessGate& gate, security::Caller caller,
              AlertFilter filter, FeedCursor cursor, bool provisional, metrics::Metrics& metrics)
      : alerts_(alerts), chronology_(chronology), gate_(gate), caller_(std::move(caller)), filter_(std::move(filter)),
        provisional_(provisional),
        subscribers_(metrics.GetGauge("homeward_alert_stream_subscribers", "Open AlertService.StreamAlerts streams")),
        delivery_(metrics.GetHistogram("homeward_alert_delivery_seconds",
                                       "From an alert's latest change to its update being sent, by channel",
                                       metrics::DelayBuckets(), {{"channel", "stream"}})),
        provisional_delivery_(metrics.GetHistogram("homeward_alert_delivery_seconds",
                                                   "From an alert's latest change to its update being sent, by channel",
                                                   metrics::DelayBuckets(), {{"channel", "stream-provisional"}})),
        cursor_(std::move(cursor)) {
    // Writes may start only once gRPC has bound this reactor (after the handler returns); the
    // first reaction proves it, so the feed subscription waits for it.
    StartSendInitialMetadata();
  }

  void OnSendInitialMetadataDone(bool ok) override {
    if (!ok) {
      absl::MutexLock lock(&mu_);
      Stop(grpc::Status::OK);
      return;
    }
    listener_ = alerts_.Subscribe([this] { WriteNext(); });
    subscribed_ = true;
    subscribers_.Add(1);
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {
        Stop(grpc::Status::OK);
        return;
      }
    }
    WriteNext();
  }
  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    Stop(grpc::Status::CANCELLED);
  }
  void OnDone() override {
    if (subscribed_) {
      alerts_.Unsubscribe(listener_);
      subscribers_.Add(-1);
    }
    delete this;
  }

 private:
  // The next update to write: a provisional alert not yet sent on this stream, else the feed.
  std::vector<AlertUpdate> Next() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    while (provisional_) {
      std::vector<AlertUpdate> next = alerts_.ProvisionalAfter(provisional_after_, filter_, 1);
      if (next.empty()) break;
      // Raised again after the topic refused it: this stream has shown it already.
      if (provisional_sent_.insert(next[0].alert.alert_id).second) return next;
    }
    std::vector<AlertUpdate> next = alerts_.FeedAfter(cursor_, filter_, 1, scan_from_);
    if (!next.empty()) provisional_sent_.erase(next[0].alert.alert_id);
    return next;
  }

  void WriteNext() {
    absl::MutexLock lock(&mu_);
    if (writing_ || finished_) return;
    const std::vector<AlertUpdate> next = Next();
    if (next.empty()) return;  // wait for the feed to grow
    // Each alert delivered is a disclosure about a child: on the access log before it is sent.
    if (absl::Status logged = gate_.Record(caller_, access::Action::kReadAlerts, "StreamAlerts", next[0].alert.child_id.value(),
                                           absl::StrCat("alert ", next[0].alert.alert_id, " (",
                                                        ToString(next[0].alert.state),
                                                        next[0].provisional ? ", provisional" : "", ")"));
        !logged.ok()) {
      Stop(ToGrpcStatus(logged));
      return;
    }
    update_.Clear();
    if (next[0].provisional) {
      // Not in the log yet: the stream's position stays where it was, and a Philomena profile
      // comes with the confirmed update only.
      *update_.mutable_alert() = ToProto(next[0].alert);
      update_.set_cursor(FormatCursor(cursor_));
      update_.set_provisional(true);
      writing_ = true;
      provisional_delivery_.Observe(absl::ToDoubleSeconds(absl::Now() - LastChange(next[0].alert)));
      StartWrite(&update_);
      return;
    }
    if (next[0].alert.rule_id == kPhilomenaReleaseRule) {
      // The force it is released to gets the profile with the notification: a read of it, so
      // on the access log as one before it is sent.
      if (std::optional<ChronologyEntry> profile =
              ReleasedPhilomenaProfile(chronology_, gate_, caller_.principal, next[0].alert)) {
        if (absl::Status logged = gate_.Record(
                caller_, access::Action::kReadPhilomenaProfile, "StreamAlerts", next[0].alert.child_id.value(),
                absl::StrCat("Philomena profile ", profile->event.event_id, " disclosed with release ",
                             next[0].alert.alert_id));
            !logged.ok()) {
          Stop(ToGrpcStatus(logged));
          return;
        }
        ToProto(*profile, update_.mutable_philomena_profile());
      }
    }
    *update_.mutable_alert() = ToProto(next[0].alert);
    update_.set_cursor(next[0].cursor);
    cursor_ = next[0].position;
    writing_ = true;
    delivery_.Observe(absl::ToDoubleSeconds(absl::Now() - LastChange(next[0].alert)));
    StartWrite(&update_);
  }
  void Stop(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  AlertCoordinator& alerts_;
  const ChronologyStore& chronology_;
  AccessGate& gate_;
  const security::Caller caller_;
  const AlertFilter filter_;
  const bool provisional_;  // the subscriber asked for provisional updates
  metrics::Gauge& subscribers_;
  metrics::Histogram& delivery_;
  metrics::Histogram& provisional_delivery_;
  int listener_ = 0;
  std::atomic<bool> subscribed_{false};
  absl::Mutex mu_;
  FeedCursor cursor_ ABSL_GUARDED_BY(mu_);
  size_t scan_from_ ABSL_GUARDED_BY(mu_) = 0;  // where the next look at the feed starts
  uint64_t provisional_after_ ABSL_GUARDED_BY(mu_) = 0;  // the last provisional alert looked at
  // Alerts sent provisionally whose confirmed update has not been sent yet.
  absl::flat_hash_set<std::string> provisional_sent_ ABSL_GUARDED_BY(mu_);
  v1::AlertUpdate update_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

// A stream that refuses at once (bad cursor).
class RefusedStream final : public grpc::ServerWriteReactor<v1::AlertUpdate> {
 public:
  explicit RefusedStream(const absl::Status& status) { Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

// Narrows the filter to what the caller may see: a duty team its own team's alerts, a
// coordinator their authority's. Asking for another team or authority is refused.
template <typename Filter>
absl::Status Scope(const access::Principal& p, Filter& filter) {
  const auto narrow = [&](std::string& field, const std::string& own, absl::string_view what) {
    if (own.empty()) return absl::OkStatus();
    if (!field.empty() && field != own) {
      return absl::PermissionDeniedError(absl::StrCat(p.subject, " may see alerts for ", what, " ", own, " only"));
    }
    field = own;
    return absl::OkStatus();
  };
  if (p.role == access::Role::kDutyTeam) {
    if (absl::Status s = narrow(filter.team, p.team, "team"); !s.ok()) return s;
    return narrow(filter.authority, p.authority, "authority");
  }
  if (p.role == access::Role::kCoordinator) return narrow(filter.authority, p.authority, "authority");
  return absl::PermissionDeniedError("alerts are for duty teams and coordinators");
}

}  // namespace

grpc::ServerUnaryReactor* AlertService::ListAlerts(grpc::CallbackServerContext* context,
                                                   const v1::ListAlertsRequest* request,
                                                   v1::ListAlertsResponse* response) {
  constexpr char kMethod[] = "ListAlerts";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, access::Action::kReadAlerts, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  AlertQuery query{.team = request->team(),
                   .authority = request->authority(),
                   .rule_ids = {request->rule_ids().begin(), request->rule_ids().end()},
                   .severities = {request->severities().begin(), request->severities().end()},
                   .page_size = request->page_size(),
                   .page_token = request->page_token()};
  if (absl::Status s = Scope(caller->principal, query); !s.ok()) {
    (void)gate_.Record(*caller, access::Action::kReadAlerts, kMethod, "", "", s);
    return FinishUnary(context, s);
  }
  for (int state : request->states()) {
    if (state < v1::ALERT_STATE_RAISED || state > v1::ALERT_STATE_WITHDRAWN) {
      return gate_.Answer(context, response, *caller, access::Action::kReadAlerts, kMethod, "", "",
                          absl::InvalidArgumentError(absl::StrCat("states: unknown state ", state)));
    }
    if (request->open_only() && state >= v1::ALERT_STATE_CLOSED) continue;
    query.states.push_back(static_cast<AlertState>(state));
  }
  if (request->open_only() && request->states().empty()) {
    query.states = {AlertState::kRaised, AlertState::kAcknowledged, AlertState::kActioned};
  } else if (request->open_only() && query.states.empty()) {
    query.states = {AlertState{}};  // open, and only finished states asked for: nothing matches
  }
  std::string child_id;
  if (!request->child().empty()) {
    // The child's alerts under any of its ids: those raised before its records were linked too.
    absl::StatusOr<std::vector<std::string>> ids = chronology_.IdentifiersOf(request->child());
    if (!ids.ok() && !absl::IsNotFound(ids.status())) {
      return gate_.Answer(context, response, *caller, access::Action::kReadAlerts, kMethod, "", "", ids.status());
    }
    query.child_ids = ids.ok() ? *ids : std::vector<std::string>{request->child()};  // unknown child: no alerts
    child_id = query.child_ids.front();
  }
  absl::StatusOr<AlertListing> listing = alerts_.List(query);
  std::vector<std::string> ids;
  if (listing.ok()) {
    for (const Alert& a : listing->alerts) *response->add_alerts() = ToProto(a);
    // Never a reply over the limit: the page ends early and the token goes on from there.
    if (const int kept = KeepWithin(response->alerts(), response->ByteSizeLong()); kept < response->alerts_size()) {
      response->mutable_alerts()->DeleteSubrange(kept, response->alerts_size() - kept);
      listing->next_page_token = AlertPageToken(listing->alerts[kept - 1]);
    }
    for (const v1::Alert& a : response->alerts()) ids.push_back(a.alert_id());
    response->set_total(listing->total);
    response->set_before(listing->before);
    response->set_next_page_token(listing->next_page_token);
    response->set_feed_cursor(listing->feed_cursor);
  }
  return gate_.Answer(context, response, *caller, access::Action::kReadAlerts, kMethod, child_id,
                      absl::StrCat(ids.size(), " of ", response->total(), " alerts: ", absl::StrJoin(ids, ", ")),
                      listing.status());
}

grpc::ServerWriteReactor<v1::AlertUpdate>* AlertService::StreamAlerts(grpc::CallbackServerContext* context,
                                                                      const v1::StreamAlertsRequest* request) {
  constexpr char kMethod[] = "StreamAlerts";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, access::Action::kReadAlerts, kMethod);
  if (!caller.ok()) return new RefusedStream(caller.status());
  AlertFilter filter{.team = request->team(), .authority = request->authority()};
  if (absl::Status s = Scope(caller->principal, filter); !s.ok()) {
    (void)gate_.Record(*caller, access::Action::kReadAlerts, kMethod, "", "", s);
    return new RefusedStream(s);
  }
  absl::StatusOr<FeedCursor> cursor = ParseCursor(request->cursor());
  if (!cursor.ok()) return new RefusedStream(cursor.status());
  return new AlertStream(alerts_, chronology_, gate_, *std::move(caller), std::move(filter), *std::move(cursor),
                         request->provisional(), metrics_);
}

grpc::ServerUnaryReactor* AlertService::GetAlertRecords(grpc::CallbackServerContext* context,
                                                        const v1::AlertRecordsRequest* request,
                                                        v1::AlertRecordsResponse* response) {
  constexpr char kMethod[] = "GetAlertRecords";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, access::Action::kReadAlerts, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  const std::optional<Alert> alert = alerts_.Find(request->alert_id());
  AlertFilter scope;
  absl::Status allowed = Scope(caller->principal, scope);
  if (allowed.ok() && !alert.has_value()) {
    allowed = absl::NotFoundError(absl::StrCat("no alert ", request->alert_id()));
  } else if (allowed.ok() && !AlertCoordinator::Matches(*alert, scope)) {
    // The same answer as for an alert that does not exist: no existence oracle.
    allowed = absl::NotFoundError(absl::StrCat("no alert ", request->alert_id()));
  }
  if (!allowed.ok()) {
    return gate_.Answer(context, response, *caller, access::Action::kReadAlerts, kMethod, "",
                        absl::StrCat("records of alert ", request->alert_id()), allowed);
  }
  *response->mutable_alert() = ToProto(*alert);
  for (const ChronologyEntry& e : chronology_.EntriesById(alert->cause_event_ids)) ToProto(e, response->add_entries());
  const std::set<std::string> withheld =
      MaskEntries(gate_.MasksFor(caller->principal), caller->principal, *response->mutable_entries());
  if (const int kept = KeepWithin(response->entries(), response->ByteSizeLong()); kept < response->entries_size()) {
    response->mutable_entries()->DeleteSubrange(kept, response->entries_size() - kept);
  }
  return gate_.Answer(context, response, *caller, access::Action::kReadAlerts, kMethod, alert->child_id.value(),
                      absl::StrCat(response->entries_size(), " records that caused alert ", alert->alert_id,
                                   withheld.empty() ? "" : "; withheld: ", absl::StrJoin(withheld, ", ")),
                      absl::OkStatus());
}

grpc::ServerUnaryReactor* AlertService::Act(grpc::CallbackServerContext* context, const v1::AlertActionRequest* request,
                                            TransitionKind kind, v1::Alert* response) {
  const char* method = kind == TransitionKind::kClose ? "CloseAlert" : "AcknowledgeAlert";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, access::Action::kActOnAlert, method);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  const std::optional<Alert> current = alerts_.Find(request->alert_id());
  AlertFilter scope;
  absl::Status allowed = Scope(caller->principal, scope);
  if (allowed.ok() && current.has_value() && !AlertCoordinator::Matches(*current, scope)) {
    allowed = absl::PermissionDeniedError(
        absl::StrCat(caller->principal.subject, " may not act on an alert of another team or authority"));
  }
  // A duty worker's note travels on the alerts topic and into the access log: bounded text.
  if (allowed.ok() && request->note().size() > limits::kMaxShortTextBytes) {
    allowed = absl::InvalidArgumentError(absl::StrCat("note: ", request->note().size(), " bytes, over the limit of ",
                                                      limits::kMaxShortTextBytes));
  }
  if (!allowed.ok()) {
    (void)gate_.Record(*caller, access::Action::kActOnAlert, method, current ? current->child_id.value() : "",
                       absl::StrCat("alert ", request->alert_id()), allowed);
    return FinishUnary(context, allowed);
  }
  // Who acted is the authenticated caller, never what the request says.
  absl::StatusOr<Alert> alert = alerts_.Act(request->alert_id(), kind, caller->principal.subject, request->note());
  if (alert.ok()) *response = ToProto(*alert);
  return gate_.Answer(context, response, *caller, access::Action::kActOnAlert, method,
                      current ? current->child_id.value() : "",
                      absl::StrCat("alert ", request->alert_id(), request->note().empty() ? "" : "; note: ",
                                   request->note()),
                      alert.status());
}

grpc::ServerUnaryReactor* AlertService::AcknowledgeAlert(grpc::CallbackServerContext* context,
                                                         const v1::AlertActionRequest* request, v1::Alert* response) {
  return Act(context, request, TransitionKind::kAcknowledge, response);
}

grpc::ServerUnaryReactor* AlertService::CloseAlert(grpc::CallbackServerContext* context,
                                                   const v1::AlertActionRequest* request, v1::Alert* response) {
  return Act(context, request, TransitionKind::kClose, response);
}

}  // namespace homeward::aggregator
