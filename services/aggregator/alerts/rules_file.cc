#include "services/aggregator/alerts/rules_file.h"

#include <set>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/file.h"

namespace homeward::aggregator {
namespace {

using nlohmann::json;

const std::set<std::string>& Severities() {
  static const auto* s =
      new std::set<std::string>{"strategy meeting", "compliance", "escalation", "data quality", "notification"};
  return *s;
}

absl::Status RuleError(size_t index, const std::string& id, absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("rules[", index, "] (", id.empty() ? "?" : id, "): ", field, ": ", why));
}

}  // namespace

absl::StatusOr<RuleSet> ParseRulesFile(absl::string_view text) {
  const json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return absl::InvalidArgumentError("not a JSON object");
  RuleSet set;
  if (!doc.contains("default_authority") || !doc["default_authority"].is_string()) {
    return absl::InvalidArgumentError("default_authority: required (a string)");
  }
  set.default_authority = doc["default_authority"].get<std::string>();
  if (doc.contains("escalate_after_minutes")) {
    if (!doc["escalate_after_minutes"].is_number() || doc["escalate_after_minutes"].get<double>() <= 0) {
      return absl::InvalidArgumentError("escalate_after_minutes: expected a number > 0");
    }
    set.escalate_after = absl::Seconds(60 * doc["escalate_after_minutes"].get<double>());
  }
  if (doc.contains("alert_horizon_days")) {
    if (!doc["alert_horizon_days"].is_number() || doc["alert_horizon_days"].get<double>() <= 0) {
      return absl::InvalidArgumentError("alert_horizon_days: expected a number > 0");
    }
    set.alert_horizon = absl::Hours(24 * doc["alert_horizon_days"].get<double>());
  }
  if (!doc.contains("rules") || !doc["rules"].is_array()) return absl::InvalidArgumentError("rules: required (a list)");
  std::set<std::string> seen;
  const json& rules = doc["rules"];
  for (size_t i = 0; i < rules.size(); ++i) {
    const json& r = rules[i];
    if (!r.is_object()) return RuleError(i, "", "rule", "expected an object");
    RuleConfig rule;
    rule.id = r.value("id", "");
    const auto known = KnownRules().find(rule.id);
    if (known == KnownRules().end()) return RuleError(i, rule.id, "id", "not a known rule");
    if (!seen.insert(rule.id).second) return RuleError(i, rule.id, "id", "configured twice");
    if (!r.contains("version") || !r["version"].is_number_integer() || r["version"].get<int>() < 1) {
      return RuleError(i, rule.id, "version", "required (a whole number >= 1)");
    }
    rule.version = r["version"].get<int>();
    rule.enabled = r.value("enabled", true);
    rule.severity = r.value("severity", "");
    if (!Severities().contains(rule.severity)) {
      return RuleError(i, rule.id, "severity",
                       "one of strategy meeting, compliance, escalation, data quality, notification");
    }
    rule.team = r.value("team", "");
    if (rule.team.empty()) return RuleError(i, rule.id, "team", "required (routing)");
    rule.recommended_action = r.value("recommended_action", "");
    if (rule.recommended_action.empty()) return RuleError(i, rule.id, "recommended_action", "required");
    const json params = r.value("params", json::object());
    for (const std::string& name : known->second) {
      if (!params.contains(name) || !params[name].is_number() || params[name].get<double>() <= 0) {
        return RuleError(i, rule.id, absl::StrCat("params.", name), "required (a number > 0)");
      }
      rule.params[name] = params[name].get<double>();
    }
    for (const auto& [name, value] : params.items()) {
      if (!rule.params.contains(name)) return RuleError(i, rule.id, absl::StrCat("params.", name), "not a parameter of this rule");
    }
    set.rules.push_back(std::move(rule));
  }
  return set;
}

absl::StatusOr<RuleSet> LoadRulesFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path, "rules file");
  if (!text.ok()) return text.status();
  auto set = ParseRulesFile(*text);
  if (!set.ok()) return absl::Status(set.status().code(), absl::StrCat(path, ": ", set.status().message()));
  return set;
}

}  // namespace homeward::aggregator
