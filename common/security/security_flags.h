// File: security_flags.h
//
// The flags every Homeward server shares (docs/security.md):
//   --tls_dir    mutual TLS files (deploy/dev-credentials.sh layout; default run/credentials)
//   --access     the access configuration (default config/access.json)
//   --token_key  the key that signs people's tokens (default <tls_dir>/token.key)
//   --integrity_key  the key that seals stored events and the access log (default
//                <tls_dir>/integrity.key; the aggregator requires it, push ingest does not use it)
#ifndef HOMEWARD_COMMON_SECURITY_SECURITY_FLAGS_H_
#define HOMEWARD_COMMON_SECURITY_SECURITY_FLAGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/access/access_config.h"

namespace homeward::security {

struct ServerSecurity {
  std::string tls_dir;
  access::AccessConfig access;
  std::string token_key;
  std::string integrity_key;  // "" if the file is absent
};

// Loads what the flags name; errors name the file and what is wrong with it.
absl::StatusOr<ServerSecurity> ServerSecurityFromFlags();

}  // namespace homeward::security

#endif  // HOMEWARD_COMMON_SECURITY_SECURITY_FLAGS_H_
