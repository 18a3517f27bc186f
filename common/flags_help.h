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

#include <algorithm>
#include <cstddef>
#include <cstdlib>
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
// `own_source`, e.g. "services/ingest/") and the shared Kafka, security, logging and metrics
// flags (those a program links in). `--helpfull`
// lists every flag linked in, Abseil's and gRPC's included. ParseCommandLineWithHelp calls it;
// call it directly only before absl::ParseCommandLine. `own_source` must outlive the program (a
// literal).
inline void ListFlagsInHelp(absl::string_view own_source) {
  static absl::string_view own;
  own = own_source;
  absl::FlagsUsageConfig config;
  config.contains_help_flags = [](absl::string_view path) {
    return absl::StrContains(path, own) || absl::StrContains(path, "common/kafka/kafka_flags") ||
           absl::StrContains(path, "common/security/security_flags") || absl::StrContains(path, "common/logging") ||
           absl::StrContains(path, "common/metrics/metrics_flags");
  };
  config.contains_helpshort_flags = config.contains_help_flags;
  absl::SetFlagsUsageConfig(config);
}

// As absl::ParseCommandLine (returns the positional arguments, argv[0] first; an unknown flag
// or an unreadable value is reported and the program exits with status 1), except that a flag's
// name may be written with dashes for underscores (`--dry-run` is `--dry_run`), and for the help
// flags: `--help`, `-h` and `--helpshort` print the usage message and the program's flags (see
// ListFlagsInHelp), `--helpfull` every flag, `--help=S` the flags whose name, meaning or file
// contains S; each to standard output, then the program exits with status 0.
// REQUIRES: absl::SetProgramUsageMessage() was called. `own_source` must outlive the program.
inline std::vector<char*> ParseCommandLineWithHelp(int argc, char** argv, absl::string_view own_source) {
  ListFlagsInHelp(own_source);
  // The arguments as Abseil reads them; they outlive this call (positional ones are returned).
  static auto* storage = new std::vector<std::string>(argv, argv + argc);
  std::vector<char*> args;
  bool positional_only = false;
  for (size_t i = 0; i < storage->size(); ++i) {
    std::string& arg = (*storage)[i];
    if (i > 0 && !positional_only) {
      if (arg == "--") {
        positional_only = true;  // what follows is positional
      } else if (arg == "-h") {
        arg = "--help";
      } else if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
        // --dry-run is --dry_run: a flag's name may be written with dashes.
        std::replace(arg.begin() + 2, arg.begin() + static_cast<std::ptrdiff_t>(std::min(arg.find('='), arg.size())),
                     '-', '_');
      }
    }
    args.push_back(arg.data());
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
