// homeward-token: issues a person's access token with the partnership's token key. In the
// embedded default, `make run` uses it to give the demo people tokens; in production the
// partnership's identity service does this job (docs/security.md).
//
//   homeward-token --key=run/credentials/token.key --subject=cw-1042 --role=coordinator \
//       --authority=coventry [--agency=lcs.coventry] [--team=...] [--hours=8] > cw-1042.token
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/access/access_config.h"
#include "common/flags_help.h"
#include "common/security/token.h"

ABSL_FLAG(std::string, key, "run/credentials/token.key", "The token signing key");
ABSL_FLAG(std::string, subject, "", "The person's user id (never their name)");
ABSL_FLAG(std::string, role, "", "coordinator, duty_team, auditor, administrator or report_viewer");
ABSL_FLAG(std::string, agency, "", "The agency they work for");
ABSL_FLAG(std::string, authority, "", "Coordinators: the local authority whose children they may see");
ABSL_FLAG(std::string, team, "", "Duty teams: the team whose alerts they receive");
ABSL_FLAG(double, hours, 8, "Lifetime (more than 0, at most the access configuration's max_token_lifetime_hours)");
ABSL_FLAG(std::string, access, "",
          "The hub's access configuration (config/access.json), for its max_token_lifetime_hours "
          "(without it: the default, 12 hours)");

int main(int argc, char** argv) {
  using namespace homeward;
  absl::SetProgramUsageMessage("homeward-token --subject=ID --role=ROLE [--authority=A] [--team=T] [--hours=H]");
  ParseCommandLineWithHelp(argc, argv, "services/cli/token_main");
  absl::StatusOr<std::string> key = security::LoadTokenKey(absl::GetFlag(FLAGS_key));
  absl::StatusOr<access::Role> role = access::ParseRole(absl::GetFlag(FLAGS_role));
  if (!key.ok() || !role.ok()) {
    std::cerr << "error: " << (key.ok() ? role.status() : key.status()).message() << "\n";
    return 2;
  }
  // A token the hub would refuse is refused here, where the mistake is made.
  access::AccessConfig defaults;
  absl::StatusOr<access::AccessConfig> config = defaults;
  if (const std::string path = absl::GetFlag(FLAGS_access); !path.empty()) config = access::LoadAccessConfig(path);
  if (!config.ok()) {
    std::cerr << "error: " << config.status().message() << "\n";
    return 2;
  }
  const absl::Duration lifetime = absl::Seconds(absl::GetFlag(FLAGS_hours) * 3600);
  if (lifetime <= absl::ZeroDuration() || lifetime > config->max_token_lifetime) {
    std::cerr << "error: --hours must be more than 0 and at most "
              << absl::ToDoubleHours(config->max_token_lifetime)
              << " (the access configuration's max_token_lifetime_hours); the hub refuses longer tokens\n";
    return 2;
  }
  const absl::Time now = absl::Now();
  absl::StatusOr<std::string> token =
      security::IssueToken({.subject = absl::GetFlag(FLAGS_subject),
                            .role = *role,
                            .agency = absl::GetFlag(FLAGS_agency),
                            .authority = absl::GetFlag(FLAGS_authority),
                            .team = absl::GetFlag(FLAGS_team),
                            .issued_at = now,
                            .expires_at = now + lifetime},
                           *key);
  if (!token.ok()) {
    std::cerr << "error: " << token.status().message() << "\n";
    return 2;
  }
  std::cout << *token << "\n";
  return 0;
}
