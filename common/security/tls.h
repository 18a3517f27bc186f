// File: tls.h
//
// Mutual TLS for every gRPC listener and client. Servers require a client certificate signed by
// the partnership's CA and verify it (GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY),
// so a caller without one never gets past the handshake. The files follow the layout that
// deploy/dev-credentials.sh writes:
//   DIR/ca.pem, DIR/server.{pem,key}, DIR/clients/<subject>.{pem,key}
#ifndef HOMEWARD_COMMON_SECURITY_TLS_H_
#define HOMEWARD_COMMON_SECURITY_TLS_H_

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace homeward::security {

struct TlsFiles {
  std::string ca;    // PEM: the CA that signs the other side's certificate
  std::string cert;  // PEM: our certificate
  std::string key;   // PEM: our private key
};

TlsFiles ServerFiles(const std::string& dir);
TlsFiles ClientFiles(const std::string& dir, const std::string& subject);

// NOT_FOUND naming the file that cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MutualTlsServerCredentials(const TlsFiles& files);
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MutualTlsChannelCredentials(const TlsFiles& files);

}  // namespace homeward::security

#endif  // HOMEWARD_COMMON_SECURITY_TLS_H_
