// homeward chronology | episodes | profile | philomena | search
#include <iostream>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "homeward/v1/chronology_service.grpc.pb.h"
#include "services/cli/cli_common.h"
#include "services/cli/commands.h"

ABSL_FLAG(std::string, from, "",
          "chronology: only entries at or after this time (RFC 3339 or YYYY-MM-DD); report: the first day (YYYY-MM-DD)");
ABSL_FLAG(std::string, to, "",
          "chronology: only entries before this time (RFC 3339 or YYYY-MM-DD); report: the last day (YYYY-MM-DD)");
ABSL_FLAG(std::vector<std::string>, agency, {}, "Only entries from these agency ids (comma-separated)");
ABSL_FLAG(std::vector<std::string>, kind, {}, "Only entries of these kinds (comma-separated)");

namespace homeward::cli {
namespace {

bool ParseCliTime(const std::string& text, google::protobuf::Timestamp* out) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &err) &&
      !absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &t, &err)) {
    std::cerr << "cannot read time '" << text << "': use RFC 3339 or YYYY-MM-DD\n";
    return false;
  }
  out->set_seconds(absl::ToUnixSeconds(t));
  return true;
}

std::unique_ptr<v1::ChronologyService::Stub> Stub() { return v1::ChronologyService::NewStub(Connect()); }

void PrintIdentity(const std::string& child_id, const google::protobuf::RepeatedPtrField<std::string>& ids) {
  std::cout << "Child " << child_id << "\n  identifiers: " << absl::StrJoin(ids, ", ") << "\n";
}

}  // namespace

