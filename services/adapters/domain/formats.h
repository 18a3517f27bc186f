// File: formats.h
//
// The export formats Homeward reads, by the name a mapping file gives in "format".
#ifndef HOMEWARD_SERVICES_ADAPTERS_DOMAIN_FORMATS_H_
#define HOMEWARD_SERVICES_ADAPTERS_DOMAIN_FORMATS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/adapters/domain/source_mapping.h"

namespace homeward::adapters {

enum class FileKind { kCsv, kSocialCareJson };

struct Format {
  std::string name;
  FileKind file_kind;
  // Canonical columns the file must have (checked before anything is published). Empty for
  // JSON, whose records each carry their own fields.
  std::vector<std::string> required_columns;
  std::function<absl::StatusOr<std::vector<Event>>(const MappedRow&, absl::Time now)> map;
};

// NOT_FOUND naming the known formats if `name` is not one of them.
absl::StatusOr<Format> FindFormat(absl::string_view name);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_DOMAIN_FORMATS_H_
