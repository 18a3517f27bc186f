// homeward access | verify-log | purge
#include <iostream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "homeward/v1/audit_service.grpc.pb.h"
#include "services/cli/cli_common.h"
#include "services/cli/commands.h"

ABSL_FLAG(std::string, child, "", "Only this child (any of its identifiers)");
ABSL_FLAG(std::string, subject, "", "Only this person's or system's accesses");
ABSL_DECLARE_FLAG(std::string, reason);

namespace homeward::cli {

int Access() {
  v1::ListAccessRequest request;
  request.set_child(absl::GetFlag(FLAGS_child));
  request.set_subject(absl::GetFlag(FLAGS_subject));
  request.set_page_size(1000);
  auto stub = v1::AuditService::NewStub(Connect());
  v1::ListAccessResponse all;
  do {  // every page
    v1::ListAccessResponse page;
    const grpc::Status status = stub->ListAccess(NewContext().get(), request, &page);
    if (!status.ok()) return PrintError(status);
    for (auto& e : *page.mutable_entries()) *all.add_entries() = std::move(e);
    request.set_after_seq(page.next_after_seq());
  } while (request.after_seq() != 0);
  if (MaybePrintJson(all)) return 0;
  if (all.entries().empty()) std::cout << "no accesses recorded\n";
  for (const auto& e : all.entries()) {
    std::cout << "#" << e.seq() << "  " << FormatTime(e.at()) << "  " << (e.subject().empty() ? "(unknown)" : e.subject())
              << " (" << e.role() << (e.authority().empty() ? "" : ", " + e.authority())
              << (e.team().empty() ? "" : ", " + e.team()) << ")  " << e.method();
    if (!e.child_id().empty()) std::cout << "  child " << e.child_id();
    std::cout << "\n    " << e.outcome();
    if (!e.detail().empty()) std::cout << "  " << e.detail();
    if (!e.purpose().empty()) std::cout << "\n    purpose: " << e.purpose() << "  [" << e.lawful_basis() << "]";
    std::cout << "\n";
  }
  return 0;
}

int VerifyLog() {
  v1::VerifyAccessLogResponse response;
  const grpc::Status status = v1::AuditService::NewStub(Connect())->VerifyAccessLog(NewContext().get(), {}, &response);
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(response)) return response.intact() ? 0 : 1;
  if (response.intact()) {
    std::cout << "access log intact: " << response.entries() << " entries, head " << response.head_hash() << "; "
              << response.anchors_checked() << " anchors checked, the latest vouching for entry "
              << response.anchored_seq() << "\n";
    return 0;
  }
  std::cout << "ACCESS LOG NOT INTACT: " << response.breaks_size() + response.more_breaks() << " break(s)\n";
  for (const auto& b : response.breaks()) std::cout << "  " << b << "\n";
  if (response.more_breaks() > 0) std::cout << "  ... and " << response.more_breaks() << " more\n";
  return 1;
}

int Purge(const std::string& child) {
  v1::PurgeChildRequest request;
  request.set_child(child);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  v1::PurgeChildResponse response;
  const grpc::Status status = v1::RetentionService::NewStub(Connect())->PurgeChild(NewContext().get(), request, &response);
  if (!status.ok()) return PrintError(status);
  if (MaybePrintJson(response)) return 0;
  std::cout << "purged " << response.child_id() << ": " << response.events_purged() << " events\n";
  return 0;
}

}  // namespace homeward::cli
