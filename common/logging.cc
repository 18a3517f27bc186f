#include "common/logging.h"

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/text.h"

ABSL_FLAG(std::string, log_format, "",
          "Log lines on standard error as 'text' (readable) or 'json' (one object per line, for journald and log "
          "shippers); empty = $HOMEWARD_LOG_FORMAT, else text");
ABSL_FLAG(std::string, log_level, "",
          "The least important level logged: debug, info, warn or error; empty = $HOMEWARD_LOG_LEVEL, else info");

namespace homeward::log {
namespace {

// The length of the valid UTF-8 character at the start of `s`, or 0 if it is not one.
size_t Utf8Length(absl::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) > 0x9F)) return 0;  // overlong; surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if ((c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) > 0x8F)) return 0;  // overlong; past U+10FFFF
    return 4;
  }
  return 0;
}

void AppendJsonString(std::string& out, absl::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else if (c >= 0x80) {
      const size_t n = Utf8Length(s.substr(i));
      if (n == 0) {
        out += "\\ufffd";
        ++i;
        continue;
      }
      out.append(s.data() + i, n);
      i += n;
      continue;
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
}

absl::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    case spdlog::level::off:
    case spdlog::level::n_levels: break;
  }
  return "info";
}

absl::Time TimeOf(const spdlog::details::log_msg& msg) { return absl::FromChrono(msg.time); }

class JsonFormatter final : public spdlog::formatter {
 public:
  explicit JsonFormatter(std::string component) : component_(std::move(component)) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string line = JsonLine(TimeOf(msg), LevelName(msg.level), component_,
                                      absl::string_view(msg.payload.data(), msg.payload.size()), msg.thread_id);
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(component_); }

 private:
  const std::string component_;
};

// "<local time> <level> [<component>] <message>": the level coloured on a terminal, and the
// message's control characters escaped, so that no text can forge a line of its own.
class TextFormatter final : public spdlog::formatter {
 public:
  explicit TextFormatter(std::string component) : component_(std::move(component)) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string line = absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E3S ", TimeOf(msg), absl::LocalTimeZone()));
    msg.color_range_start = line.size();
    absl::StrAppend(&line, LevelName(msg.level));
    msg.color_range_end = line.size();
    absl::StrAppend(&line, " [", component_, "] ",
                    Printable(absl::string_view(msg.payload.data(), msg.payload.size())), "\n");
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<TextFormatter>(component_); }

 private:
  const std::string component_;
};

std::string FlagOrEnvironment(const std::string& flag, const char* variable) {
  if (!flag.empty()) return flag;
  const char* value = std::getenv(variable);
  return value == nullptr ? "" : value;
}

}  // namespace

std::string JsonLine(absl::Time time, absl::string_view level, absl::string_view component, absl::string_view message,
                     size_t thread) {
  std::string out = absl::StrCat("{\"time\":\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone()),
                                 "\",\"level\":\"", level, "\",\"component\":");
  AppendJsonString(out, component);
  out += ",\"msg\":";
  AppendJsonString(out, message);
  absl::StrAppend(&out, ",\"thread\":", thread, "}\n");
  return out;
}

absl::StatusOr<LogOptions> LogOptionsFromFlags() {
  LogOptions options;
  const std::string format =
      absl::AsciiStrToLower(FlagOrEnvironment(absl::GetFlag(FLAGS_log_format), "HOMEWARD_LOG_FORMAT"));
  if (format == "json") {
    options.format = Format::kJson;
  } else if (!format.empty() && format != "text") {
    return absl::InvalidArgumentError(absl::StrCat("log format '", format, "' is neither text nor json"));
  }
  const std::string level =
      absl::AsciiStrToLower(FlagOrEnvironment(absl::GetFlag(FLAGS_log_level), "HOMEWARD_LOG_LEVEL"));
  if (level == "debug") {
    options.level = spdlog::level::debug;
  } else if (level == "warn" || level == "warning") {
    options.level = spdlog::level::warn;
  } else if (level == "error") {
    options.level = spdlog::level::err;
  } else if (!level.empty() && level != "info") {
    return absl::InvalidArgumentError(absl::StrCat("log level '", level, "' is none of debug, info, warn, error"));
  }
  return options;
}

void Init(const char* component) {
  absl::StatusOr<LogOptions> options = LogOptionsFromFlags();
  if (!options.ok()) {
    std::cerr << component << ": " << options.status().message() << "\n";
    std::exit(2);
  }
  Init(component, *options);
}

void Init(const char* component, const LogOptions& options) {
  auto logger = spdlog::get(component);
  if (logger == nullptr) logger = spdlog::stderr_color_mt(component);
  if (options.format == Format::kJson) {
    logger->set_formatter(std::make_unique<JsonFormatter>(component));
  } else {
    logger->set_formatter(std::make_unique<TextFormatter>(component));
  }
  logger->set_level(options.level);
  logger->flush_on(spdlog::level::debug);  // a line is in the file before the next step starts
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace homeward::log
