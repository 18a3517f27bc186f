#include "common/security/tls.h"

#include "common/file.h"

namespace homeward::security {
namespace {

struct Pems {
  std::string ca, cert, key;
};

absl::StatusOr<Pems> ReadAll(const TlsFiles& files) {
  Pems pems;
  for (auto [path, out] : {std::pair{&files.ca, &pems.ca}, {&files.cert, &pems.cert}, {&files.key, &pems.key}}) {
    absl::StatusOr<std::string> pem = ReadWholeFile(*path);
    if (!pem.ok()) return pem.status();
    *out = *std::move(pem);
  }
  return pems;
}

}  // namespace

TlsFiles ServerFiles(const std::string& dir) {
  return {.ca = dir + "/ca.pem", .cert = dir + "/server.pem", .key = dir + "/server.key"};
}

TlsFiles ClientFiles(const std::string& dir, const std::string& subject) {
  return {.ca = dir + "/ca.pem", .cert = dir + "/clients/" + subject + ".pem", .key = dir + "/clients/" + subject + ".key"};
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MutualTlsServerCredentials(const TlsFiles& files) {
  absl::StatusOr<Pems> pems = ReadAll(files);
  if (!pems.ok()) return pems.status();
  grpc::SslServerCredentialsOptions options(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = pems->ca;
  options.pem_key_cert_pairs.push_back({.private_key = pems->key, .cert_chain = pems->cert});
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MutualTlsChannelCredentials(const TlsFiles& files) {
  absl::StatusOr<Pems> pems = ReadAll(files);
  if (!pems.ok()) return pems.status();
  return grpc::SslCredentials(
      {.pem_root_certs = pems->ca, .pem_private_key = pems->key, .pem_cert_chain = pems->cert});
}

}  // namespace homeward::security
