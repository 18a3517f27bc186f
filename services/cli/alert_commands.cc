// homeward alerts [--follow] | ack | close
#include <iostream>
#include <thread>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_join.h"
#include "homeward/v1/alert_service.grpc.pb.h"
#include "common/text.h"
#include "services/cli/cli_common.h"
#include "services/cli/commands.h"

ABSL_FLAG(bool, follow, false, "Keep printing alerts as they are raised or change (resumes after a disconnect)");
ABSL_FLAG(std::string, team, "", "Only this team's alerts");
ABSL_FLAG(std::string, authority, "", "Only alerts routed to this authority");
ABSL_FLAG(std::string, cursor, "", "With --follow: resume after this cursor");
ABSL_FLAG(bool, open, false, "Only alerts not yet closed");
ABSL_FLAG(bool, brief, false, "One line per alert");
ABSL_DECLARE_FLAG(std::string, reason);

namespace homeward::cli {
namespace {

void PrintAlert(const v1::Alert& a) {
  // An alert about the hub itself (a gap in the log) concerns no child.
  const std::string about = a.child_id().empty() ? "the hub" : "child " + a.child_id();
  if (absl::GetFlag(FLAGS_brief)) {
    std::cout << "ALERT " << a.rule_id() << " [" << a.severity() << ", "
              << Readable(v1::AlertState_Name(a.state()), "ALERT_STATE_") << (a.escalated() ? ", escalated" : "")
              << "] " << about << " -> " << a.team() << " (" << absl::StrJoin(a.authorities(), ", ")
              << "): " << a.reason() << "\n";
    return;
  }
  std::cout << FormatTime(a.raised_at()) << "  " << a.rule_id() << " [" << a.severity() << "] "
            << Readable(v1::AlertState_Name(a.state()), "ALERT_STATE_") << (a.escalated() ? ", ESCALATED" : "")
            << (a.acknowledged_by().empty() ? "" : " by " + a.acknowledged_by()) << "\n  " << about
            << ": " << a.reason() << "\n  to " << a.team() << " (" << absl::StrJoin(a.authorities(), ", ")
            << "): " << a.recommended_action() << "\n  id " << a.alert_id() << "\n";
}

}  // namespace

int Alerts() {
  auto stub = v1::AlertService::NewStub(Connect());
  if (!absl::GetFlag(FLAGS_follow)) {
    v1::ListAlertsRequest request;
    request.set_team(absl::GetFlag(FLAGS_team));
    request.set_authority(absl::GetFlag(FLAGS_authority));
    request.set_open_only(absl::GetFlag(FLAGS_open));
    v1::ListAlertsResponse response;
    const grpc::Status status = stub->ListAlerts(NewContext().get(), request, &response);
    if (!status.ok()) return PrintError(status);
    if (MaybePrintJson(response)) return 0;
    if (response.alerts().empty()) std::cout << "no alerts\n";
    for (const auto& a : response.alerts()) PrintAlert(a), std::cout << "\n";
    return 0;
  }
  std::string cursor = absl::GetFlag(FLAGS_cursor);
  while (true) {  // reconnect after a disconnect, resuming from the last cursor printed
    grpc::ClientContext context;
    AddCallerMetadata(context);
    v1::StreamAlertsRequest request;
    request.set_team(absl::GetFlag(FLAGS_team));
    request.set_authority(absl::GetFlag(FLAGS_authority));
    request.set_cursor(cursor);
    auto reader = stub->StreamAlerts(&context, request);
    v1::AlertUpdate update;
    while (reader->Read(&update)) {
      if (!MaybePrintJson(update)) {
        PrintAlert(update.alert());
        if (!absl::GetFlag(FLAGS_brief)) std::cout << "  cursor " << update.cursor() << "\n\n";
      }
      std::cout.flush();
      cursor = update.cursor();
    }
    const grpc::Status status = reader->Finish();
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
        status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
        status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      return PrintError(status);  // reconnecting would not change the answer
    }
    std::cerr << "alert stream ended (" << status.error_code() << ": " << Printable(status.error_message(), 4096) << "); reconnecting\n";
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

int ActOnAlert(const std::string& alert_id, bool close) {
  v1::AlertActionRequest request;
  request.set_alert_id(alert_id);
  request.set_note(absl::GetFlag(FLAGS_reason));
  v1::Alert alert;
  auto stub = v1::AlertService::NewStub(Connect());
  const grpc::Status status = close ? stub->CloseAlert(NewContext().get(), request, &alert)
                                    : stub->AcknowledgeAlert(NewContext().get(), request, &alert);
  if (!status.ok()) return PrintError(status);
  if (!MaybePrintJson(alert)) PrintAlert(alert);
  return 0;
}

}  // namespace homeward::cli
