#include "services/adapters/io/mapping_file.h"

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/adapters/domain/formats.h"

namespace homeward::adapters {
namespace {

using nlohmann::json;

absl::StatusOr<AgencyKind> ParseAgencyKind(const std::string& text) {
  static const std::pair<const char*, AgencyKind> kKinds[] = {
      {"police", AgencyKind::kPolice},
      {"social-care", AgencyKind::kSocialCare},
      {"residential-home", AgencyKind::kResidentialHome},
      {"foster-placement", AgencyKind::kFosterPlacement},
      {"rhi-provider", AgencyKind::kRhiProvider},
      {"education", AgencyKind::kEducation},
      {"health", AgencyKind::kHealth},
      {"ssda903-return", AgencyKind::kSsda903Return},
  };
  for (const auto& [name, kind] : kKinds) {
    if (text == name) return kind;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "agency_kind: unknown '", text,
      "' (police, social-care, residential-home, foster-placement, rhi-provider, education, health, ssda903-return)"));
}

absl::StatusOr<std::string> RequiredString(const json& doc, const char* key) {
  if (!doc.contains(key) || !doc[key].is_string() || doc[key].get<std::string>().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(key, ": required (a string)"));
  }
  return doc[key].get<std::string>();
}

}  // namespace

absl::StatusOr<SourceMapping> ParseMappingFile(absl::string_view text) {
  const json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return absl::InvalidArgumentError("not a JSON object");
  SourceMapping m;
  auto format = RequiredString(doc, "format");
  if (!format.ok()) return format.status();
  if (auto known = FindFormat(*format); !known.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("format: ", known.status().message()));
  }
  m.format = *format;
  auto agency = RequiredString(doc, "agency_id");
  if (!agency.ok()) return agency.status();
  m.agency_id = *agency;
  auto kind_text = RequiredString(doc, "agency_kind");
  if (!kind_text.ok()) return kind_text.status();
  auto kind = ParseAgencyKind(*kind_text);
  if (!kind.ok()) return kind.status();
  m.agency_kind = *kind;
  m.issuer = doc.value("issuer", "");
  const std::string zone = doc.value("time_zone", "Europe/London");
  if (!absl::LoadTimeZone(zone, &m.time_zone)) {
    if (zone != "Europe/London") return absl::InvalidArgumentError(absl::StrCat("time_zone: unknown '", zone, "'"));
    m.time_zone = absl::UTCTimeZone();  // a machine without tzdata
  }
  if (doc.contains("revision")) {
    if (!doc["revision"].is_number_integer() || doc["revision"].get<int64_t>() < 0) {
      return absl::InvalidArgumentError("revision: expected a whole number");
    }
    m.default_revision = doc["revision"].get<int64_t>();
  }
  if (doc.contains("columns")) {
    if (!doc["columns"].is_object()) return absl::InvalidArgumentError("columns: expected an object");
    for (const auto& [field, column] : doc["columns"].items()) {
      if (!column.is_string()) return absl::InvalidArgumentError(absl::StrCat("columns.", field, ": expected a string"));
      m.columns[field] = column.get<std::string>();
    }
  }
  if (doc.contains("codes")) {
    if (!doc["codes"].is_object()) return absl::InvalidArgumentError("codes: expected an object");
    for (const auto& [field, table] : doc["codes"].items()) {
      if (!table.is_object()) return absl::InvalidArgumentError(absl::StrCat("codes.", field, ": expected an object"));
      for (const auto& [code, canonical] : table.items()) {
        if (!canonical.is_string()) {
          return absl::InvalidArgumentError(absl::StrCat("codes.", field, ".", code, ": expected a string"));
        }
        m.codes[field][absl::AsciiStrToUpper(code)] = canonical.get<std::string>();
      }
    }
  }
  return m;
}

absl::StatusOr<SourceMapping> LoadMappingFile(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  auto mapping = ParseMappingFile(*text);
  if (!mapping.ok()) {
    return absl::Status(mapping.status().code(), absl::StrCat(path, ": ", mapping.status().message()));
  }
  return mapping;
}

}  // namespace homeward::adapters
