// File: report_service.h
//
// homeward.v1.ReportService (proto/homeward/v1/report_service.proto): the partnership reports
// and statutory returns, run by the ReportEngine on this replica's log. Aggregate reports are for
// report viewers and coordinators; the statutory returns for coordinators of the authority they
// are for, with a purpose. Every run, allowed or not, is on the access log.
//
// A report is computed on the calling gRPC thread; at most kMaxConcurrentReports run at once and
// a call beyond that is refused (RESOURCE_EXHAUSTED, "try again"), so reports never starve the
// chronology and alert calls of threads.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_REPORT_SERVICE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_REPORT_SERVICE_H_

#include <atomic>
#include <string>

#include "common/clock.h"
#include "homeward/v1/report_service.grpc.pb.h"
#include "services/aggregator/domain/reports/report_engine.h"
#include "services/aggregator/grpc/access_gate.h"

namespace homeward::aggregator {

inline constexpr int kMaxConcurrentReports = 2;

// Holds one of the kMaxConcurrentReports places while a report (or a rules what-if) runs.
class ReportSlot {
 public:
  explicit ReportSlot(std::atomic<int>& running)
      : running_(running), held_(running.fetch_add(1) < kMaxConcurrentReports) {
    if (!held_) running_.fetch_sub(1);
  }
  ~ReportSlot() {
    if (held_) running_.fetch_sub(1);
  }
  ReportSlot(const ReportSlot&) = delete;
  ReportSlot& operator=(const ReportSlot&) = delete;
  bool held() const { return held_; }

 private:
  std::atomic<int>& running_;
  const bool held_;
};

struct ReportServiceOptions {
  absl::TimeZone zone;  // days and months
  int suppression_threshold = reports::kDefaultSuppressionThreshold;
  std::string home_authority;
};

class ReportService final : public v1::ReportService::CallbackService {
 public:
  // Every reference must outlive the service.
  ReportService(reports::ReportEngine& engine, AccessGate& gate, const Clock& clock, ReportServiceOptions options)
      : engine_(engine), gate_(gate), clock_(clock), options_(std::move(options)) {}

  // The reports being computed (shared with RulesService's what-ifs).
  std::atomic<int>& running() { return running_; }

  grpc::ServerUnaryReactor* ListReports(grpc::CallbackServerContext* context, const v1::ListReportsRequest* request,
                                        v1::ListReportsResponse* response) override;
  grpc::ServerUnaryReactor* RunReport(grpc::CallbackServerContext* context, const v1::RunReportRequest* request,
                                      v1::Report* response) override;
  grpc::ServerUnaryReactor* RunStatutoryReturn(grpc::CallbackServerContext* context,
                                               const v1::RunStatutoryReturnRequest* request,
                                               v1::StatutoryReturn* response) override;

 private:
  // The domain request from the wire's, or INVALID_ARGUMENT.
  absl::StatusOr<reports::ReportRequest> Request(const std::string& name, const v1::CivilDate& from,
                                                 const v1::CivilDate& to, const std::string& authority,
                                                 const google::protobuf::Timestamp* as_at) const;

  reports::ReportEngine& engine_;
  AccessGate& gate_;
  const Clock& clock_;
  const ReportServiceOptions options_;
  std::atomic<int> running_{0};
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_REPORT_SERVICE_H_
