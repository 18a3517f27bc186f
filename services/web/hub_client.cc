#include "services/web/hub_client.h"

#include <atomic>
#include <thread>

#include "common/grpc/status.h"
#include "common/security/authenticator.h"

namespace homeward::web {

HubClient::HubClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
    : deadline_(deadline),
      accounts_(v1::AccountService::NewStub(channel)),
      chronology_(v1::ChronologyService::NewStub(channel)),
      identity_(v1::IdentityService::NewStub(channel)),
      alerts_(v1::AlertService::NewStub(channel)),
      audit_(v1::AuditService::NewStub(channel)),
      reports_(v1::ReportService::NewStub(channel)),
      rules_(v1::RulesService::NewStub(channel)) {}

std::unique_ptr<grpc::ClientContext> HubClient::Context(const OnBehalfOf& who) const { return Context(who, deadline_); }

std::unique_ptr<grpc::ClientContext> HubClient::Context(const OnBehalfOf& who, absl::Duration deadline) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  context->AddMetadata("authorization", "Bearer " + who.token);
  if (!who.purpose.empty()) context->AddMetadata(security::kPurposeHeader, who.purpose);
  if (!who.lawful_basis.empty()) context->AddMetadata(security::kLawfulBasisHeader, who.lawful_basis);
  return context;
}

