#include "common/file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace homeward {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path, absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", what, what.empty() ? "" : " ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace homeward
