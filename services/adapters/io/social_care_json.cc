#include "services/adapters/io/social_care_json.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/json/json.h"

namespace homeward::adapters {
namespace {

constexpr std::pair<const char*, const char*> kEntryLists[] = {
    {"placements", "placement"}, {"missing_episodes", "missing_episode"}, {"strategy_meetings", "strategy_meeting"}};

// A scalar or list of scalars as text; nullopt for objects and nested structures.
std::optional<std::string> AsText(const json::Value& v) {
  if (v.is_string()) return v.AsString().value_or("");
  if (v.is_bool()) return v.AsBool().value_or(false) ? "Y" : "N";
  if (v.is_number()) return v.Dump();
  if (v.is_null()) return "";
  if (v.is_array()) {
    std::vector<std::string> items;
    for (const json::Value& item : v.Items()) {
      std::optional<std::string> text = item.is_array() ? std::nullopt : AsText(item);
      if (!text.has_value()) return std::nullopt;
      items.push_back(*text);
    }
    return absl::StrJoin(items, ";");
  }
  return std::nullopt;
}

// Adds `object`'s scalar fields to `fields`; lists the first field of the wrong shape.
std::optional<std::string> AddScalars(const json::Value& object, absl::flat_hash_map<std::string, std::string>& fields,
                                      bool skip_entry_lists) {
  for (const auto& item : object.Members()) {
    const std::string& key = item.first;  // not a structured binding: clang 14 cannot capture one
    const json::Value& value = item.second;
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
  absl::StatusOr<json::Document> parsed = json::Document::Parse(text);
  if (!parsed.ok()) return parsed.status();
  const json::Value doc = parsed->root();
  const std::optional<json::Value> children = doc.Find("children");
  if (!children.has_value() || !children->is_array()) {
    return absl::InvalidArgumentError("expected an object with a \"children\" array");
  }
  absl::StatusOr<std::string> file_agency = doc.StringOr("agency_id", "");
  if (!file_agency.ok()) return file_agency.status();  // "agency_id: expected a string, not a number"
  SourceTable table;
  const std::vector<json::Value> items = children->Items();
  for (size_t c = 0; c < items.size(); ++c) {
    const std::string child_path = absl::StrCat("/children/", c);
    const json::Value& child = items[c];
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
      const std::optional<json::Value> entries = child.Find(list);
      if (!entries.has_value()) continue;
      if (!entries->is_array()) {
        table.malformed.emplace_back(absl::StrCat(child_path, "/", list), "expected a list");
        continue;
      }
      const std::vector<json::Value> listed = entries->Items();
      for (size_t e = 0; e < listed.size(); ++e) {
        const std::string path = absl::StrCat(child_path, "/", list, "/", e);
        if (!listed[e].is_object()) {
          table.malformed.emplace_back(path, "an entry must be an object");
          continue;
        }
        absl::flat_hash_map<std::string, std::string> fields = child_fields;
        if (!file_agency->empty()) fields["agency_id"] = *file_agency;
        fields["entry_type"] = type;
        if (auto bad = AddScalars(listed[e], fields, /*skip_entry_lists=*/false)) {
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
