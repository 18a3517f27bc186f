// File: file.h
//
// Reading a whole (small) file: configuration, exports, keys and certificates.
#ifndef HOMEWARD_COMMON_FILE_H_
#define HOMEWARD_COMMON_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace homeward {

// The file's bytes; NOT_FOUND "cannot read <what> <path>" if it cannot be opened.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path, absl::string_view what = "");

}  // namespace homeward

#endif  // HOMEWARD_COMMON_FILE_H_
