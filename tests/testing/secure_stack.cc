#include "tests/testing/secure_stack.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/security/authenticator.h"
#include "common/security/tls.h"
#include "tests/testing/events.h"

namespace homeward::testing {
namespace {

const std::string kRoot = HOMEWARD_SOURCE_DIR;

void MakeCredentials(const std::string& dir) {
  const std::string command =
      absl::StrCat("bash ", kRoot, "/deploy/dev-credentials.sh ", dir,
                   " homeward-cli duty.missing-children-duty police.west-midlands police.warwickshire health.coventry-ed "
                   "police.test police.other "
                   "duty.other-team");
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "dev-credentials.sh failed: " << command;
  }
}

}  // namespace

const TestPki& Pki() {
  static const TestPki* pki = [] {
    auto* p = new TestPki;
    const std::string base = absl::StrCat(::testing::TempDir(), "/homeward-pki-", getpid());
    std::filesystem::remove_all(base);
    p->dir = base + "/hub";
    p->other_dir = base + "/other";
    MakeCredentials(p->dir);
    MakeCredentials(p->other_dir);
    absl::StatusOr<std::string> key = security::LoadTokenKey(p->dir + "/token.key");
    if (!key.ok()) ADD_FAILURE() << key.status();
    p->token_key = key.value_or("");
    return p;
  }();
  return *pki;
}

access::AccessConfig TestAccessConfig() {
  absl::StatusOr<access::AccessConfig> config = access::LoadAccessConfig(kRoot + "/config/access.json");
  if (!config.ok()) {
    ADD_FAILURE() << config.status();
    return {};
  }
  // The agencies the tests publish as, each of its TestAgencyKind; social care and the 903 return
  // of lcs.cov / ssda903.cov speak for coventry, lcs.warwickshire for warwickshire.
  for (const char* id : {"police.test", "police.other", "police.wm", "police.a", "police.b", "police.load", "home.oak",
                         "home.brook", "home.test", "rhi.cov", "rhi.test", "health.test", "education.test"}) {
    config->agencies.Register(id, {.kind = TestAgencyKind(id), .records = DefaultRecords(TestAgencyKind(id))});
  }
  for (const auto& [id, authority] : {std::pair{"lcs.cov", "coventry"}, {"lcs.test", "coventry"},
                                      {"ssda903.cov", "coventry"}, {"lcs.warwickshire", "warwickshire"}}) {
    config->agencies.Register(id, {.kind = TestAgencyKind(id), .authority = authority,
                                   .records = DefaultRecords(TestAgencyKind(id))});
  }
  config->systems["police.test"] = {.role = access::Role::kPublisher, .agency = "police.test"};
  config->systems["police.other"] = {.role = access::Role::kPublisher, .agency = "police.other"};
  config->systems["police.warwickshire"] = {.role = access::Role::kPublisher, .agency = "police.warwickshire"};
  config->systems["health.coventry-ed"] = {.role = access::Role::kPublisher, .agency = "health.coventry-ed"};
  config->systems["duty.other-team"] = {.role = access::Role::kDutyTeam, .authority = "coventry", .team = "other-team"};
  return *std::move(config);
}

aggregator::AggregatorOptions Secure(aggregator::AggregatorOptions options) {
  options.tls_dir = Pki().dir;
  options.access = TestAccessConfig();
  options.token_key = Pki().token_key;
  if (options.integrity_key.empty()) options.integrity_key = std::string(40, 'i');
  if (options.rules.default_authority.empty()) options.rules.default_authority = "coventry";
  return options;
}

std::shared_ptr<grpc::Channel> SecureChannel(int port, const std::string& client, const std::string& dir) {
  auto credentials = security::MutualTlsChannelCredentials(security::ClientFiles(dir.empty() ? Pki().dir : dir, client));
  if (!credentials.ok()) {
    ADD_FAILURE() << credentials.status();
    return nullptr;
  }
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), *credentials);
}

std::string TokenFor(access::Role role, const std::string& subject, absl::Time now, const std::string& authority,
                     const std::string& team, const std::string& agency) {
  absl::StatusOr<std::string> token = security::IssueToken({.subject = subject,
                                                            .role = role,
                                                            .agency = agency,
                                                            .authority = authority,
                                                            .team = team,
                                                            .issued_at = now,
                                                            .expires_at = now + absl::Hours(8)},
                                                           Pki().token_key);
  if (!token.ok()) ADD_FAILURE() << token.status();
  return token.value_or("");
}

std::string CoordinatorToken(absl::Time now) {
  return TokenFor(access::Role::kCoordinator, "cw-1", now, "coventry", "", "lcs.coventry");
}
std::string DutyToken(absl::Time now) {
  return TokenFor(access::Role::kDutyTeam, "duty-1", now, "coventry", "missing-children-duty");
}
std::string AuditorToken(absl::Time now) { return TokenFor(access::Role::kAuditor, "dpo-1", now, ""); }
std::string AdminToken(absl::Time now) { return TokenFor(access::Role::kAdministrator, "admin-1", now, ""); }

void AddCaller(grpc::ClientContext& context, const std::string& token, const std::string& purpose) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  context.AddMetadata(security::kPurposeHeader, purpose);
  context.AddMetadata(security::kLawfulBasisHeader, "dpa2018-sch1-para18");
}

}  // namespace homeward::testing
