// File: authenticator.h
//
// Who is calling, and may they: every gRPC handler starts with Admit(context, action).
//   - The transport has already required and verified a client certificate (tls.h); its
//     subject must be a system in the access configuration.
//   - A people_client certificate must carry a person's token ("authorization: Bearer hw1...");
//     the person is then the caller. Other systems act as themselves (no token).
//   - The role must allow the action (access_policy.h), and an action that discloses a child's
//     information needs a purpose ("homeward-purpose") and a configured lawful basis
//     ("homeward-lawful-basis"): golden rule 7 asks for both on the record.
// UNAUTHENTICATED when the caller cannot be established, PERMISSION_DENIED when they may not,
// INVALID_ARGUMENT when purpose or lawful basis is missing or unknown.
//
// Thread safety: const after construction; safe from any thread.
#ifndef HOMEWARD_COMMON_SECURITY_AUTHENTICATOR_H_
#define HOMEWARD_COMMON_SECURITY_AUTHENTICATOR_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/statusor.h"
#include "common/access/access_config.h"
#include "common/clock.h"

namespace homeward::security {

inline constexpr char kPurposeHeader[] = "homeward-purpose";
inline constexpr char kLawfulBasisHeader[] = "homeward-lawful-basis";

struct Caller {
  access::Principal principal;
  std::string purpose;       // as the caller gave it
  std::string lawful_basis;  // a code from the access configuration
  std::string peer;          // the network peer, for the access log
};

class Authenticator {
 public:
  // `clock` must outlive the authenticator.
  Authenticator(access::AccessConfig config, std::string token_key, const Clock& clock)
      : config_(std::move(config)), token_key_(std::move(token_key)), clock_(clock) {}

  absl::StatusOr<access::Principal> Authenticate(const grpc::ServerContextBase& context) const;
  // Authenticate, authorise `action`, and take the purpose and lawful basis if it needs them.
  absl::StatusOr<Caller> Admit(const grpc::ServerContextBase& context, access::Action action) const;

  const access::AccessConfig& config() const { return config_; }

 private:
  const access::AccessConfig config_;
  const std::string token_key_;
  const Clock& clock_;
};

}  // namespace homeward::security

#endif  // HOMEWARD_COMMON_SECURITY_AUTHENTICATOR_H_
