#include "services/aggregator/alerts/rules_file.h"

#include <cmath>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/file.h"
#include "common/json/json.h"
#include "common/status_macros.h"
#include "services/aggregator/domain/rules/catalog.h"

namespace homeward::aggregator {
namespace {

const std::set<std::string>& Severities() {
  static const auto* s =
      new std::set<std::string>{"strategy meeting", "compliance", "escalation", "data quality", "notification",
                                "planning task"};
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

// Counts and ages are whole numbers; days and hours may be fractions.
bool Whole(rules::ParamUnit unit) {
  return unit == rules::ParamUnit::kCount || unit == rules::ParamUnit::kYears || unit == rules::ParamUnit::kWorkingDays;
}

bool Fits(const rules::ParamSpec& spec, double value) {
  return value >= spec.min && value <= spec.max && (!Whole(spec.unit) || value == std::floor(value));
}

// "a whole number of episodes (N) from 2 to 100", "a number of days (rolling window (D)) from 1 to 3650".
std::string Expected(const rules::ParamSpec& spec) {
  const char* unit = "";
  switch (spec.unit) {
    case rules::ParamUnit::kCount: unit = "a whole number: "; break;
    case rules::ParamUnit::kYears: unit = "a whole number of years: "; break;
    case rules::ParamUnit::kDays: unit = "a number of days: "; break;
    case rules::ParamUnit::kHours: unit = "a number of hours: "; break;
    case rules::ParamUnit::kWorkingDays: unit = "a whole number of working days: "; break;
  }
  return absl::StrCat(unit, spec.meaning, ", from ", spec.min, " to ", spec.max);
}

absl::StatusOr<RuleConfig> ParseRule(size_t i, const json::Value& r) {
  if (!r.is_object()) return RuleError(i, "", "rule", "expected an object");
  RuleConfig rule;
  ASSIGN_OR_RETURN(rule.id, r.StringOr("id", ""));
  const rules::RuleDefinition* definition = rules::FindRule(rule.id);
  if (definition == nullptr) return RuleError(i, rule.id, "id", "not a known rule");
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
    return RuleError(i, rule.id, "severity", "one of strategy meeting, compliance, escalation, data quality, notification, planning task");
  }
  rule.team = r.StringOr("team", "").value_or("");
  if (rule.team.empty()) return RuleError(i, rule.id, "team", "required (routing)");
  rule.recommended_action = r.StringOr("recommended_action", "").value_or("");
  if (rule.recommended_action.empty()) return RuleError(i, rule.id, "recommended_action", "required");
  const std::optional<json::Value> params = r.Find("params");
  if (params.has_value() && !params->is_object()) return RuleError(i, rule.id, "params", "expected an object");
  for (const rules::ParamSpec& spec : definition->params) {
    const std::optional<json::Value> p = params ? params->Find(spec.name) : std::nullopt;
    const absl::StatusOr<double> value = p ? p->AsNumber() : absl::NotFoundError("");
    if (!value.ok() || !Fits(spec, *value)) {
      return RuleError(i, rule.id, absl::StrCat("params.", spec.name), absl::StrCat("required (", Expected(spec), ")"));
    }
    rule.params[spec.name] = *value;
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

std::string FormatRulesFile(const RuleSet& set) {
  json::ObjectWriter top;
  top.Set("default_authority", set.default_authority);
  std::string out = top.Dump();
  out.pop_back();  // the closing brace: the numbers and the list follow
  absl::StrAppend(&out, ", \"escalate_after_minutes\": ", absl::ToDoubleMinutes(set.escalate_after),
                  ", \"alert_horizon_days\": ", absl::ToDoubleHours(set.alert_horizon) / 24,
                  ", \"settle_seconds\": ", absl::ToDoubleSeconds(set.settle), ", \"rules\": [");
  for (size_t i = 0; i < set.rules.size(); ++i) {
    const RuleConfig& r = set.rules[i];
    json::ObjectWriter rule;
    rule.Set("id", r.id).Set("version", r.version).Set("enabled", r.enabled).Set("severity", r.severity);
    rule.Set("team", r.team).Set("recommended_action", r.recommended_action);
    std::string text = rule.Dump();
    text.pop_back();
    absl::StrAppend(&text, ", \"params\": {");
    bool first = true;
    for (const auto& [name, value] : r.params) {
      json::ObjectWriter key;  // the name, escaped
      key.Set("k", name);
      const std::string quoted = key.Dump();
      absl::StrAppend(&text, first ? "" : ", ", quoted.substr(5, quoted.size() - 6), ": ", absl::StrFormat("%.17g", value));
      first = false;
    }
    absl::StrAppend(&out, i == 0 ? "\n  " : ",\n  ", text, "}}");
  }
  absl::StrAppend(&out, "\n]}\n");
  return out;
}

absl::StatusOr<rules::RulesRevision> AdoptRules(rules::RulesHistory& history, const RuleSet& set,
                                                const std::string& text, const std::string& source, absl::Time now) {
  ASSIGN_OR_RETURN(std::vector<rules::RulesRevision> revisions, history.Revisions());
  if (!revisions.empty()) {
    const rules::RulesRevision& latest = revisions.back();
    absl::StatusOr<RuleSet> before = ParseRulesFile(latest.text);
    if (!before.ok()) {
      return absl::DataLossError(absl::StrCat("rules history revision ", latest.revision,
                                              " cannot be read: ", before.status().message()));
    }
    if (rules::DiffRuleSets(*before, set).empty()) return latest;
    if (absl::Status s = rules::CheckVersions(*before, set); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat(source, " against revision ", latest.revision, " (",
                                                 latest.source, "): ", s.message()));
    }
  }
  rules::RulesRevision next{.revision = revisions.empty() ? 1 : revisions.back().revision + 1,
                            .adopted_at = now,
                            .source = source,
                            .text = text};
  RETURN_IF_ERROR(history.Append(next));
  return next;
}

}  // namespace homeward::aggregator
