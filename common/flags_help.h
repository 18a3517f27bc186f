// File: flags_help.h
//
// Command lines for Homeward programs: `--help` (or `-h`) prints the program's usage message and
// the flags it really takes, each with its meaning and default, on standard output, and exits
// with status 0. Two Abseil 20220623 defaults are corrected here:
//  - it lists only flags defined in a file named after the binary, which in this tree is none
//    (`--help` printed one line and "No flags matched");
//  - it exits with status 1 after any help flag, so a script asking for help saw a failure.
//
//   int main(int argc, char** argv) {
//     absl::SetProgramUsageMessage("Publishes an agency export to Homeward. ...");
//     std::vector<char*> args = homeward::ParseCommandLineWithHelp(argc, argv, "services/adapters/import/");
//
// Header only: every binary links absl::flags_parse and absl::flags_usage already.
#ifndef HOMEWARD_COMMON_FLAGS_HELP_H_
#define HOMEWARD_COMMON_FLAGS_HELP_H_

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/internal/parse.h"
#include "absl/flags/internal/usage.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace homeward {

// Makes `--help` list the program's own flags (those defined in a file whose path contains
// `own_source`, e.g. "services/ingest/") and the shared Kafka and security flags. `--helpfull`
// lists every flag linked in, Abseil's and gRPC's included. ParseCommandLineWithHelp calls it;
// call it directly only before absl::ParseCommandLine. `own_source` must outlive the program (a
// literal).
inline void ListFlagsInHelp(absl::string_view own_source) {
  static absl::string_view own;
  own = own_source;
  absl::FlagsUsageConfig config;
  config.contains_help_flags = [](absl::string_view path) {
    return absl::StrContains(path, own) || absl::StrContains(path, "common/kafka/kafka_flags") ||
           absl::StrContains(path, "common/security/security_flags");
  };
  config.contains_helpshort_flags = config.contains_help_flags;
  absl::SetFlagsUsageConfig(config);
}

// As absl::ParseCommandLine (returns the positional arguments, argv[0] first; an unknown flag
// or an unreadable value is reported and the program exits with status 1), except for the help
// flags: `--help`, `-h` and `--helpshort` print the usage message and the program's flags (see
// ListFlagsInHelp), `--helpfull` every flag, `--helpmatch=S` the flags whose file or name
// contains S; each to standard output, then the program exits with status 0.
// REQUIRES: absl::SetProgramUsageMessage() was called. `own_source` must outlive the program.
inline std::vector<char*> ParseCommandLineWithHelp(int argc, char** argv, absl::string_view own_source) {
  ListFlagsInHelp(own_source);
  static char kHelp[] = "--help";
  std::vector<char*> args(argv, argv + argc);
  for (size_t i = 1; i < args.size(); ++i) {
    if (std::strcmp(args[i], "--") == 0) break;  // what follows is positional
    if (std::strcmp(args[i], "-h") == 0) args[i] = kHelp;
  }
  namespace fi = absl::flags_internal;
  std::vector<char*> positional =
      fi::ParseCommandLineImpl(static_cast<int>(args.size()), args.data(), fi::ArgvListAction::kRemoveParsedArgs,
                               fi::UsageFlagsAction::kIgnoreUsage, fi::OnUndefinedFlag::kAbortIfUndefined);
  // -1: no usage flag was given. Otherwise help (or --version) was printed: asking for it is
  // not a failure.
  if (fi::HandleUsageFlags(std::cout, absl::ProgramUsageMessage()) != -1) {
    std::cout.flush();
    std::exit(0);
  }
  return positional;
}

}  // namespace homeward

#endif  // HOMEWARD_COMMON_FLAGS_HELP_H_
