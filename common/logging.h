// File: logging.h
//
// Homeward's one logging facade: spdlog, writing to standard error (never standard output,
// which belongs to a command's results), with a time, a level and the component. Every binary
// and library logs through these functions, so the sink and format change in one place.
//   homeward::log::Info("published {} rows", n);
//
// Two formats (Init reads --log_format, else $HOMEWARD_LOG_FORMAT):
//   text (default)  2026-10-01T09:00:00.123 info [aggregator] replayed 1200 event(s) ...
//                   colour on a terminal, plain in a file;
//   json            one object per line, for journald and log shippers:
//                   {"time":"2026-10-01T08:00:00.123Z","level":"info","component":"aggregator",
//                    "msg":"replayed 1200 event(s) ...","thread":4242}
// Levels: debug, info, warn, error (--log_level, else $HOMEWARD_LOG_LEVEL; default info).
// librdkafka's and gRPC's own messages are sent through here too (common/kafka/client_config.h,
// common/grpc/logging.h), so a JSON log holds nothing else.
//
// The embedded stack (deploy/run-embedded.sh) sends each service's standard error to
// run/<service>.log; systemd sends it to the journal (docs/operations.md).
// Log lines never carry a token or a child's personal data: no names, dates of birth or child
// identifiers (child ids included). Log counts, log positions (topic/partition@offset) and ids
// of agencies' records (event ids, alert ids: they name a record in an agency's system, not a
// child); the access log is where who looked at which child is kept (docs/operations.md).
#ifndef HOMEWARD_COMMON_LOGGING_H_
#define HOMEWARD_COMMON_LOGGING_H_

#include <spdlog/spdlog.h>

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace homeward::log {

template <typename... Args>
void Debug(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  spdlog::debug(fmt, std::forward<Args>(args)...);
}
template <typename... Args>
void Info(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  spdlog::info(fmt, std::forward<Args>(args)...);
}
template <typename... Args>
void Warn(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  spdlog::warn(fmt, std::forward<Args>(args)...);
}
template <typename... Args>
void Error(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  spdlog::error(fmt, std::forward<Args>(args)...);
}

enum class Format { kText, kJson };

struct LogOptions {
  Format format = Format::kText;
  spdlog::level::level_enum level = spdlog::level::info;
};

// The options from --log_format/--log_level, else $HOMEWARD_LOG_FORMAT/$HOMEWARD_LOG_LEVEL.
// INVALID_ARGUMENT names a value that is none of the above.
absl::StatusOr<LogOptions> LogOptionsFromFlags();

// Sends every log line to standard error in the process-wide format (call once from main, after
// the flags are parsed and before any thread logs). A bad --log_format or --log_level is
// reported (in text) and the process exits with status 2, as for any bad flag.
void Init(const char* component);
// As above, with options given (tests).
void Init(const char* component, const LogOptions& options);

// One JSON log line (with its newline), as the json format writes it. Text that is not valid
// UTF-8 is kept readable: each bad byte becomes U+FFFD. Pure: for tests.
std::string JsonLine(absl::Time time, absl::string_view level, absl::string_view component, absl::string_view message,
                     size_t thread);

}  // namespace homeward::log

#endif  // HOMEWARD_COMMON_LOGGING_H_
