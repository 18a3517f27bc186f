// homeward: the coordinators' command line.
//
//   homeward chronology <child> [--json] [--from=2026-10-01] [--to=...] [--agency=ID] [--kind=K]
//   homeward health
//
// <child> is any identifier an agency uses ("police:west-midlands/PP-100231",
// "nhs:9990001234", "la:coventry/LA-7001", "upn:...") or a Homeward child id. The aggregator is
// --server (default 127.0.0.1:50151, or $HOMEWARD_SERVER).
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "homeward/v1/chronology_service.grpc.pb.h"

ABSL_FLAG(std::string, server, "", "Aggregator address (default $HOMEWARD_SERVER or 127.0.0.1:50151)");
ABSL_FLAG(bool, json, false, "Print JSON (for scripts) instead of a readable timeline");
ABSL_FLAG(std::string, from, "", "Only entries at or after this time (RFC 3339 or YYYY-MM-DD)");
ABSL_FLAG(std::string, to, "", "Only entries before this time (RFC 3339 or YYYY-MM-DD)");
ABSL_FLAG(std::vector<std::string>, agency, {}, "Only entries from these agency ids (comma-separated)");
ABSL_FLAG(std::vector<std::string>, kind, {}, "Only entries of these kinds (comma-separated)");
ABSL_FLAG(std::string, tz, "Europe/London", "Time zone for the readable timeline");

namespace {

using homeward::v1::GetChronologyRequest;
using homeward::v1::GetChronologyResponse;

std::string ServerAddress() {
  std::string address = absl::GetFlag(FLAGS_server);
  if (address.empty()) {
    const char* env = std::getenv("HOMEWARD_SERVER");
    address = env != nullptr ? env : "127.0.0.1:50151";
  }
  return address;
}

std::shared_ptr<grpc::Channel> Connect() {
  return grpc::CreateChannel(ServerAddress(), grpc::InsecureChannelCredentials());
}

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

int PrintError(const grpc::Status& status) {
  std::cerr << "error: " << status.error_message() << " (" << status.error_code() << ")\n";
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "is the aggregator running at " << ServerAddress() << "? (make run)\n";
  }
  return status.error_code() == grpc::StatusCode::NOT_FOUND ? 4 : 1;
}

void PrintTimeline(const GetChronologyResponse& r) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(absl::GetFlag(FLAGS_tz), &tz)) tz = absl::UTCTimeZone();
  std::cout << "Child " << r.child_id() << "\n  identifiers: ";
  for (int i = 0; i < r.identifiers_size(); ++i) std::cout << (i ? ", " : "") << r.identifiers(i);
  std::cout << "\n  " << r.total_entries() << " entries, event time in " << tz.name() << "\n\n";
  for (const auto& e : r.entries()) {
    const auto& ev = e.event();
    const absl::Time at = absl::FromUnixSeconds(ev.occurred_at().seconds());
    std::cout << absl::StrFormat("  %s  %-22s %-20s %s\n", absl::FormatTime("%Y-%m-%d %H:%M", at, tz),
                                 ev.agency_id(), e.kind(), e.summary());
    std::cout << absl::StrFormat("  %16s  source %s, revision %d%s\n", "", ev.source_record(),
                                 ev.revision(),
                                 e.superseded_event_ids_size() > 0 ? " (amended)" : "");
  }
}

int Chronology(const std::string& child) {
  GetChronologyRequest request;
  request.set_child(child);
  request.set_page_size(500);
  if (const std::string from = absl::GetFlag(FLAGS_from); !from.empty() &&
                                                           !ParseCliTime(from, request.mutable_from())) {
    return 2;
  }
  if (const std::string to = absl::GetFlag(FLAGS_to); !to.empty() && !ParseCliTime(to, request.mutable_to())) {
    return 2;
  }
  for (const auto& a : absl::GetFlag(FLAGS_agency)) request.add_agency_ids(a);
  for (const auto& k : absl::GetFlag(FLAGS_kind)) request.add_kinds(k);

  auto stub = homeward::v1::ChronologyService::NewStub(Connect());
  GetChronologyResponse all;
  while (true) {  // follow the pages
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    GetChronologyResponse page;
    const grpc::Status status = stub->GetChronology(&context, request, &page);
    if (!status.ok()) return PrintError(status);
    all.set_child_id(page.child_id());
    *all.mutable_identifiers() = page.identifiers();
    all.set_total_entries(page.total_entries());
    for (auto& e : *page.mutable_entries()) *all.add_entries() = std::move(e);
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  if (absl::GetFlag(FLAGS_json)) {
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    options.preserve_proto_field_names = true;
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(all, &json, options);
    std::cout << json;
  } else {
    PrintTimeline(all);
  }
  return 0;
}

int Health() {
  auto stub = grpc::health::v1::Health::NewStub(Connect());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, {}, &response);
  if (!status.ok()) return PrintError(status);
  std::cout << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()) << "\n";
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "homeward chronology <child> [--json] [--from T] [--to T] [--agency A] [--kind K]\n"
      "homeward health\n"
      "<child> is e.g. police:west-midlands/PP-100231, nhs:9990001234, la:coventry/LA-7001");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() == 3 && std::string(args[1]) == "chronology") return Chronology(args[2]);
  if (args.size() == 2 && std::string(args[1]) == "health") return Health();
  std::cerr << absl::ProgramUsageMessage() << "\n";
  return 2;
}
