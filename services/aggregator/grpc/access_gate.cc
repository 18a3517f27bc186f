#include "services/aggregator/grpc/access_gate.h"

#include "absl/strings/str_cat.h"
#include "common/grpc/status.h"
#include "common/logging.h"
#include "common/text.h"
#include "services/aggregator/grpc/conversions.h"

namespace homeward::aggregator {

std::string OutcomeText(const absl::Status& status) {
  if (status.ok()) return "OK";
  return Printable(absl::StrCat(absl::StatusCodeToString(status.code()), ": ", status.message()), kLoggedDetailBytes);
}

absl::StatusOr<security::Caller> AccessGate::Admit(const grpc::ServerContextBase& context, access::Action action,
                                                   absl::string_view method) {
  absl::StatusOr<security::Caller> caller = authenticator_.Admit(context, action);
  if (caller.ok()) {
    caller->peer = context.peer();
    return caller;
  }
  // A refusal is a decision not to share: on the record with whatever is known of the caller.
  // (Unauthenticated callers are logged with an empty subject and their network peer.)
  security::Caller refused{.peer = context.peer()};
  if (absl::StatusOr<access::Principal> who = authenticator_.Authenticate(context); who.ok()) {
    refused.principal = *std::move(who);
  }
  (void)Record(refused, action, method, "", "", caller.status());
  return caller.status();
}

absl::StatusOr<ChildId> AccessGate::SeeChild(const security::Caller& caller, access::Action action,
                                             absl::string_view method, const std::string& child) {
  // The same answer for a child the hub does not hold and one the caller may not see.
  const absl::Status not_found =
      absl::NotFoundError(absl::StrCat("no child you may see is named ", Printable(child, kLoggedIdBytes)));
  absl::StatusOr<ChronologyStore::Scope> scope = store_.ScopeOf(child, home_authority_, agencies());
  if (!scope.ok()) {
    (void)Record(caller, action, method, "", absl::StrCat("asked for ", child.substr(0, kLoggedIdBytes),
                                                          child.size() > kLoggedIdBytes ? "…[cut]" : ""),
                 scope.status());
    return absl::IsNotFound(scope.status()) ? not_found : scope.status();
  }
  const absl::Status allowed = access::CanSeeChild(caller.principal, scope->authorities);
  if (!allowed.ok()) {
    (void)Record(caller, action, method, scope->child_id.value(), "", allowed);
    return caller.principal.role == access::Role::kCoordinator ? not_found : allowed;
  }
  return scope->child_id;
}

grpc::ServerUnaryReactor* AccessGate::Answer(grpc::CallbackServerContext* context, google::protobuf::Message* response,
                                             const security::Caller& caller, access::Action action,
                                             absl::string_view method, const std::string& child_id, std::string detail,
                                             const absl::Status& outcome) {
  if (absl::Status logged = Record(caller, action, method, child_id, std::move(detail), outcome); !logged.ok()) {
    response->Clear();
    return FinishUnary(context, logged);
  }
  return FinishUnary(context, outcome);
}

std::vector<access::MaskRule> AccessGate::MasksFor(const access::Principal& reader) const {
  std::vector<access::MaskRule> rules = access::MasksFor(authenticator_.config(), reader);
  // Asked with no episodes, the rule lets only the carers read.
  if (!MayReadPhilomenaProfile(PhilomenaReaderOf(reader), {}, clock_.Now()).ok()) {
    rules.push_back({.field = std::string(kPhilomenaField)});
  }
  return rules;
}

PhilomenaReader AccessGate::PhilomenaReaderOf(const access::Principal& reader) const {
  const AgencyEntry* agency = reader.agency.empty() ? nullptr : agencies().Find(reader.agency);
  return {.agency = reader.agency, .agency_kind = agency == nullptr ? AgencyKind::kUnspecified : agency->kind};
}

bool AccessGate::MaySee(const security::Caller& caller, const ChildId& child_id) const {
  absl::StatusOr<ChronologyStore::Scope> scope = store_.ScopeOf(child_id.value(), home_authority_, agencies());
  return scope.ok() && access::CanSeeChild(caller.principal, scope->authorities).ok();
}

absl::Status AccessGate::Record(const security::Caller& caller, access::Action action, absl::string_view method,
                                const std::string& child_id, std::string detail, const absl::Status& outcome) {
  const access::Principal& p = caller.principal;
  AccessEntry entry{.at = clock_.Now(),
                    .subject = p.subject,
                    .role = p.subject.empty() ? "" : std::string(access::RoleName(p.role)),
                    .agency = p.agency,
                    .authority = p.authority,
                    .team = p.team,
                    .client = p.client,
                    .peer = caller.peer,
                    .action = std::string(access::ActionName(action)),
                    .method = std::string(method),
                    .child_id = Printable(child_id, kLoggedIdBytes),
                    .detail = Printable(detail, kLoggedDetailBytes),
                    .purpose = Printable(caller.purpose, kLoggedDetailBytes),
                    .lawful_basis = caller.lawful_basis,
                    .outcome = OutcomeText(outcome)};
  const std::string action_name = entry.action;
  absl::StatusOr<AccessEntry> appended = log_.Append(std::move(entry));
  if (!appended.ok()) {
    metrics_.GetCounter("homeward_access_log_failures_total", "Access log entries that could not be written").Increment();
    log::Error("access log: {}", appended.status().ToString());
    return absl::UnavailableError("the access log cannot be written, so nothing is disclosed; try again");
  }
  metrics_
      .GetCounter("homeward_access_decisions_total", "Access decisions on the access log, by action and outcome",
                  {{"action", action_name}, {"outcome", absl::StatusCodeToString(outcome.code())}})
      .Increment();
  return absl::OkStatus();
}

}  // namespace homeward::aggregator
