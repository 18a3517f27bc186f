// homeward: the coordinators' command line.
//
//   homeward chronology <child> [--from=T] [--to=T] [--agency=A,..] [--kind=K,..]
//   homeward episodes <child>          homeward profile <child>
//   homeward search <identifier | FAMILY,GIVEN,YYYY-MM-DD>
//   homeward matches                   homeward link|separate <id> <id> --reason=...
//   homeward alerts [--follow] [--team=T] [--authority=A]   homeward ack|close <alert> [--reason=]
//   homeward access [--child=C] [--subject=S]   homeward verify-log   homeward purge <child> --reason=
//   homeward status   homeward gaps [accept <topic>/<partition> --reason=]
//   homeward health
// Every command takes --json (for scripts), --server (default $HOMEWARD_SERVER or
// 127.0.0.1:50151) and --tz; and the caller's credentials (mutual TLS, a person's token, the
// purpose and lawful basis of the access: cli_common.h, docs/security.md). <child> is any identifier an agency uses
// ("police:west-midlands/PP-100231", "nhs:9990001011", "la:coventry/LA-7003", "upn:...") or a
// Homeward child id. Exit status: 0 ok, 4 not found, 2 usage, 1 other errors.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "services/cli/commands.h"

int main(int argc, char** argv) {
  using namespace homeward::cli;
  absl::SetProgramUsageMessage(
      "homeward chronology|episodes|profile <child> [--json]\n"
      "homeward search <identifier | FAMILY,GIVEN,YYYY-MM-DD>\n"
      "homeward matches\n"
      "homeward link|separate <identifier> <identifier> --reason=<why>\n"
      "homeward alerts [--follow] [--team=T] [--authority=A] [--open]\n"
      "homeward ack|close <alert id> [--reason=<note>]\n"
      "homeward access [--child=C] [--subject=S]      (auditors; coordinators for one child)\n"
      "homeward verify-log                            (auditors)\n"
      "homeward purge <child> --reason=<why>          (administrators)\n"
      "homeward status                                (administrators, auditors: ingestion, gaps)\n"
      "homeward gaps [accept <topic>/<partition> --reason=<why>]   (administrators)\n"
      "homeward health\n"
      "credentials: --tls_dir --client --token_file --purpose --lawful_basis (or HOMEWARD_* variables)\n"
      "<child> is e.g. police:west-midlands/PP-100231, nhs:9990001011, la:coventry/LA-7003");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string command = args.size() > 1 ? args[1] : "";
  if (args.size() == 3) {
    if (command == "chronology") return Chronology(args[2]);
    if (command == "episodes") return Episodes(args[2]);
    if (command == "profile") return Profile(args[2]);
    if (command == "search") return Search(args[2]);
  }
  if (args.size() == 4 && (command == "link" || command == "separate")) return Decide(args[2], args[3], command == "link");
  if (args.size() == 2 && command == "matches") return Matches();
  if (args.size() == 2 && command == "health") return Health();
  if (args.size() == 2 && command == "alerts") return Alerts();
  if (args.size() == 3 && (command == "ack" || command == "close")) return ActOnAlert(args[2], command == "close");
  if (args.size() == 2 && command == "access") return Access();
  if (args.size() == 2 && command == "verify-log") return VerifyLog();
  if (args.size() == 3 && command == "purge") return Purge(args[2]);
  if (args.size() == 2 && command == "status") return Status();
  if (args.size() == 2 && command == "gaps") return Gaps();
  if (args.size() == 4 && command == "gaps" && std::string(args[2]) == "accept") return AcceptGap(args[3]);
  std::cerr << absl::ProgramUsageMessage() << "\n";
  return 2;
}