int Chronology(const std::string& child) {
  v1::GetChronologyRequest request;
  request.set_child(child);
  request.set_page_size(500);
  if (const std::string from = absl::GetFlag(FLAGS_from); !from.empty() && !ParseCliTime(from, request.mutable_from())) {
    return 2;
  }
  if (const std::string to = absl::GetFlag(FLAGS_to); !to.empty() && !ParseCliTime(to, request.mutable_to())) {
    return 2;
  }
  for (const auto& a : absl::GetFlag(FLAGS_agency)) request.add_agency_ids(a);
  for (const auto& k : absl::GetFlag(FLAGS_kind)) request.add_kinds(k);
  auto stub = Stub();
  v1::GetChronologyResponse all;
  while (true) {  // follow the pages
    v1::GetChronologyResponse page;
    const grpc::Status status = stub->GetChronology(NewContext().get(), request, &page);
    if (!status.ok()) return PrintError(status);
    all.set_child_id(page.child_id());
    *all.mutable_identifiers() = page.identifiers();
    all.set_total_entries(page.total_entries());
    for (auto& e : *page.mutable_entries()) *all.add_entries() = std::move(e);
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  if (MaybePrintJson(all)) return 0;
  PrintIdentity(all.child_id(), all.identifiers());
  std::cout << "  " << all.total_entries() << " entries, event time in " << DisplayZone().name() << "\n\n";
  if (all.entries().empty()) std::cout << "  no entries match\n";
  for (const auto& e : all.entries()) {
    const auto& ev = e.event();
    // A date-only record (the SSDA903 return) has no time of day: never print midnight for it.
    const std::string when = e.date_only() ? FormatTime(ev.occurred_at()).substr(0, 10) + "      " : FormatTime(ev.occurred_at());
    std::cout << absl::StrFormat("  %s  %-24s %-20s %s\n", when, ev.agency_id(), e.kind(), e.summary());
    std::cout << absl::StrFormat("  %16s  source %s, revision %d%s%s\n", "", ev.source_record(), ev.revision(),
                                 e.superseded_event_ids_size() > 0 ? " (amended)" : "",
                                 e.date_only() ? "; dates only" : "");
    if (!e.withheld_because().empty()) std::cout << absl::StrFormat("  %16s  %s\n", "", e.withheld_because());
  }
  return 0;
}

int Episodes(const std::string& child) {
  v1::GetEpisodesRequest request;
  request.set_child(child);
  request.set_page_size(500);
  auto stub = Stub();
  v1::GetEpisodesResponse response;
  while (true) {  // follow the pages
    v1::GetEpisodesResponse page;
    const grpc::Status status = stub->GetEpisodes(NewContext().get(), request, &page);
    if (!status.ok()) return PrintError(status);
    response.set_child_id(page.child_id());
    response.set_total_episodes(page.total_episodes());
    for (auto& e : *page.mutable_episodes()) *response.add_episodes() = std::move(e);
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  if (MaybePrintJson(response)) return 0;
  std::cout << "Child " << response.child_id() << ": " << response.episodes_size() << " episode(s), times in "
            << DisplayZone().name() << "\n";
  for (const auto& ep : response.episodes()) {
    std::cout << "\n  " << FormatTime(ep.start()) << " -> " << (ep.has_end() ? FormatTime(ep.end()) : "still open")
              << "   " << Readable(v1::AbsenceCategory_Name(ep.category()), "ABSENCE_CATEGORY_")
              << (ep.categories_differ() ? " (agencies differ)" : "") << ", highest grade "
              << Readable(v1::RiskGrade_Name(ep.highest_grade()), "RISK_GRADE_") << "\n";
    for (const auto& s : ep.sources()) {
      const auto when = [&](const google::protobuf::Timestamp& ts) {
        return s.date_only() ? FormatTime(ts).substr(0, 10) + " (date only)" : FormatTime(ts);
      };
      std::cout << absl::StrFormat("    %-24s %-18s '%s' %s -> %s%s%s\n", s.agency_id(), s.source_record(),
                                   s.category_as_recorded(), when(s.start()), s.has_end() ? when(s.end()) : "open",
                                   s.latest_grade() ? ", " + Readable(v1::RiskGrade_Name(s.latest_grade()), "RISK_GRADE_") : "",
                                   s.amended() ? " (amended)" : "");
    }
    for (const auto& i : ep.interviews()) {
      std::cout << "    RHI " << i.source_record() << ": "
                << Readable(v1::InterviewOutcome_Name(i.outcome()), "INTERVIEW_OUTCOME_") << " " << FormatTime(i.at())
                << "\n";
    }
    for (const auto& f : ep.flags()) std::cout << "    ! " << f << "\n";
  }
  return 0;
}

int Profile(const std::string& child) {
  v1::GetChildProfileRequest request;
  request.set_child(child);
  v1::ChildProfile p;
  const grpc::Status status = Stub()->GetChildProfile(NewContext().get(), request, &p);
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(p)) return 0;
  PrintIdentity(p.child_id(), p.identifiers());
  std::cout << "  names: " << absl::StrJoin(p.names(), "; ") << "   born " << FormatDate(p.date_of_birth()) << "   sex "
            << Readable(v1::Sex_Name(p.sex()), "SEX_") << "\n  records: ";
  std::vector<std::string> records;
  for (const auto& r : p.linked_records()) records.push_back(absl::StrCat(r.agency_id(), " (", r.entries(), ")"));
  std::cout << absl::StrJoin(records, ", ") << "\n";
  if (p.has_placement()) {
    const auto& pl = p.placement();
    std::cout << "  placement: " << (p.looked_after() ? "looked after" : "not looked after") << ", placed by "
              << pl.placing_authority() << " in " << pl.host_authority()
              << (p.placed_out_of_area() ? " (OUT OF AREA)" : "") << ", " << pl.placement_type() << ", team "
              << pl.allocated_team() << ", since " << FormatTime(p.placement_since()) << "\n";
  } else {
    std::cout << "  placement: none recorded (not known to social care)\n";
  }
  std::cout << "  episodes: " << p.episodes_total() << " in all; " << p.episodes_in_repeat_window() << " within "
            << p.repeat_window_days() << " days up to the latest (as rule repeat-missing counts); "
            << p.episodes_last_12_months() << " in the last 12 months" << (p.currently_missing() ? "; CURRENTLY MISSING" : "")
            << "\n  latest grade: " << Readable(v1::RiskGrade_Name(p.latest_grade()), "RISK_GRADE_")
            << "   last RHI: " << Readable(v1::InterviewOutcome_Name(p.last_interview_outcome()), "INTERVIEW_OUTCOME_")
            << "\n";
  if (!p.exploitation_concerns().empty()) {
    std::cout << "  exploitation concerns: " << absl::StrJoin(p.exploitation_concerns(), "; ") << "\n";
  }
  for (const auto& f : p.data_quality_flags()) std::cout << "  ! " << f << "\n";
  const int open_alerts = p.open_alerts_size() + p.more_open_alerts();
  std::cout << "  open alerts: " << open_alerts << (p.more_open_alerts() > 0 ? " (the most urgent shown)" : "") << "\n";
  for (const auto& a : p.open_alerts()) {
    std::cout << "    " << a.alert_id() << "  [" << a.severity() << ", "
              << Readable(v1::AlertState_Name(a.state()), "ALERT_STATE_") << (a.escalated() ? ", escalated" : "")
              << "]: " << a.reason() << "\n";
  }
  if (p.more_open_alerts() > 0) std::cout << "    ... homeward alerts --open --child=" << p.child_id() << " lists all\n";
  return 0;
}

int Philomena(const std::string& child) {
  v1::GetPhilomenaProfileRequest request;
  request.set_child(child);
  v1::GetPhilomenaProfileResponse r;
  const grpc::Status status = Stub()->GetPhilomenaProfile(NewContext().get(), request, &r);
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(r)) return 0;
  std::cout << "Philomena profile of child " << r.child_id() << " (" << r.basis() << ")\n";
  PrintPhilomenaProfile(r.profile());
  if (!r.released_to().empty()) {
    std::cout << "\n  Released to " << r.released_to() << " for missing episode " << r.episode_id()
              << "; closed to new reads when the child is found. This read is on the access log.\n";
  }
  return 0;
}

int Search(const std::string& query) {
  v1::SearchChildrenRequest request;
  if (query.find(':') != std::string::npos) {
    request.set_identifier(query);
  } else {
    std::vector<std::string> parts = absl::StrSplit(query, ',');
    int y = 0, m = 0, d = 0;
    if (parts.size() != 3 || std::sscanf(parts[2].c_str(), "%d-%d-%d", &y, &m, &d) != 3) {
      std::cerr << "search takes an identifier (nhs:...) or FAMILY,GIVEN,YYYY-MM-DD (GIVEN may be empty)\n";
      return 2;
    }
    request.set_family_name(parts[0]);
    request.set_given_name(parts[1]);
    request.mutable_date_of_birth()->set_year(y);
    request.mutable_date_of_birth()->set_month(m);
    request.mutable_date_of_birth()->set_day(d);
  }
  v1::SearchChildrenResponse response;
  const grpc::Status status = Stub()->SearchChildren(NewContext().get(), request, &response);
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(response)) return 0;
  if (response.children().empty()) std::cout << "no child found\n";
  for (const auto& c : response.children()) {
    std::cout << c.child_id() << "   " << absl::StrJoin(c.names(), "; ") << "   born " << FormatDate(c.date_of_birth())
              << "\n  identifiers: " << absl::StrJoin(c.identifiers(), ", ") << "\n";
  }
  return 0;
}

}  // namespace homeward::cli
