#include "services/aggregator/grpc/alert_service.h"

#include <atomic>

#include "absl/synchronization/mutex.h"
#include "common/grpc/status.h"

namespace homeward::aggregator {
namespace {

// One subscriber's stream: writes the feed after its cursor one update at a time (a write
// reactor allows one write in flight), and wakes when the feed grows.
class AlertStream final : public grpc::ServerWriteReactor<v1::AlertUpdate> {
 public:
  AlertStream(AlertCoordinator& alerts, AlertFilter filter, std::map<int32_t, int64_t> cursor)
      : alerts_(alerts), filter_(std::move(filter)), cursor_(std::move(cursor)) {
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
    if (subscribed_) alerts_.Unsubscribe(listener_);
    delete this;
  }

 private:
  void WriteNext() {
    absl::MutexLock lock(&mu_);
    if (writing_ || finished_) return;
    const std::vector<AlertUpdate> next = alerts_.FeedAfter(cursor_, filter_, 1);
    if (next.empty()) return;  // wait for the feed to grow
    *update_.mutable_alert() = ToProto(next[0].alert);
    update_.set_cursor(next[0].cursor);
    cursor_ = *ParseCursor(next[0].cursor);
    writing_ = true;
    StartWrite(&update_);
  }
  void Stop(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  AlertCoordinator& alerts_;
  const AlertFilter filter_;
  int listener_ = 0;
  std::atomic<bool> subscribed_{false};
  absl::Mutex mu_;
  std::map<int32_t, int64_t> cursor_ ABSL_GUARDED_BY(mu_);
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

}  // namespace

grpc::ServerUnaryReactor* AlertService::ListAlerts(grpc::CallbackServerContext* context,
                                                   const v1::ListAlertsRequest* request,
                                                   v1::ListAlertsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  AlertFilter filter{.team = request->team(), .authority = request->authority(), .open_only = request->open_only()};
  if (!request->child().empty()) {
    absl::StatusOr<std::string> child_id = chronology_.ResolveChild(request->child());
    if (!child_id.ok() && !absl::IsNotFound(child_id.status())) {
      reactor->Finish(ToGrpcStatus(child_id.status()));
      return reactor;
    }
    filter.child_id = child_id.ok() ? *child_id : request->child();  // unknown child: no alerts
  }
  for (const Alert& a : alerts_.List(filter)) *response->add_alerts() = ToProto(a);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerWriteReactor<v1::AlertUpdate>* AlertService::StreamAlerts(grpc::CallbackServerContext*,
                                                                      const v1::StreamAlertsRequest* request) {
  absl::StatusOr<std::map<int32_t, int64_t>> cursor = ParseCursor(request->cursor());
  if (!cursor.ok()) return new RefusedStream(cursor.status());
  return new AlertStream(alerts_, {.team = request->team(), .authority = request->authority()}, *std::move(cursor));
}

grpc::ServerUnaryReactor* AlertService::Act(grpc::CallbackServerContext* context, const v1::AlertActionRequest* request,
                                            TransitionKind kind, v1::Alert* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Alert> alert = alerts_.Act(request->alert_id(), kind, request->by(), request->note());
  if (alert.ok()) *response = ToProto(*alert);
  reactor->Finish(ToGrpcStatus(alert.status()));
  return reactor;
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
