#include "common/access/access_config.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/file.h"

namespace homeward::access {
namespace {

using nlohmann::json;

absl::Status FieldError(absl::string_view where, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", why));
}

std::string StringOr(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

absl::StatusOr<SystemIdentity> ParseSystem(const std::string& subject, const json& entry) {
  const std::string where = absl::StrCat("systems.", subject);
  if (!entry.is_object()) return FieldError(where, "expected an object");
  SystemIdentity system;
  absl::StatusOr<Role> role = ParseRole(StringOr(entry, "role"));
  if (!role.ok()) return FieldError(absl::StrCat(where, ".role"), role.status().message());
  system.role = *role;
  system.agency = StringOr(entry, "agency");
  system.authority = StringOr(entry, "authority");
  system.team = StringOr(entry, "team");
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

}  // namespace

absl::StatusOr<AccessConfig> ParseAccessConfig(absl::string_view json_text) {
  const json doc = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return absl::InvalidArgumentError("not a JSON object");
  AccessConfig config;

  const auto systems = doc.find("systems");
  if (systems == doc.end() || !systems->is_object()) return FieldError("systems", "required (an object)");
  for (const auto& [subject, entry] : systems->items()) {
    absl::StatusOr<SystemIdentity> system = ParseSystem(subject, entry);
    if (!system.ok()) return system.status();
    config.systems.emplace(subject, *std::move(system));
  }

  const auto bases = doc.find("lawful_bases");
  if (bases == doc.end() || !bases->is_object() || bases->empty()) {
    return FieldError("lawful_bases", "required (an object of code: description)");
  }
  for (const auto& [code, description] : bases->items()) {
    if (!description.is_string()) return FieldError(absl::StrCat("lawful_bases.", code), "expected a description");
    config.lawful_bases.emplace(code, description.get<std::string>());
  }

  if (const auto masks = doc.find("masks"); masks != doc.end()) {
    if (!masks->is_object()) return FieldError("masks", "expected an object of role: [field, ...]");
    for (const auto& [reader, fields] : masks->items()) {
      const std::string where = absl::StrCat("masks.", reader);
      absl::StatusOr<Role> role = ParseRole(reader.substr(0, reader.find('@')));
      if (!role.ok()) return FieldError(where, role.status().message());
      if (!fields.is_array()) return FieldError(where, "expected a list of fields");
      for (const json& field : fields) {
        if (!field.is_string()) return FieldError(where, "expected a list of fields");
        absl::StatusOr<MaskRule> rule = ParseMaskRule(field.get<std::string>());
        if (!rule.ok()) return FieldError(where, rule.status().message());
        config.masks[reader].push_back(*std::move(rule));
      }
    }
  }

  if (const auto hours = doc.find("max_token_lifetime_hours"); hours != doc.end()) {
    if (!hours->is_number() || hours->get<double>() <= 0) {
      return FieldError("max_token_lifetime_hours", "expected a number > 0");
    }
    config.max_token_lifetime = absl::Seconds(hours->get<double>() * 3600);
  }
  return config;
}

std::vector<MaskRule> MasksFor(const AccessConfig& config, const Principal& reader) {
  std::vector<MaskRule> rules;
  const std::string role(RoleName(reader.role));
  const auto add = [&](const std::string& key) {
    if (const auto it = config.masks.find(key); it != config.masks.end()) {
      rules.insert(rules.end(), it->second.begin(), it->second.end());
    }
  };
  add(role);
  if (const size_t dot = reader.agency.find('.'); !reader.agency.empty()) {
    add(absl::StrCat(role, "@", reader.agency.substr(0, dot)));
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
