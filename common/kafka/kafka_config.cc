#include "common/kafka/kafka_config.h"

#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace homeward::kafka {

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> LoadProperties(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read Kafka properties file ", path));
  std::vector<std::pair<std::string, std::string>> props;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text.front() == '#') continue;
    const size_t eq = text.find('=');
    if (eq == absl::string_view::npos || eq == 0) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", n, ": expected name=value"));
    }
    props.emplace_back(std::string(absl::StripAsciiWhitespace(text.substr(0, eq))),
                       std::string(absl::StripAsciiWhitespace(text.substr(eq + 1))));
  }
  return props;
}

}  // namespace homeward::kafka
