// File: flags_help.h
//
// `--help` for a Homeward program lists the flags it really takes: its own (defined in
// `own_source`, a path fragment such as "services/ingest/") and the shared Kafka and security
// flags. Abseil's default lists only flags from a file named after the binary, which in this
// tree is none, so `--help` printed one line and "No flags matched".
#ifndef HOMEWARD_COMMON_FLAGS_HELP_H_
#define HOMEWARD_COMMON_FLAGS_HELP_H_

#include <string>

#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace homeward {

// Call once, before absl::ParseCommandLine. `own_source` must outlive the program (a literal).
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

}  // namespace homeward

#endif  // HOMEWARD_COMMON_FLAGS_HELP_H_
