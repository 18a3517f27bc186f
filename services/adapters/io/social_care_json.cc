#include "services/adapters/io/social_care_json.h"

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace homeward::adapters {
namespace {

using nlohmann::json;

constexpr std::pair<const char*, const char*> kEntryLists[] = {
    {"placements", "placement"}, {"missing_episodes", "missing_episode"}, {"strategy_meetings", "strategy_meeting"}};

// A scalar or list of scalars as text; nullopt for objects and nested structures.
std::optional<std::string> AsText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "Y" : "N";
  if (v.is_number()) return v.dump();
  if (v.is_null()) return "";
  if (v.is_array()) {
    std::vector<std::string> items;
    for (const json& item : v) {
      std::optional<std::string> text = item.is_array() ? std::nullopt : AsText(item);
      if (!text.has_value()) return std::nullopt;
      items.push_back(*text);
    }
    return absl::StrJoin(items, ";");
  }
  return std::nullopt;
}

// Adds `object`'s scalar fields to `fields`; lists the first field of the wrong shape.
std::optional<std::string> AddScalars(const json& object, absl::flat_hash_map<std::string, std::string>& fields,
                                      bool skip_entry_lists) {
  for (const auto& item : object.items()) {
    const std::string& key = item.key();  // not a structured binding: clang 14 cannot capture one
    const json& value = item.value();
    if (skip_entry_lists && std::any_of(std::begin(kEntryLists), std::end(kEntryLists),
                                        [&](const auto& l) { return key == l.first; })) {
      continue;
    }
    std::optional<std::string> text = AsText(value);
    if (!text.has_value()) return key;
    fields[key] = *text;
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<SourceTable> ParseSocialCareJson(absl::string_view text) {
  const json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return absl::InvalidArgumentError("not valid JSON");
  if (!doc.is_object() || !doc.contains("children") || !doc["children"].is_array()) {
    return absl::InvalidArgumentError("expected an object with a \"children\" array");
  }
  const std::string file_agency = doc.value("agency_id", "");
  SourceTable table;
  const json& children = doc["children"];
  for (size_t c = 0; c < children.size(); ++c) {
    const std::string child_path = absl::StrCat("/children/", c);
    const json& child = children[c];
    if (!child.is_object()) {
      table.malformed.emplace_back(child_path, "a child must be an object");
      continue;
    }
    absl::flat_hash_map<std::string, std::string> child_fields;
    if (auto bad = AddScalars(child, child_fields, /*skip_entry_lists=*/true)) {
      table.malformed.emplace_back(absl::StrCat(child_path, "/", *bad), "expected a value or a list of values");
      continue;
    }
    for (const auto& [list, type] : kEntryLists) {
      if (!child.contains(list)) continue;
      const json& entries = child[list];
      if (!entries.is_array()) {
        table.malformed.emplace_back(absl::StrCat(child_path, "/", list), "expected a list");
        continue;
      }
      for (size_t e = 0; e < entries.size(); ++e) {
        const std::string path = absl::StrCat(child_path, "/", list, "/", e);
        if (!entries[e].is_object()) {
          table.malformed.emplace_back(path, "an entry must be an object");
          continue;
        }
        absl::flat_hash_map<std::string, std::string> fields = child_fields;
        if (!file_agency.empty()) fields["agency_id"] = file_agency;
        fields["entry_type"] = type;
        if (auto bad = AddScalars(entries[e], fields, /*skip_entry_lists=*/false)) {
          table.malformed.emplace_back(absl::StrCat(path, "/", *bad), "expected a value or a list of values");
          continue;
        }
        table.rows.emplace_back(path, std::move(fields));
      }
    }
  }
  return table;
}

}  // namespace homeward::adapters
