#include "common/security/security_flags.h"

#include "absl/flags/flag.h"
#include "common/security/token.h"

ABSL_FLAG(std::string, tls_dir, "run/credentials",
          "Mutual TLS files: ca.pem, server.{pem,key} (deploy/dev-credentials.sh makes development ones)");
ABSL_FLAG(std::string, access, "config/access.json", "Access configuration: systems, lawful bases, masks");
ABSL_FLAG(std::string, token_key, "", "Key that signs people's tokens (default <tls_dir>/token.key)");
ABSL_FLAG(std::string, integrity_key, "",
          "Key that seals stored events and the access log (default <tls_dir>/integrity.key)");

namespace homeward::security {

absl::StatusOr<ServerSecurity> ServerSecurityFromFlags() {
  ServerSecurity security{.tls_dir = absl::GetFlag(FLAGS_tls_dir)};
  absl::StatusOr<access::AccessConfig> config = access::LoadAccessConfig(absl::GetFlag(FLAGS_access));
  if (!config.ok()) return config.status();
  security.access = *std::move(config);
  std::string key_path = absl::GetFlag(FLAGS_token_key);
  if (key_path.empty()) key_path = security.tls_dir + "/token.key";
  absl::StatusOr<std::string> key = LoadTokenKey(key_path);
  if (!key.ok()) return key.status();
  security.token_key = *std::move(key);
  std::string integrity_path = absl::GetFlag(FLAGS_integrity_key);
  const bool named = !integrity_path.empty();
  if (!named) integrity_path = security.tls_dir + "/integrity.key";
  absl::StatusOr<std::string> integrity = LoadTokenKey(integrity_path);  // the same form: 32+ bytes of hex
  if (integrity.ok()) {
    security.integrity_key = *std::move(integrity);
  } else if (named || !absl::IsNotFound(integrity.status())) {
    return integrity.status();
  }
  return security;
}

}  // namespace homeward::security
