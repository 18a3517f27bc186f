// File: logging.h
//
// Homeward's one logging facade: spdlog, writing to stderr with a timestamp and level. Every
// binary and library logs through these functions, so the sink can change in one place.
//   homeward::log::Info("published {} rows", n);
// Log lines never carry a child's name, date of birth or identifiers: log event ids and counts.
#ifndef HOMEWARD_COMMON_LOGGING_H_
#define HOMEWARD_COMMON_LOGGING_H_

#include <spdlog/spdlog.h>

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

// Sets the process-wide format (call once from main): "<time> <level> [<component>] <message>".
inline void Init(const char* component) {
  spdlog::set_pattern(std::string("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [") + component + "] %v");
}

}  // namespace homeward::log

#endif  // HOMEWARD_COMMON_LOGGING_H_
