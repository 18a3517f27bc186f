#include "services/aggregator/grpc/account_service.h"

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/grpc/status.h"

namespace homeward::aggregator {

grpc::ServerUnaryReactor* AccountService::WhoAmI(grpc::CallbackServerContext* context, const v1::WhoAmIRequest*,
                                                 v1::WhoAmIResponse* response) {
  constexpr char kMethod[] = "WhoAmI";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, access::Action::kWhoAmI, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  const access::Principal& p = caller->principal;
  response->set_subject(p.subject);
  response->set_role(std::string(access::RoleName(p.role)));
  response->set_agency(p.agency);
  response->set_authority(p.authority);
  response->set_team(p.team);
  if (p.expires_at != absl::InfiniteFuture()) *response->mutable_expires_at() = ToProtoTime(p.expires_at);
  for (const auto& [code, description] : lawful_bases_) (*response->mutable_lawful_bases())[code] = description;
  return gate_.Answer(context, response, *caller, access::Action::kWhoAmI, kMethod, "",
                      absl::StrCat("signed in through ", p.client), absl::OkStatus());
}

}  // namespace homeward::aggregator
