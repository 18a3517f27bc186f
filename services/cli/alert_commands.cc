// homeward alerts [--follow] | ack | close
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/text.h"
#include "homeward/v1/alert_service.grpc.pb.h"
#include "services/cli/cli_common.h"
#include "services/cli/commands.h"

ABSL_FLAG(bool, follow, false, "Print alerts as they are raised or change, from now; reconnects by itself");
ABSL_FLAG(std::string, team, "", "Only this team's alerts");
ABSL_FLAG(std::string, authority, "",
          "alerts: only those routed to this authority; report: only its children (and those placed in it)");
ABSL_FLAG(std::string, cursor, "", "With --follow: resume after this cursor (printed with each alert)");
ABSL_FLAG(std::string, cursor_file, "",
          "With --follow: resume after the cursor saved in this file, and save each new one there");
ABSL_FLAG(bool, from_start, false, "With --follow: from the first alert ever raised, not from now");
ABSL_FLAG(bool, open, false, "Only alerts still open (raised, acknowledged or actioned)");
ABSL_FLAG(std::vector<std::string>, state, {},
          "Only alerts in these states: raised, acknowledged, actioned, closed, withdrawn (comma-separated)");
ABSL_FLAG(std::vector<std::string>, rule, {}, "Only alerts of these rules, e.g. repeat-missing (comma-separated)");
ABSL_FLAG(std::vector<std::string>, severity, {},
          "Only these severities: strategy meeting, escalation, compliance, notification, data quality");
ABSL_FLAG(int, page_size, 50, "Alerts per page (1 to 500)");
ABSL_FLAG(std::string, page, "", "The page after this token (printed at the end of the previous page)");
ABSL_FLAG(bool, all, false, "Every page, one after the other");
ABSL_FLAG(bool, brief, false, "One line per alert, starting with the id that ack and close take");
ABSL_DECLARE_FLAG(std::string, reason);
ABSL_DECLARE_FLAG(std::string, child);
ABSL_DECLARE_FLAG(bool, json);

