// homeward status | gaps [accept <topic/partition>]
#include <iostream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "homeward/v1/operations_service.grpc.pb.h"
#include "services/cli/cli_common.h"
#include "services/cli/commands.h"

ABSL_DECLARE_FLAG(std::string, reason);

namespace homeward::cli {
namespace {

void PrintGap(const v1::LogGap& g) {
  std::cout << "  " << g.description() << "\n    found " << FormatTime(g.detected_at());
  if (g.has_accepted_at()) {
    std::cout << "; accepted " << FormatTime(g.accepted_at()) << " by " << g.accepted_by();
  } else {
    std::cout << "; OPEN: the partition is stopped until it is accepted";
  }
  std::cout << "\n";
}

}  // namespace

int Status() {
  v1::IngestStatus status;
  const grpc::Status call = v1::OperationsService::NewStub(Connect())->GetIngestStatus(NewContext().get(), {}, &status);
  if (!call.ok()) return PrintError(call);
  if (MaybePrintJson(status)) return status.serving() ? 0 : 1;
  std::cout << (status.serving() ? "SERVING" : "NOT_SERVING: " + status.reason()) << "\n\ncounters:\n";
  for (const char* name : {"consumed", "added", "duplicates", "superseded", "purges", "dead_lettered",
                           "rejected_oversized", "rejected_invalid", "rejected_unregistered", "rejected_conflicts",
                           "rejected_impossible", "dead_letters_by_reference", "commit_failures", "log_gaps",
                           "quarantined", "replayed"}) {
    const auto it = status.counters().find(name);
    std::cout << "  " << name << " " << (it == status.counters().end() ? 0 : it->second) << "\n";
  }
  if (!status.open_gaps().empty()) std::cout << "\nopen gaps in the log:\n";
  for (const auto& g : status.open_gaps()) PrintGap(g);
  if (!status.awaiting_rebuild().empty()) {
    std::cout << "\ndamaged stored events awaiting their copy from the log: " << status.awaiting_rebuild_size() << "\n";
  }
  if (status.consecutive_failures() > 0) {
    std::cout << "\nfailed attempts in a row: " << status.consecutive_failures() << " (" << status.last_error() << ")\n";
  }
  return status.serving() ? 0 : 1;
}

int Gaps() {
  v1::IngestStatus status;
  const grpc::Status call = v1::OperationsService::NewStub(Connect())->GetIngestStatus(NewContext().get(), {}, &status);
  if (!call.ok()) return PrintError(call);
  v1::IngestStatus gaps;
  *gaps.mutable_gaps() = status.gaps();
  if (MaybePrintJson(gaps)) return 0;
  if (gaps.gaps().empty()) std::cout << "no gaps in the log\n";
  for (const auto& g : gaps.gaps()) PrintGap(g);
  return 0;
}

int AcceptGap(const std::string& where) {
  v1::AcceptLogGapRequest request;
  const size_t slash = where.rfind('/');
  int partition = -1;
  if (slash == std::string::npos || !absl::SimpleAtoi(where.substr(slash + 1), &partition) || partition < 0) {
    std::cerr << "gaps accept takes <topic>/<partition>, e.g. homeward.events.v1/3\n";
    return 2;
  }
  request.set_topic(where.substr(0, slash));
  request.set_partition(partition);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  v1::AcceptLogGapResponse response;
  const grpc::Status call = v1::OperationsService::NewStub(Connect())->AcceptLogGap(NewContext().get(), request, &response);
  if (!call.ok()) return PrintError(call);
  if (MaybePrintJson(response)) return 0;
  std::cout << "accepted: " << response.gap().description() << "; the partition goes on after it\n";
  return 0;
}

}  // namespace homeward::cli
