#include "services/adapters/domain/source_mapping.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace homeward::adapters {

std::string MappedRow::Column(absl::string_view field) const {
  const auto it = mapping_.columns.find(field);
  return it == mapping_.columns.end() ? std::string(field) : it->second;
}

std::string MappedRow::Get(absl::string_view field) const { return row_.Get(Column(field)); }

absl::StatusOr<std::string> MappedRow::Required(absl::string_view field) const {
  std::string value = Get(field);
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(Column(field), ": required"));
  return value;
}

std::string MappedRow::Code(absl::string_view field) const { return Translate(field, Get(field)); }

std::string MappedRow::Translate(absl::string_view field, absl::string_view value) const {
  const auto table = mapping_.codes.find(field);
  if (table == mapping_.codes.end()) return std::string(value);
  const auto it = table->second.find(absl::AsciiStrToUpper(absl::StripAsciiWhitespace(value)));
  return it == table->second.end() ? std::string(value) : it->second;
}

std::vector<std::string> MappedRow::Codes(absl::string_view field) const {
  std::vector<std::string> codes;
  if (const auto table = mapping_.codes.find(field); table != mapping_.codes.end()) {
    for (const auto& [code, canonical] : table->second) codes.push_back(code);
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

std::vector<std::string> AreaColumns(const SourceMapping& mapping, const std::vector<std::string>& canonical) {
  std::vector<std::string> out;
  for (const std::string& field : canonical) {
    const auto it = mapping.columns.find(field);
    out.push_back(it == mapping.columns.end() ? field : it->second);
  }
  return out;
}

}  // namespace homeward::adapters
