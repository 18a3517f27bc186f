#include "common/access/access_config.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/file.h"
#include "common/json/json.h"
#include "common/status_macros.h"

namespace homeward::access {
namespace {

absl::Status FieldError(absl::string_view where, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", why));
}

absl::StatusOr<SystemIdentity> ParseSystem(const std::string& subject, const json::Value& entry) {
  const std::string where = absl::StrCat("systems.", subject);
  if (!entry.is_object()) return FieldError(where, "expected an object");
  SystemIdentity system;
  ASSIGN_OR_RETURN(const std::string role_name, entry.StringOr("role", ""));
  absl::StatusOr<Role> role = ParseRole(role_name);
  if (!role.ok()) return FieldError(absl::StrCat(where, ".role"), role.status().message());
  system.role = *role;
  ASSIGN_OR_RETURN(system.agency, entry.StringOr("agency", ""));
  ASSIGN_OR_RETURN(system.authority, entry.StringOr("authority", ""));
  ASSIGN_OR_RETURN(system.team, entry.StringOr("team", ""));
  switch (system.role) {
    case Role::kPublisher:
      if (system.agency.empty()) return FieldError(absl::StrCat(where, ".agency"), "required for a publisher");
      break;
    case Role::kDutyTeam:
      if (system.team.empty()) return FieldError(absl::StrCat(where, ".team"), "required for a duty team");
      break;
    case Role::kPeopleClient:
      break;
    default:
      // People are named by tokens, so their roles are never bound to a certificate.
      return FieldError(absl::StrCat(where, ".role"), "a system is a publisher, duty_team or people_client");
  }
  return system;
}

absl::StatusOr<AgencyEntry> ParseAgency(const std::string& id, const json::Value& entry) {
  const std::string where = absl::StrCat("agencies.", id);
  if (!entry.is_object()) return FieldError(where, "expected an object");
  ASSIGN_OR_RETURN(const std::string kind_name, entry.String("kind"));
  absl::StatusOr<AgencyKind> kind = ParseAgencyKind(kind_name);
  if (!kind.ok()) return FieldError(absl::StrCat(where, ".kind"), kind.status().message());
  AgencyEntry agency{.kind = *kind, .records = DefaultRecords(*kind)};
  ASSIGN_OR_RETURN(agency.authority, entry.StringOr("authority", ""));
  const bool speaks_for_authority = *kind == AgencyKind::kSocialCare || *kind == AgencyKind::kSsda903Return;
  if (speaks_for_authority && agency.authority.empty()) {
    return FieldError(absl::StrCat(where, ".authority"), "required for social care and the 903 return");
  }
  if (!speaks_for_authority && !agency.authority.empty()) {
    return FieldError(absl::StrCat(where, ".authority"), "only social care and the 903 return speak for an authority");
  }
  if (const std::optional<json::Value> records = entry.Find("records")) {
    if (!records->is_array()) return FieldError(absl::StrCat(where, ".records"), "expected a list of record types");
    agency.records.clear();
    for (const json::Value& r : records->Items()) {
      absl::StatusOr<std::string> name = r.AsString();
      absl::StatusOr<size_t> type = name.ok() ? ParseRecordType(*name) : absl::StatusOr<size_t>(name.status());
      if (!type.ok()) return FieldError(absl::StrCat(where, ".records"), type.status().message());
      if (RecordTypeName(*type) == "identity_decision" || RecordTypeName(*type) == "child_purged") {
        return FieldError(absl::StrCat(where, ".records"), "only the hub publishes identity decisions and purges");
      }
      agency.records.insert(*type);
    }
  }
  return agency;
}

}  // namespace

absl::StatusOr<AccessConfig> ParseAccessConfig(absl::string_view json_text) {
  absl::StatusOr<json::Document> parsed = json::Document::Parse(json_text);
  if (!parsed.ok() || !parsed->root().is_object()) return absl::InvalidArgumentError("not a JSON object");
  const json::Value doc = parsed->root();
  AccessConfig config;

  std::map<std::string, AgencyEntry> agencies;
  if (const std::optional<json::Value> listed = doc.Find("agencies")) {
    if (!listed->is_object()) return FieldError("agencies", "expected an object of agency id: {kind, ...}");
    for (const auto& [id, entry] : listed->Members()) {
      if (id == kIdentityAgency || id == kRetentionAgency) return FieldError(absl::StrCat("agencies.", id), "the hub's own");
      ASSIGN_OR_RETURN(AgencyEntry agency, ParseAgency(id, entry));
      agencies.emplace(id, std::move(agency));
    }
  }
  config.agencies = AgencyRegistry(std::move(agencies));

  const std::optional<json::Value> systems = doc.Find("systems");
  if (!systems.has_value() || !systems->is_object()) return FieldError("systems", "required (an object)");
  for (const auto& [subject, entry] : systems->Members()) {
    ASSIGN_OR_RETURN(SystemIdentity system, ParseSystem(subject, entry));
    if (system.role == Role::kPublisher && config.agencies.Find(system.agency) == nullptr) {
      return FieldError(absl::StrCat("systems.", subject, ".agency"),
                        absl::StrCat("'", system.agency, "' is not in agencies (its kind and records come from there)"));
    }
    config.systems.emplace(subject, std::move(system));
  }

  const std::optional<json::Value> bases = doc.Find("lawful_bases");
  if (!bases.has_value() || !bases->is_object() || bases->Members().empty()) {
    return FieldError("lawful_bases", "required (an object of code: description)");
  }
  for (const auto& [code, description] : bases->Members()) {
    absl::StatusOr<std::string> text = description.AsString();
    if (!text.ok()) return FieldError(absl::StrCat("lawful_bases.", code), "expected a description");
    config.lawful_bases.emplace(code, *std::move(text));
  }

  if (const std::optional<json::Value> masks = doc.Find("masks")) {
    if (!masks->is_object()) return FieldError("masks", "expected an object of role: [field, ...]");
    for (const auto& [reader, fields] : masks->Members()) {
      const std::string where = absl::StrCat("masks.", reader);
      absl::StatusOr<Role> role = ParseRole(reader.substr(0, reader.find('@')));
      if (!role.ok()) return FieldError(where, role.status().message());
      if (const size_t at = reader.find('@'); at != std::string::npos) {
        if (absl::Status kind = ParseAgencyKind(reader.substr(at + 1)).status(); !kind.ok()) {
          return FieldError(where, absl::StrCat("the reader's agency kind: ", kind.message()));
        }
      }
      if (!fields.is_array()) return FieldError(where, "expected a list of fields");
      for (const json::Value& field : fields.Items()) {
        absl::StatusOr<std::string> text = field.AsString();
        if (!text.ok()) return FieldError(where, "expected a list of fields");
        absl::StatusOr<MaskRule> rule = ParseMaskRule(*text);
        if (!rule.ok()) return FieldError(where, rule.status().message());
        config.masks[reader].push_back(*std::move(rule));
      }
    }
  }

  absl::StatusOr<double> hours = doc.NumberOr("max_token_lifetime_hours", 12);
  if (!hours.ok() || !(*hours > 0) || *hours > 24 * 366) {
    return FieldError("max_token_lifetime_hours", "expected a number > 0");
  }
  config.max_token_lifetime = absl::Seconds(*hours * 3600);
  return config;
}

std::vector<MaskRule> MasksFor(const AccessConfig& config, const Principal& reader) {
  std::vector<MaskRule> rules;
  const std::string role(RoleName(reader.role));
  const auto add = [&](const std::vector<MaskRule>& more) { rules.insert(rules.end(), more.begin(), more.end()); };
  if (const auto it = config.masks.find(role); it != config.masks.end()) add(it->second);
  const AgencyEntry* agency = reader.agency.empty() ? nullptr : config.agencies.Find(reader.agency);
  const std::string own_kind = agency == nullptr ? "" : absl::StrCat(role, "@", AgencyKindName(agency->kind));
  for (const auto& [key, masks] : config.masks) {
    if (!absl::StartsWith(key, absl::StrCat(role, "@"))) continue;
    // Deny by default: a reader of no known kind is treated as every kind.
    if (agency == nullptr || key == own_kind) add(masks);
  }
  return rules;
}

absl::StatusOr<AccessConfig> LoadAccessConfig(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<AccessConfig> config = ParseAccessConfig(*text);
  if (!config.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", config.status().message()));
  return config;
}

}  // namespace homeward::access
