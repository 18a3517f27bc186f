#include "common/security/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/file.h"
#include "common/json/json.h"

namespace homeward::security {
namespace {

constexpr absl::string_view kPrefix = "hw1.";

std::string Mac(absl::string_view key, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

absl::Status CheckClaims(const TokenClaims& c) {
  using access::Role;
  if (c.subject.empty()) return absl::InvalidArgumentError("a token names its subject");
  if (c.role == Role::kPublisher || c.role == Role::kPeopleClient) {
    return absl::InvalidArgumentError(
        absl::StrCat("tokens are for people; ", access::RoleName(c.role), " is a system's role (certificate)"));
  }
  if (c.role == Role::kCoordinator && c.authority.empty()) {
    return absl::InvalidArgumentError("a coordinator's token names their authority");
  }
  if (c.role == Role::kDutyTeam && c.team.empty()) return absl::InvalidArgumentError("a duty team token names the team");
  if (c.expires_at <= c.issued_at) return absl::InvalidArgumentError("a token expires after it is issued");
  return absl::OkStatus();
}

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("access token: ", why));
}

}  // namespace

absl::StatusOr<std::string> IssueToken(const TokenClaims& claims, absl::string_view key) {
  if (absl::Status s = CheckClaims(claims); !s.ok()) return s;
  const std::string body = json::ObjectWriter()
                               .Set("sub", claims.subject)
                               .Set("role", access::RoleName(claims.role))
                               .Set("agency", claims.agency)
                               .Set("authority", claims.authority)
                               .Set("team", claims.team)
                               .Set("iat", absl::ToUnixSeconds(claims.issued_at))
                               .Set("exp", absl::ToUnixSeconds(claims.expires_at))
                               .Dump();
  const std::string signed_part = absl::StrCat(kPrefix, absl::WebSafeBase64Escape(body));
  return absl::StrCat(signed_part, ".", absl::WebSafeBase64Escape(Mac(key, signed_part)));
}

absl::StatusOr<TokenClaims> VerifyToken(absl::string_view token, absl::string_view key, absl::Time now,
                                        absl::Duration max_lifetime) {
  if (!absl::StartsWith(token, kPrefix)) return Unauthenticated("not a Homeward token");
  const size_t dot = token.rfind('.');
  if (dot <= kPrefix.size()) return Unauthenticated("malformed");
  const absl::string_view signed_part = token.substr(0, dot);
  std::string mac;
  if (!absl::WebSafeBase64Unescape(token.substr(dot + 1), &mac)) return Unauthenticated("malformed signature");
  const std::string expected = Mac(key, signed_part);
  if (mac.size() != expected.size() || CRYPTO_memcmp(mac.data(), expected.data(), mac.size()) != 0) {
    return Unauthenticated("signature does not verify");
  }
  std::string body_text;
  if (!absl::WebSafeBase64Unescape(signed_part.substr(kPrefix.size()), &body_text)) return Unauthenticated("malformed");
  absl::StatusOr<json::Document> doc = json::Document::Parse(body_text);
  if (!doc.ok()) return Unauthenticated("malformed claims");
  const json::Value body = doc->root();
  absl::StatusOr<std::string> subject = body.String("sub");
  absl::StatusOr<std::string> role_name = body.String("role");
  absl::StatusOr<int64_t> iat = body.Integer("iat");
  absl::StatusOr<int64_t> exp = body.Integer("exp");
  absl::StatusOr<std::string> agency = body.StringOr("agency", "");
  absl::StatusOr<std::string> authority = body.StringOr("authority", "");
  absl::StatusOr<std::string> team = body.StringOr("team", "");
  for (const absl::Status& s : {subject.status(), role_name.status(), iat.status(), exp.status(), agency.status(),
                                authority.status(), team.status()}) {
    if (!s.ok()) return Unauthenticated(absl::StrCat("malformed claims: ", s.message()));
  }
  absl::StatusOr<access::Role> role = access::ParseRole(*role_name);
  if (!role.ok()) return Unauthenticated(role.status().message());
  // Seconds far outside any real token's life would overflow absl::Time arithmetic below.
  constexpr int64_t kYear9999 = 253402300799;
  if (*iat < 0 || *iat > kYear9999 || *exp < 0 || *exp > kYear9999) return Unauthenticated("malformed claims: times");
  TokenClaims claims{.subject = *subject,
                     .role = *role,
                     .agency = *agency,
                     .authority = *authority,
                     .team = *team,
                     .issued_at = absl::FromUnixSeconds(*iat),
                     .expires_at = absl::FromUnixSeconds(*exp)};
  if (absl::Status s = CheckClaims(claims); !s.ok()) return Unauthenticated(s.message());
  if (claims.expires_at - claims.issued_at > max_lifetime) {
    return Unauthenticated(absl::StrCat("issued for longer than the allowed ", absl::FormatDuration(max_lifetime)));
  }
  if (now >= claims.expires_at) return Unauthenticated("expired");
  if (claims.issued_at > now + absl::Minutes(5)) return Unauthenticated("issued in the future");
  return claims;
}

std::string DeriveKey(absl::string_view master, absl::string_view purpose) { return Mac(master, purpose); }

absl::StatusOr<std::string> LoadTokenKey(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path, "the token key");
  if (!text.ok()) return text.status();
  std::string key(absl::StripAsciiWhitespace(*text));
  if (key.size() < 32) return absl::InvalidArgumentError(absl::StrCat(path, ": a token key has at least 32 bytes"));
  return key;
}

}  // namespace homeward::security
