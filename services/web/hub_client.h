// File: hub_client.h
//
// The workspace's calls to the hub, each on behalf of one signed-in person: their token, and the
// purpose and lawful basis they gave, travel with every call, so the aggregator decides, masks
// and logs exactly as for the `homeward` CLI (docs/security.md). The workspace itself holds only
// a client certificate (homeward-web, a people_client): it can reach the hub, and nothing more.
//
// Thread safety: safe for concurrent use.
#ifndef HOMEWARD_SERVICES_WEB_HUB_CLIENT_H_
#define HOMEWARD_SERVICES_WEB_HUB_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "homeward/v1/account_service.grpc.pb.h"
#include "homeward/v1/alert_service.grpc.pb.h"
#include "homeward/v1/audit_service.grpc.pb.h"
#include "homeward/v1/chronology_service.grpc.pb.h"
#include "homeward/v1/report_service.grpc.pb.h"
#include "homeward/v1/rules_service.grpc.pb.h"

namespace homeward::web {

// The person a call is made for.
struct OnBehalfOf {
  std::string token;
  std::string purpose;
  std::string lawful_basis;
};

class HubClient {
 public:
  explicit HubClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline = absl::Seconds(10));

  // Each returns the hub's answer, or its refusal as a status with the hub's code and words.
  absl::StatusOr<v1::WhoAmIResponse> WhoAmI(const std::string& token);
  absl::StatusOr<v1::SearchChildrenResponse> Search(const OnBehalfOf& who, const v1::SearchChildrenRequest& request);
  // Every page of the chronology (the web page shows them all, as the print pack must).
  absl::StatusOr<v1::GetChronologyResponse> Chronology(const OnBehalfOf& who, v1::GetChronologyRequest request);
  absl::StatusOr<v1::GetEpisodesResponse> Episodes(const OnBehalfOf& who, const std::string& child);
  absl::StatusOr<v1::ChildProfile> Profile(const OnBehalfOf& who, const std::string& child);
  absl::StatusOr<v1::ListAlertsResponse> Alerts(const OnBehalfOf& who, const v1::ListAlertsRequest& request);
  absl::StatusOr<v1::AlertRecordsResponse> AlertRecords(const OnBehalfOf& who, const std::string& alert_id);
  absl::StatusOr<v1::Alert> ActOnAlert(const OnBehalfOf& who, const std::string& alert_id, bool close,
                                       const std::string& note);
  absl::StatusOr<v1::ListProbableMatchesResponse> Matches(const OnBehalfOf& who);
  absl::StatusOr<v1::DecideMatchResponse> Decide(const OnBehalfOf& who, const v1::DecideMatchRequest& request);
  absl::StatusOr<v1::ListAccessResponse> Access(const OnBehalfOf& who, const v1::ListAccessRequest& request);
  absl::StatusOr<v1::VerifyAccessLogResponse> VerifyLog(const OnBehalfOf& who);
  // Reports may rebuild the log as at a past time: they get kReportDeadline, not the usual one.
  absl::StatusOr<v1::ListReportsResponse> ListReports(const OnBehalfOf& who);
  absl::StatusOr<v1::Report> RunReport(const OnBehalfOf& who, const v1::RunReportRequest& request);
  absl::StatusOr<v1::StatutoryReturn> RunReturn(const OnBehalfOf& who, const v1::RunStatutoryReturnRequest& request);
  static constexpr absl::Duration kReportDeadline = absl::Minutes(2);
  // The risk rules, and a what-if (it replays the log: kReportDeadline).
  absl::StatusOr<v1::ListRulesResponse> ListRules(const OnBehalfOf& who);
  absl::StatusOr<v1::WhatIfResponse> WhatIf(const OnBehalfOf& who, const v1::WhatIfRequest& request);

  // Streams alert updates after `request.cursor` to `on_update` until it returns false, the
  // hub ends the stream, or `cancelled` becomes true (checked between updates and every
  // second). Returns how the stream ended.
  absl::Status StreamAlerts(const OnBehalfOf& who, const v1::StreamAlertsRequest& request,
                            const std::function<bool(const v1::AlertUpdate&)>& on_update,
                            const std::function<bool()>& cancelled);

 private:
  std::unique_ptr<grpc::ClientContext> Context(const OnBehalfOf& who) const;
  std::unique_ptr<grpc::ClientContext> Context(const OnBehalfOf& who, absl::Duration deadline) const;

  const absl::Duration deadline_;
  std::unique_ptr<v1::AccountService::Stub> accounts_;
  std::unique_ptr<v1::ChronologyService::Stub> chronology_;
  std::unique_ptr<v1::IdentityService::Stub> identity_;
  std::unique_ptr<v1::AlertService::Stub> alerts_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::RulesService::Stub> rules_;
};

}  // namespace homeward::web

#endif  // HOMEWARD_SERVICES_WEB_HUB_CLIENT_H_
