#include "common/security/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/file.h"

namespace homeward::security {
namespace {

using nlohmann::json;
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
  const json body = {{"sub", claims.subject},
                     {"role", std::string(access::RoleName(claims.role))},
                     {"agency", claims.agency},
                     {"authority", claims.authority},
                     {"team", claims.team},
                     {"iat", absl::ToUnixSeconds(claims.issued_at)},
                     {"exp", absl::ToUnixSeconds(claims.expires_at)}};
  const std::string signed_part = absl::StrCat(kPrefix, absl::WebSafeBase64Escape(body.dump()));
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
  const json body = json::parse(body_text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object() || !body.contains("sub") || !body["sub"].is_string() ||
      !body.contains("role") || !body["role"].is_string() || !body.contains("iat") ||
      !body["iat"].is_number_integer() || !body.contains("exp") || !body["exp"].is_number_integer()) {
    return Unauthenticated("malformed claims");
  }
  absl::StatusOr<access::Role> role = access::ParseRole(body["role"].get<std::string>());
  if (!role.ok()) return Unauthenticated(role.status().message());
  const auto text = [&](const char* k) { return body.contains(k) && body[k].is_string() ? body[k].get<std::string>() : ""; };
  TokenClaims claims{.subject = body["sub"].get<std::string>(),
                     .role = *role,
                     .agency = text("agency"),
                     .authority = text("authority"),
                     .team = text("team"),
                     .issued_at = absl::FromUnixSeconds(body["iat"].get<int64_t>()),
                     .expires_at = absl::FromUnixSeconds(body["exp"].get<int64_t>())};
  if (absl::Status s = CheckClaims(claims); !s.ok()) return Unauthenticated(s.message());
  if (claims.expires_at - claims.issued_at > max_lifetime) {
    return Unauthenticated(absl::StrCat("issued for longer than the allowed ", absl::FormatDuration(max_lifetime)));
  }
  if (now >= claims.expires_at) return Unauthenticated("expired");
  if (claims.issued_at > now + absl::Minutes(5)) return Unauthenticated("issued in the future");
  return claims;
}

absl::StatusOr<std::string> LoadTokenKey(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path, "the token key");
  if (!text.ok()) return text.status();
  std::string key(absl::StripAsciiWhitespace(*text));
  if (key.size() < 32) return absl::InvalidArgumentError(absl::StrCat(path, ": a token key has at least 32 bytes"));
  return key;
}

}  // namespace homeward::security