namespace {

template <typename Response, typename Call>
absl::StatusOr<Response> Ask(Call call) {
  Response response;
  const grpc::Status status = call(&response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

}  // namespace

absl::StatusOr<v1::WhoAmIResponse> HubClient::WhoAmI(const std::string& token) {
  return Ask<v1::WhoAmIResponse>(
      [&](auto* r) { return accounts_->WhoAmI(Context({.token = token}).get(), v1::WhoAmIRequest(), r); });
}

absl::StatusOr<v1::SearchChildrenResponse> HubClient::Search(const OnBehalfOf& who,
                                                             const v1::SearchChildrenRequest& request) {
  return Ask<v1::SearchChildrenResponse>([&](auto* r) { return chronology_->SearchChildren(Context(who).get(), request, r); });
}

absl::StatusOr<v1::GetChronologyResponse> HubClient::Chronology(const OnBehalfOf& who, v1::GetChronologyRequest request) {
  request.set_page_size(1000);
  v1::GetChronologyResponse all;
  do {
    absl::StatusOr<v1::GetChronologyResponse> page = Ask<v1::GetChronologyResponse>(
        [&](auto* r) { return chronology_->GetChronology(Context(who).get(), request, r); });
    if (!page.ok()) return page.status();
    all.set_child_id(page->child_id());
    *all.mutable_identifiers() = page->identifiers();
    all.set_total_entries(page->total_entries());
    for (auto& e : *page->mutable_entries()) *all.add_entries() = std::move(e);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return all;
}

absl::StatusOr<v1::GetEpisodesResponse> HubClient::Episodes(const OnBehalfOf& who, const std::string& child) {
  v1::GetEpisodesRequest request;
  request.set_child(child);
  request.set_page_size(500);
  v1::GetEpisodesResponse all;
  do {
    absl::StatusOr<v1::GetEpisodesResponse> page =
        Ask<v1::GetEpisodesResponse>([&](auto* r) { return chronology_->GetEpisodes(Context(who).get(), request, r); });
    if (!page.ok()) return page.status();
    all.set_child_id(page->child_id());
    all.set_total_episodes(page->total_episodes());
    for (auto& e : *page->mutable_episodes()) *all.add_episodes() = std::move(e);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return all;
}

absl::StatusOr<v1::ChildProfile> HubClient::Profile(const OnBehalfOf& who, const std::string& child) {
  v1::GetChildProfileRequest request;
  request.set_child(child);
  return Ask<v1::ChildProfile>([&](auto* r) { return chronology_->GetChildProfile(Context(who).get(), request, r); });
}

absl::StatusOr<v1::ListAlertsResponse> HubClient::Alerts(const OnBehalfOf& who, const v1::ListAlertsRequest& request) {
  return Ask<v1::ListAlertsResponse>([&](auto* r) { return alerts_->ListAlerts(Context(who).get(), request, r); });
}

absl::StatusOr<v1::AlertRecordsResponse> HubClient::AlertRecords(const OnBehalfOf& who, const std::string& alert_id) {
  v1::AlertRecordsRequest request;
  request.set_alert_id(alert_id);
  return Ask<v1::AlertRecordsResponse>([&](auto* r) { return alerts_->GetAlertRecords(Context(who).get(), request, r); });
}

absl::StatusOr<v1::Alert> HubClient::ActOnAlert(const OnBehalfOf& who, const std::string& alert_id, bool close,
                                                const std::string& note) {
  v1::AlertActionRequest request;
  request.set_alert_id(alert_id);
  request.set_note(note);
  return Ask<v1::Alert>([&](auto* r) {
    return close ? alerts_->CloseAlert(Context(who).get(), request, r)
                 : alerts_->AcknowledgeAlert(Context(who).get(), request, r);
  });
}

absl::StatusOr<v1::ListProbableMatchesResponse> HubClient::Matches(const OnBehalfOf& who) {
  v1::ListProbableMatchesRequest request;
  request.set_page_size(500);
  v1::ListProbableMatchesResponse all;
  do {
    absl::StatusOr<v1::ListProbableMatchesResponse> page = Ask<v1::ListProbableMatchesResponse>(
        [&](auto* r) { return identity_->ListProbableMatches(Context(who).get(), request, r); });
    if (!page.ok()) return page.status();
    for (auto& m : *page->mutable_matches()) *all.add_matches() = std::move(m);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return all;
}

absl::StatusOr<v1::DecideMatchResponse> HubClient::Decide(const OnBehalfOf& who, const v1::DecideMatchRequest& request) {
  return Ask<v1::DecideMatchResponse>([&](auto* r) { return identity_->DecideMatch(Context(who).get(), request, r); });
}

absl::StatusOr<v1::ListAccessResponse> HubClient::Access(const OnBehalfOf& who, const v1::ListAccessRequest& request) {
  return Ask<v1::ListAccessResponse>([&](auto* r) { return audit_->ListAccess(Context(who).get(), request, r); });
}

absl::StatusOr<v1::VerifyAccessLogResponse> HubClient::VerifyLog(const OnBehalfOf& who) {
  return Ask<v1::VerifyAccessLogResponse>(
      [&](auto* r) { return audit_->VerifyAccessLog(Context(who).get(), v1::VerifyAccessLogRequest(), r); });
}

absl::Status HubClient::StreamAlerts(const OnBehalfOf& who, const v1::StreamAlertsRequest& request,
                                     const std::function<bool(const v1::AlertUpdate&)>& on_update,
                                     const std::function<bool()>& cancelled) {
  grpc::ClientContext context;  // no deadline: it lasts as long as the page is open
  context.AddMetadata("authorization", "Bearer " + who.token);
  context.AddMetadata(security::kPurposeHeader, who.purpose);
  context.AddMetadata(security::kLawfulBasisHeader, who.lawful_basis);
  std::atomic<bool> done{false};
  // The reader blocks until an update comes: a watcher cancels it when the browser has gone.
  std::thread watcher([&] {
    while (!done) {
      if (cancelled()) {
        context.TryCancel();
        return;
      }
      absl::SleepFor(absl::Milliseconds(500));
    }
  });
  auto reader = alerts_->StreamAlerts(&context, request);
  v1::AlertUpdate update;
  bool keep_going = true;
  while (keep_going && reader->Read(&update)) keep_going = on_update(update);
  if (!keep_going) context.TryCancel();
  const grpc::Status status = reader->Finish();
  done = true;
  watcher.join();
  return keep_going ? FromGrpcStatus(status) : absl::OkStatus();
}

absl::StatusOr<v1::ListReportsResponse> HubClient::ListReports(const OnBehalfOf& who) {
  return Ask<v1::ListReportsResponse>(
      [&](auto* r) { return reports_->ListReports(Context(who).get(), v1::ListReportsRequest(), r); });
}

absl::StatusOr<v1::Report> HubClient::RunReport(const OnBehalfOf& who, const v1::RunReportRequest& request) {
  return Ask<v1::Report>([&](auto* r) { return reports_->RunReport(Context(who, kReportDeadline).get(), request, r); });
}

absl::StatusOr<v1::StatutoryReturn> HubClient::RunReturn(const OnBehalfOf& who,
                                                         const v1::RunStatutoryReturnRequest& request) {
  return Ask<v1::StatutoryReturn>(
      [&](auto* r) { return reports_->RunStatutoryReturn(Context(who, kReportDeadline).get(), request, r); });
}

absl::StatusOr<v1::ListRulesResponse> HubClient::ListRules(const OnBehalfOf& who) {
  return Ask<v1::ListRulesResponse>([&](auto* r) { return rules_->ListRules(Context(who).get(), {}, r); });
}

absl::StatusOr<v1::WhatIfResponse> HubClient::WhatIf(const OnBehalfOf& who, const v1::WhatIfRequest& request) {
  return Ask<v1::WhatIfResponse>([&](auto* r) { return rules_->WhatIf(Context(who, kReportDeadline).get(), request, r); });
}

}  // namespace homeward::web
