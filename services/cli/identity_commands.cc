// homeward matches | link | separate | health
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/text.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "homeward/v1/chronology_service.grpc.pb.h"
#include "services/cli/cli_common.h"
#include "services/cli/commands.h"

ABSL_FLAG(std::string, reason, "", "Why: what was checked, with whom (kept on the record)");

namespace homeward::cli {

int Matches() {
  v1::ListProbableMatchesRequest request;
  request.set_page_size(500);
  auto stub = v1::IdentityService::NewStub(Connect());
  v1::ListProbableMatchesResponse response;
  while (true) {  // follow the pages
    v1::ListProbableMatchesResponse page;
    const grpc::Status status = stub->ListProbableMatches(NewContext().get(), request, &page);
    if (!status.ok()) return PrintError(status);
    for (auto& m : *page.mutable_matches()) *response.add_matches() = std::move(m);
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  if (MaybePrintJson(response)) return 0;
  if (response.matches().empty()) std::cout << "no probable matches pending\n";
  for (const auto& m : response.matches()) {
    std::cout << m.a().child_id() << "  ~  " << m.b().child_id() << "\n  " << m.evidence() << "\n  a: "
              << absl::StrJoin(m.a().identifiers(), ", ") << "\n  b: " << absl::StrJoin(m.b().identifiers(), ", ")
              << "\n  confirm: homeward link " << m.a().child_id() << " " << m.b().child_id()
              << " --reason=...\n  reject:  homeward separate " << m.a().child_id() << " "
              << m.b().child_id() << " --reason=...\n\n";
  }
  return 0;
}

int Decide(const std::string& a, const std::string& b, bool link) {
  v1::DecideMatchRequest request;
  request.set_identifier_a(a);
  request.set_identifier_b(b);
  request.set_decision(link ? v1::IdentityDecision::DECISION_LINK : v1::IdentityDecision::DECISION_SEPARATE);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  v1::DecideMatchResponse response;
  const grpc::Status status = v1::IdentityService::NewStub(Connect())->DecideMatch(NewContext().get(), request, &response);
  if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    std::cout << Printable(status.error_message(), 4096) << "\n";  // nothing to do: the records stand as asked
    return 0;
  }
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(response)) return 0;
  const auto describe = [](const v1::ChildSummary& c) {
    return absl::StrCat(c.child_id(), " (", absl::StrJoin(c.identifiers(), ", "), ")");
  };
  std::vector<std::string> children;
  for (const auto& c : response.children()) children.push_back(describe(c));
  if (link) {
    std::cout << "Linked " << a << " and " << b << " as one child.\n  before: " << absl::StrJoin(children, "\n          ")
              << "\n";
  } else {
    std::cout << "Kept " << a << " and " << b << " separate: they will not be proposed as a match again.\n  now: "
              << absl::StrJoin(children, "\n       ") << "\n";
  }
  std::cout << "  decision " << response.decision_event_id() << ", recorded with your reason; every aggregator applies it"
            << " as it reads the log (homeward profile " << a << " shows the result)\n";
  return 0;
}

int Health() {
  auto stub = grpc::health::v1::Health::NewStub(Connect());
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(NewContext().get(), {}, &response);
  if (!status.ok()) return PrintError(status);
  std::cout << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()) << "\n";
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}

}  // namespace homeward::cli
