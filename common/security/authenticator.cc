#include "common/security/authenticator.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/security/token.h"

namespace homeward::security {
namespace {

std::string Metadata(const grpc::ServerContextBase& context, const char* key) {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find(key);
  return it == metadata.end() ? "" : std::string(it->second.data(), it->second.size());
}

}  // namespace

absl::StatusOr<access::Principal> Authenticator::Authenticate(const grpc::ServerContextBase& context) const {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  std::vector<grpc::string_ref> names;
  if (auth != nullptr && auth->IsPeerAuthenticated()) names = auth->FindPropertyValues("x509_common_name");
  if (names.size() != 1) return absl::UnauthenticatedError("no verified client certificate");
  const std::string client(names[0].data(), names[0].size());
  const auto system = config_.systems.find(client);
  if (system == config_.systems.end()) {
    return absl::UnauthenticatedError(absl::StrCat("certificate subject \"", client, "\" is not a known system"));
  }
  const std::string authorization = Metadata(context, "authorization");
  if (system->second.role != access::Role::kPeopleClient) {
    if (!authorization.empty()) {
      return absl::UnauthenticatedError(absl::StrCat(client, " is a system and acts as itself: send no token"));
    }
    return access::Principal{.subject = client,
                             .role = system->second.role,
                             .agency = system->second.agency,
                             .authority = system->second.authority,
                             .team = system->second.team,
                             .client = client};
  }
  if (!absl::StartsWith(authorization, "Bearer ")) {
    return absl::UnauthenticatedError(absl::StrCat("calls through ", client, " name a person: authorization: Bearer <token>"));
  }
  absl::StatusOr<TokenClaims> claims =
      VerifyToken(authorization.substr(7), token_key_, clock_.Now(), config_.max_token_lifetime);
  if (!claims.ok()) return claims.status();
  return access::Principal{.subject = claims->subject,
                           .role = claims->role,
                           .agency = claims->agency,
                           .authority = claims->authority,
                           .team = claims->team,
                           .client = client,
                           .expires_at = claims->expires_at};
}

absl::StatusOr<Caller> Authenticator::Admit(const grpc::ServerContextBase& context, access::Action action) const {
  absl::StatusOr<access::Principal> principal = Authenticate(context);
  if (!principal.ok()) return principal.status();
  if (absl::Status s = access::Authorize(*principal, action); !s.ok()) return s;
  Caller caller{.principal = *std::move(principal)};
  if (access::NeedsPurpose(action)) {
    caller.purpose = Metadata(context, kPurposeHeader);
    caller.lawful_basis = Metadata(context, kLawfulBasisHeader);
    if (caller.purpose.empty() || caller.purpose.size() > 500) {
      return absl::InvalidArgumentError(
          absl::StrCat("give the purpose of this access (", kPurposeHeader, " metadata, up to 500 characters)"));
    }
    if (!config_.lawful_bases.contains(caller.lawful_basis)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "give a lawful basis (", kLawfulBasisHeader, " metadata) from the access configuration",
          config_.lawful_bases.empty() ? "" : absl::StrCat(", e.g. ", config_.lawful_bases.begin()->first)));
    }
  }
  return caller;
}

}  // namespace homeward::security
