// File: token.h
//
// Access tokens for people. A person reaches the hub through software holding a client
// certificate (the `homeward` CLI, a case-management integration); each call carries the
// person's token, which says who they are, their role and where they work, until when.
//
//   hw1.<base64url(JSON claims)>.<base64url(HMAC-SHA256(key, "hw1." + claims part))>
//
// The partnership's identity service issues tokens with the shared key (in the embedded
// default, `homeward-token` with run/credentials/token.key); the hub only verifies them.
// Deliberately small (no JWT library in Debian's C++ set that we trust more than OpenSSL's
// HMAC); an OIDC provider can replace it behind Authenticator without touching services.
#ifndef HOMEWARD_COMMON_SECURITY_TOKEN_H_
#define HOMEWARD_COMMON_SECURITY_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/access/access_policy.h"

namespace homeward::security {

struct TokenClaims {
  std::string subject;  // the person's user id in their agency (never a name)
  access::Role role = access::Role::kCoordinator;
  std::string agency;
  std::string authority;
  std::string team;
  absl::Time issued_at;
  absl::Time expires_at;
};

// INVALID_ARGUMENT for claims no person can hold (a system role, no subject, expiry before
// issue, a coordinator without an authority, a duty team without a team).
absl::StatusOr<std::string> IssueToken(const TokenClaims& claims, absl::string_view key);

// UNAUTHENTICATED for anything but a well-formed token signed with `key`, issued for at most
// `max_lifetime` and not expired at `now` (the message says which).
absl::StatusOr<TokenClaims> VerifyToken(absl::string_view token, absl::string_view key, absl::Time now,
                                        absl::Duration max_lifetime);

// The signing key file (hex text, as deploy/dev-credentials.sh writes it); at least 32 bytes.
absl::StatusOr<std::string> LoadTokenKey(const std::string& path);

// A key for one purpose derived from a master key (HMAC-SHA256(master, purpose)), so one
// secret file serves several seals without one seal's key opening another.
std::string DeriveKey(absl::string_view master, absl::string_view purpose);

}  // namespace homeward::security

#endif  // HOMEWARD_COMMON_SECURITY_TOKEN_H_