namespace homeward::cli {
namespace {

std::string StateName(v1::AlertState state) { return Readable(v1::AlertState_Name(state), "ALERT_STATE_"); }

void PrintAlert(const v1::Alert& a) {
  // An alert about the hub itself (a gap in the log) concerns no child.
  const std::string about = a.child_id().empty() ? "the hub" : "child " + a.child_id();
  const std::string state = StateName(a.state()) + (a.escalated() ? ", escalated" : "");
  if (absl::GetFlag(FLAGS_brief)) {
    std::cout << a.alert_id() << "  [" << a.severity() << ", " << state << "] " << about << " -> " << a.team() << " ("
              << absl::StrJoin(a.authorities(), ", ") << "): " << a.reason() << "\n";
    return;
  }
  std::cout << FormatTime(a.raised_at()) << "  " << a.rule_id() << " [" << a.severity() << "] "
            << absl::AsciiStrToUpper(state) << (a.acknowledged_by().empty() ? "" : " (acknowledged by " + a.acknowledged_by() + ")")
            << "\n  " << about << ": " << a.reason() << "\n  to " << a.team() << " ("
            << absl::StrJoin(a.authorities(), ", ") << "): " << a.recommended_action() << "\n";
  if (!a.merged_into().empty()) std::cout << "  merged into " << a.merged_into() << "\n";
  if (!a.merged_from().empty()) std::cout << "  also raised as " << absl::StrJoin(a.merged_from(), ", ") << "\n";
  for (const auto& t : a.history()) {
    if (t.kind() == v1::AlertTransition::KIND_ACKNOWLEDGE || t.kind() == v1::AlertTransition::KIND_ESCALATE) continue;
    std::cout << "  " << Readable(v1::AlertTransition::Kind_Name(t.kind()), "KIND_") << " " << FormatTime(t.at())
              << " by " << t.by() << (t.note().empty() ? "" : ": " + t.note()) << "\n";
  }
  std::cout << "  id " << a.alert_id() << "\n";
}

// "strategy meeting" and "strategy-meeting" alike.
std::string Words(const std::string& text) { return absl::StrReplaceAll(text, {{"-", " "}, {"_", " "}}); }

bool ParseStates(v1::ListAlertsRequest& request) {
  for (const std::string& name : absl::GetFlag(FLAGS_state)) {
    v1::AlertState state;
    if (!v1::AlertState_Parse(absl::StrCat("ALERT_STATE_", absl::AsciiStrToUpper(name)), &state) ||
        state == v1::ALERT_STATE_UNSPECIFIED) {
      std::cerr << "homeward alerts: --state: unknown state '" << name
                << "' (raised, acknowledged, actioned, closed, withdrawn)\n";
      return false;
    }
    request.add_states(state);
  }
  return true;
}

// Lists one page, or every page with --all.
int ListPages(v1::AlertService::Stub& stub, v1::ListAlertsRequest request) {
  const bool every = absl::GetFlag(FLAGS_all);
  int shown = 0;
  while (true) {
    v1::ListAlertsResponse page;
    const grpc::Status status = stub.ListAlerts(NewContext().get(), request, &page);
    if (!status.ok()) return PrintError(status);
    if (MaybePrintJson(page)) {
      std::cout << "\n";
    } else {
      if (shown == 0) {
        std::cout << (page.total() == 0 ? "no alerts" : absl::StrCat(page.total(), " alert", page.total() == 1 ? "" : "s"))
                  << (request.open_only() ? " open" : "") << (request.team().empty() ? "" : ", team " + request.team())
                  << (request.authority().empty() ? "" : ", authority " + request.authority())
                  << (page.total() > 0 ? ", most urgent first" : "") << "\n\n";
      }
      for (const auto& a : page.alerts()) {
        PrintAlert(a);
        if (!absl::GetFlag(FLAGS_brief)) std::cout << "\n";
      }
    }
    shown += page.alerts_size();
    if (page.next_page_token().empty()) return 0;
    if (!every) {
      if (!absl::GetFlag(FLAGS_json)) {
        std::cout << "alerts " << page.before() + 1 << "-" << page.before() + page.alerts_size() << " of "
                  << page.total() << "; the next page: the same command with --page=" << page.next_page_token()
                  << " (or --all for every page)\n";
      }
      return 0;
    }
    request.set_page_token(page.next_page_token());
  }
}

std::string ReadCursorFile(const std::string& path) {
  std::ifstream in(path);
  std::string cursor;
  in >> cursor;
  return cursor;
}

// Saved whole or not at all (written beside, then renamed), so a kill never leaves half a cursor.
void SaveCursorFile(const std::string& path, const std::string& cursor) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << cursor << "\n";
    if (!out.flush()) {
      std::cerr << "homeward alerts: cannot save the cursor in " << temporary << "\n";
      return;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) std::cerr << "homeward alerts: cannot save " << path << "\n";
}

int Follow(v1::AlertService::Stub& stub, const v1::ListAlertsRequest& filters) {
  const std::string cursor_file = absl::GetFlag(FLAGS_cursor_file);
  std::string cursor = absl::GetFlag(FLAGS_cursor);
  if (cursor.empty() && !cursor_file.empty()) cursor = ReadCursorFile(cursor_file);
  if (cursor.empty() && !absl::GetFlag(FLAGS_from_start)) {
    // From now: the feed's position as the list is taken (list, then watch).
    v1::ListAlertsRequest now = filters;
    now.set_page_size(1);
    v1::ListAlertsResponse position;
    const grpc::Status status = stub.ListAlerts(NewContext().get(), now, &position);
    if (!status.ok()) return PrintError(status);
    cursor = position.feed_cursor();
    std::cerr << "following alerts from now (" << position.total()
              << " already raised: homeward alerts --open lists them); Ctrl-C stops\n";
  }
  while (true) {  // reconnect after a disconnect, resuming from the last cursor printed
    grpc::ClientContext context;
    AddCallerMetadata(context);
    v1::StreamAlertsRequest request;
    request.set_team(filters.team());
    request.set_authority(filters.authority());
    request.set_cursor(cursor);
    auto reader = stub.StreamAlerts(&context, request);
    v1::AlertUpdate update;
    while (reader->Read(&update)) {
      if (!MaybePrintJson(update)) {
        PrintAlert(update.alert());
        if (update.has_philomena_profile()) {  // released to the caller's force (docs/philomena.md)
          std::cout << "  Philomena profile, released to your force while the child is missing:\n";
          PrintPhilomenaProfile(update.philomena_profile());
        }
        if (!absl::GetFlag(FLAGS_brief)) std::cout << "  cursor " << update.cursor() << "\n\n";
      } else {
        std::cout << "\n";
      }
      std::cout.flush();
      cursor = update.cursor();
      if (!cursor_file.empty()) SaveCursorFile(cursor_file, cursor);
    }
    const grpc::Status status = reader->Finish();
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
        status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
        status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      return PrintError(status);  // reconnecting would not change the answer
    }
    std::cerr << "alert stream ended (" << Printable(status.error_message(), 4096) << "); reconnecting\n";
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace

int Alerts() {
  v1::ListAlertsRequest request;
  request.set_team(absl::GetFlag(FLAGS_team));
  request.set_authority(absl::GetFlag(FLAGS_authority));
  auto stub = v1::AlertService::NewStub(Connect());
  if (absl::GetFlag(FLAGS_follow)) return Follow(*stub, request);
  request.set_child(absl::GetFlag(FLAGS_child));
  request.set_open_only(absl::GetFlag(FLAGS_open));
  for (const std::string& r : absl::GetFlag(FLAGS_rule)) request.add_rule_ids(r);
  for (const std::string& s : absl::GetFlag(FLAGS_severity)) request.add_severities(Words(s));
  if (!ParseStates(request)) return 2;
  const int page_size = absl::GetFlag(FLAGS_page_size);
  if (page_size < 1 || page_size > 500) {
    std::cerr << "homeward alerts: --page_size: " << page_size << " is outside 1..500\n";
    return 2;
  }
  request.set_page_size(page_size);
  request.set_page_token(absl::GetFlag(FLAGS_page));
  return ListPages(*stub, std::move(request));
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
