#include "services/aggregator/alerts/rules_file.h"

#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/file.h"
#include "common/json/json.h"
#include "common/status_macros.h"

namespace homeward::aggregator {
namespace {

const std::set<std::string>& Severities() {
  static const auto* s =
      new std::set<std::string>{"strategy meeting", "compliance", "escalation", "data quality", "notification"};
  return *s;
}

absl::Status RuleError(size_t index, const std::string& id, absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("rules[", index, "] (", id.empty() ? "?" : id, "): ", field, ": ", why));
}

// A number > 0 at `key`, or `fallback` when absent.
absl::StatusOr<double> PositiveOr(const json::Value& v, const char* key, double fallback) {
  ASSIGN_OR_RETURN(const double n, v.NumberOr(key, fallback));
  if (!(n > 0)) return absl::InvalidArgumentError(absl::StrCat(key, ": expected a number > 0"));
  return n;
}

absl::StatusOr<RuleConfig> ParseRule(size_t i, const json::Value& r) {
  if (!r.is_object()) return RuleError(i, "", "rule", "expected an object");
  RuleConfig rule;
  ASSIGN_OR_RETURN(rule.id, r.StringOr("id", ""));
  const auto known = KnownRules().find(rule.id);
  if (known == KnownRules().end()) return RuleError(i, rule.id, "id", "not a known rule");
  absl::StatusOr<int64_t> version = r.Integer("version");
  if (!version.ok() || *version < 1 || *version > 1'000'000) {
    return RuleError(i, rule.id, "version", "required (a whole number >= 1)");
  }
  rule.version = static_cast<int>(*version);
  absl::StatusOr<bool> enabled = r.BoolOr("enabled", true);
  if (!enabled.ok()) return RuleError(i, rule.id, "enabled", "expected true or false");
  rule.enabled = *enabled;
  rule.severity = r.StringOr("severity", "").value_or("");
  if (!Severities().contains(rule.severity)) {
    return RuleError(i, rule.id, "severity", "one of strategy meeting, compliance, escalation, data quality, notification");
  }
  rule.team = r.StringOr("team", "").value_or("");
  if (rule.team.empty()) return RuleError(i, rule.id, "team", "required (routing)");
  rule.recommended_action = r.StringOr("recommended_action", "").value_or("");
  if (rule.recommended_action.empty()) return RuleError(i, rule.id, "recommended_action", "required");
  const std::optional<json::Value> params = r.Find("params");
  if (params.has_value() && !params->is_object()) return RuleError(i, rule.id, "params", "expected an object");
  for (const std::string& name : known->second) {
    const std::optional<json::Value> p = params ? params->Find(name) : std::nullopt;
    const absl::StatusOr<double> value = p ? p->AsNumber() : absl::NotFoundError("");
    if (!value.ok() || !(*value > 0)) return RuleError(i, rule.id, absl::StrCat("params.", name), "required (a number > 0)");
    rule.params[name] = *value;
  }
  if (params.has_value()) {
    for (const auto& [name, value] : params->Members()) {
      if (!rule.params.contains(name)) return RuleError(i, rule.id, absl::StrCat("params.", name), "not a parameter of this rule");
    }
  }
  return rule;
}

}  // namespace

absl::StatusOr<RuleSet> ParseRulesFile(absl::string_view text) {
  ASSIGN_OR_RETURN(const json::Document doc, json::Document::Parse(text));
  const json::Value root = doc.root();
  if (!root.is_object()) return absl::InvalidArgumentError("not a JSON object");
  RuleSet set;
  absl::StatusOr<std::string> authority = root.String("default_authority");
  if (!authority.ok()) return absl::InvalidArgumentError("default_authority: required (a string)");
  set.default_authority = *authority;
  ASSIGN_OR_RETURN(const double escalate, PositiveOr(root, "escalate_after_minutes", 30));
  set.escalate_after = absl::Seconds(60 * escalate);
  ASSIGN_OR_RETURN(const double horizon, PositiveOr(root, "alert_horizon_days", 365));
  set.alert_horizon = absl::Hours(24 * horizon);
  ASSIGN_OR_RETURN(const double settle, PositiveOr(root, "settle_seconds", 60));
  set.settle = absl::Seconds(settle);
  const std::optional<json::Value> rules = root.Find("rules");
  if (!rules.has_value() || !rules->is_array()) return absl::InvalidArgumentError("rules: required (a list)");
  std::set<std::string> seen;
  const std::vector<json::Value> items = rules->Items();
  for (size_t i = 0; i < items.size(); ++i) {
    ASSIGN_OR_RETURN(RuleConfig rule, ParseRule(i, items[i]));
    if (!seen.insert(rule.id).second) return RuleError(i, rule.id, "id", "configured twice");
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
