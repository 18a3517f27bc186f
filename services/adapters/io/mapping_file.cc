#include "services/adapters/io/mapping_file.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/json/json.h"
#include "common/status_macros.h"
#include "services/adapters/domain/formats.h"

namespace homeward::adapters {
namespace {

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

absl::StatusOr<std::string> RequiredString(const json::Value& doc, const char* key) {
  absl::StatusOr<std::string> text = doc.String(key);
  if (!text.ok() || text->empty()) return absl::InvalidArgumentError(absl::StrCat(key, ": required (a string)"));
  return text;
}

// The keys a mapping file may have; anything else is a mistake (a misspelt key would otherwise
// be ignored, and its absence blamed on the data).
const std::vector<std::string>& MappingKeys() {
  static const auto* keys = new std::vector<std::string>{"format",    "agency_id", "agency_kind", "issuer",
                                                         "time_zone", "revision",  "columns",     "codes"};
  return *keys;
}

absl::Status CheckKeys(const json::Value& doc) {
  for (const auto& [key, value] : doc.Members()) {
    if (std::find(MappingKeys().begin(), MappingKeys().end(), key) != MappingKeys().end()) continue;
    const std::string closest = ClosestName(key, MappingKeys());
    return absl::InvalidArgumentError(
        absl::StrCat(key, ": not a mapping file key",
                     closest.empty() ? absl::StrCat(" (keys: ", absl::StrJoin(MappingKeys(), ", "), ")")
                                     : absl::StrCat(" (did you mean ", closest, "?)")));
  }
  return absl::OkStatus();
}

// "<path>: <what is wrong>" for an error about one key of the file.
absl::Status AtKey(absl::string_view path, const absl::Status& s) {
  return s.ok() ? s : absl::InvalidArgumentError(absl::StrCat(path, ": ", s.message()));
}

// An object of strings at `key` (absent: empty), e.g. "columns" or one table of "codes".
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> StringTable(const json::Value& table) {
  if (!table.is_object()) return absl::InvalidArgumentError(absl::StrCat(table.path(), ": expected an object"));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : table.Members()) {
    absl::StatusOr<std::string> text = value.AsString();
    if (!text.ok()) return absl::InvalidArgumentError(absl::StrCat(value.path(), ": expected a string"));
    out.emplace_back(key, *std::move(text));
  }
  return out;
}

}  // namespace

absl::StatusOr<SourceMapping> ParseMappingFile(absl::string_view text) {
  absl::StatusOr<json::Document> parsed = json::Document::Parse(text);
  if (!parsed.ok() || !parsed->root().is_object()) return absl::InvalidArgumentError("not a JSON object");
  const json::Value doc = parsed->root();
  RETURN_IF_ERROR(CheckKeys(doc));
  SourceMapping m;
  ASSIGN_OR_RETURN(const std::string format_name, RequiredString(doc, "format"));
  const absl::StatusOr<Format> format = FindFormat(format_name);
  if (!format.ok()) return absl::InvalidArgumentError(absl::StrCat("format: ", format.status().message()));
  m.format = format_name;
  ASSIGN_OR_RETURN(m.agency_id, RequiredString(doc, "agency_id"));
  ASSIGN_OR_RETURN(const std::string kind_text, RequiredString(doc, "agency_kind"));
  ASSIGN_OR_RETURN(m.agency_kind, ParseAgencyKind(kind_text));
  ASSIGN_OR_RETURN(m.issuer, doc.StringOr("issuer", ""));
  ASSIGN_OR_RETURN(const std::string zone, doc.StringOr("time_zone", "Europe/London"));
  if (!absl::LoadTimeZone(zone, &m.time_zone)) {
    if (zone != "Europe/London") return absl::InvalidArgumentError(absl::StrCat("time_zone: unknown '", zone, "'"));
    m.time_zone = absl::UTCTimeZone();  // a machine without tzdata
  }
  absl::StatusOr<int64_t> revision = doc.IntegerOr("revision", 0);
  if (!revision.ok() || *revision < 0) return absl::InvalidArgumentError("revision: expected a whole number");
  m.default_revision = *revision;
  if (const std::optional<json::Value> columns = doc.Find("columns")) {
    ASSIGN_OR_RETURN(const auto table, StringTable(*columns));
    for (const auto& [field, column] : table) {
      RETURN_IF_ERROR(AtKey(absl::StrCat("columns.", field), CheckField(*format, field)));
      if (column.empty()) return absl::InvalidArgumentError(absl::StrCat("columns.", field, ": empty column name"));
      m.columns[field] = column;
    }
  }
  if (const std::optional<json::Value> codes = doc.Find("codes")) {
    if (!codes->is_object()) return absl::InvalidArgumentError("codes: expected an object");
    for (const auto& [field, value] : codes->Members()) {
      RETURN_IF_ERROR(AtKey(absl::StrCat("codes.", field), CheckCodeTable(*format, field)));
      ASSIGN_OR_RETURN(const auto table, StringTable(value));
      for (const auto& [code, canonical] : table) {
        RETURN_IF_ERROR(AtKey(absl::StrCat("codes.", field, ".", code), CheckCodeTarget(*format, field, canonical)));
        m.codes[field][absl::AsciiStrToUpper(code)] = canonical;
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
