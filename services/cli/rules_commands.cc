// homeward rules [list | what-if --rules=FILE --from=DAY --to=DAY | history]
//
// The risk rules in force with their definitions; what a proposed rules file would have raised
// over a period of the hub's log, beside the rules in force; and the rules' change history.
#include <iomanip>
#include <iostream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/file.h"
#include "homeward/v1/rules_service.grpc.pb.h"
#include "services/cli/cli_common.h"
#include "services/cli/commands.h"

ABSL_FLAG(std::string, rules, "", "rules what-if: the proposed rules file (the format of config/rules.json)");
ABSL_DECLARE_FLAG(std::string, from);
ABSL_DECLARE_FLAG(std::string, to);

namespace homeward::cli {
namespace {

// A what-if replays the log: give it as long as a report.
constexpr absl::Duration kWhatIfDeadline = absl::Minutes(5);

bool Day(const std::string& text, const char* flag, v1::CivilDate* out) {
  absl::CivilDay day;
  if (text.empty() || !absl::ParseCivilTime(text, &day)) {
    std::cerr << "homeward rules what-if: --" << flag << "=YYYY-MM-DD is required"
              << (text.empty() ? "" : absl::StrCat(" ('", text, "' is not a day)")) << "\n";
    return false;
  }
  out->set_year(static_cast<int32_t>(day.year()));
  out->set_month(day.month());
  out->set_day(day.day());
  return true;
}

// "+2d 4h", "-10d", "0" (proposed minus in force).
std::string Shift(const google::protobuf::Duration& d) {
  const absl::Duration span = absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
  if (span == absl::ZeroDuration()) return "0";
  const absl::Duration magnitude = absl::AbsDuration(span);
  const int64_t days = magnitude / absl::Hours(24);
  const int64_t hours = (magnitude % absl::Hours(24)) / absl::Hours(1);
  std::string text = span < absl::ZeroDuration() ? "-" : "+";
  if (days > 0) absl::StrAppend(&text, days, "d");
  if (hours > 0 || days == 0) absl::StrAppend(&text, days > 0 ? " " : "", hours, "h");
  return text;
}

int List() {
  v1::ListRulesResponse response;
  const grpc::Status status =
      v1::RulesService::NewStub(Connect())->ListRules(NewContext().get(), v1::ListRulesRequest(), &response);
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(response)) return 0;
  std::cout << "Rules in force (rules history revision " << response.revision() << ")\n";
  for (const v1::RuleInfo& r : response.rules()) {
    std::cout << "\n" << r.id() << "  v" << r.version() << (r.enabled() ? "" : "  (switched off)") << "  "
              << r.severity() << " -> " << r.team() << "\n  " << r.summary() << "\n";
    for (const v1::RuleParameter& p : r.parameters()) {
      std::cout << "  " << p.name() << " = " << p.value() << " " << p.unit() << "  (" << p.meaning() << "; "
                << p.min() << " to " << p.max() << ")\n";
    }
    std::cout << "  source: " << r.source() << "\n";
  }
  return 0;
}

void PrintDifferences(const char* title, const google::protobuf::RepeatedPtrField<v1::MeetingDifference>& named,
                      int count) {
  std::cout << "\n" << title << ": " << count << "\n";
  for (const v1::MeetingDifference& d : named) {
    std::cout << "  " << d.child_id() << "  " << d.rule_id() << " at " << FormatTime(d.first_alert()) << "  ("
              << absl::StrJoin(d.authorities(), ", ") << ")\n";
  }
}

int WhatIf() {
  const std::string path = absl::GetFlag(FLAGS_rules);
  if (path.empty()) {
    std::cerr << "homeward rules what-if: --rules=FILE (the proposed rules) is required\n";
    return 2;
  }
  absl::StatusOr<std::string> text = ReadWholeFile(path, "proposed rules file");
  if (!text.ok()) {
    std::cerr << "homeward rules what-if: " << text.status().message() << "\n";
    return 2;
  }
  v1::WhatIfRequest request;
  request.set_proposed_rules(*text);
  if (!Day(absl::GetFlag(FLAGS_from), "from", request.mutable_from()) ||
      !Day(absl::GetFlag(FLAGS_to), "to", request.mutable_to())) {
    return 2;
  }
  v1::WhatIfResponse r;
  const grpc::Status status = v1::RulesService::NewStub(Connect())->WhatIf(NewContext(kWhatIfDeadline).get(), request, &r);
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(r)) return 0;
  std::cout << "What-if: " << path << " against the rules in force, " << FormatDate(r.from()) << " to "
            << FormatDate(r.to()) << " (" << r.events_replayed() << " records replayed; nothing published)\n";
  std::cout << "\nChanges proposed:\n";
  if (r.changes().empty()) std::cout << "  none: the proposed rules are the rules in force\n";
  for (const v1::RuleChange& c : r.changes()) {
    std::cout << "  " << (c.rule_id().empty() ? "(all rules)" : c.rule_id()) << ": " << c.change() << "\n";
  }
  std::cout << "\nAlerts first raised in the period (children), in force -> proposed; for children alerted under "
               "both, the proposed first alert earlier/later and the median shift\n";
  std::cout << std::left << std::setw(22) << "rule" << std::setw(18) << "alerts" << std::setw(18) << "children"
            << "earlier/later  median\n";
  for (const v1::RuleOutcome& o : r.rules()) {
    std::cout << std::left << std::setw(22) << o.rule_id() << std::setw(18)
              << absl::StrCat(o.in_force() ? absl::StrCat(o.alerts_in_force()) : "off", " -> ",
                              o.proposed() ? absl::StrCat(o.alerts_proposed()) : "off")
              << std::setw(18) << absl::StrCat(o.children_in_force(), " -> ", o.children_proposed()) << std::setw(15)
              << absl::StrCat(o.earlier(), "/", o.later()) << (o.has_median_shift() ? Shift(o.median_shift()) : "-")
              << "\n";
  }
  std::cout << "\nChildren with a strategy-meeting alert: " << r.meeting_children_in_force() << " -> "
            << r.meeting_children_proposed() << "; of those under both, " << r.meeting_earlier() << " earlier and "
            << r.meeting_later() << " later"
            << (r.has_meeting_median_shift() ? absl::StrCat(" (median ", Shift(r.meeting_median_shift()), ")") : "")
            << "\n";
  PrintDifferences("Only under the rules in force", r.meeting_only_in_force(), r.meeting_only_in_force_count());
  PrintDifferences("Only under the proposed rules", r.meeting_only_proposed(), r.meeting_only_proposed_count());
  if (!r.not_named_because().empty()) std::cout << "\n(" << r.not_named_because() << ")\n";
  return 0;
}

int History() {
  v1::GetRulesHistoryResponse response;
  const grpc::Status status = v1::RulesService::NewStub(Connect())->GetRulesHistory(
      NewContext().get(), v1::GetRulesHistoryRequest(), &response);
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(response)) return 0;
  for (const v1::RulesRevision& r : response.revisions()) {
    std::cout << "revision " << r.revision() << "  in force from " << FormatTime(r.adopted_at()) << "  (" << r.source()
              << ")\n";
    for (const v1::RuleChange& c : r.changes()) {
      std::cout << "  " << (c.rule_id().empty() ? "(all rules)" : c.rule_id()) << ": " << c.change() << "\n";
    }
  }
  return 0;
}

}  // namespace

int Rules(const std::string& what) {
  if (what.empty() || what == "list") return List();
  if (what == "what-if") return WhatIf();
  if (what == "history") return History();
  std::cerr << "usage: homeward rules [list | what-if --rules=FILE --from=YYYY-MM-DD --to=YYYY-MM-DD | history]\n";
  return 2;
}

}  // namespace homeward::cli
