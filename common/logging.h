// File: logging.h
//
// Homeward's one logging facade: spdlog, writing to standard error (never standard output,
// which belongs to a command's results) with a timestamp and level. Every binary and library
// logs through these functions, so the sink can change in one place.
//   homeward::log::Info("published {} rows", n);
// The embedded stack (deploy/run-embedded.sh) sends each service's standard error to
// run/<service>.log, so everything a service logs — rejections, start-up refusals — is there.
// Log lines never carry a child's name, date of birth or identifiers: log event ids and counts.
#ifndef HOMEWARD_COMMON_LOGGING_H_
#define HOMEWARD_COMMON_LOGGING_H_

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <string>
#include <utility>

namespace homeward::log {

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

// Sends every log line to standard error in the process-wide format (call once from main,
// before any thread logs): "<time> <level> [<component>] <message>". Colour only on a terminal.
inline void Init(const char* component) {
  auto logger = spdlog::stderr_color_mt(component);
  logger->set_pattern(std::string("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [") + component + "] %v");
  logger->flush_on(spdlog::level::info);  // a line is in the file before the next step starts
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace homeward::log

#endif  // HOMEWARD_COMMON_LOGGING_H_
