#include "services/aggregator/domain/rules/history.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/aggregator/domain/rules/catalog.h"

namespace homeward::aggregator::rules {
namespace {

const RuleConfig* Configured(const RuleSet& set, const std::string& id) {
  for (const RuleConfig& r : set.rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::string Minutes(absl::Duration d) { return absl::StrCat(absl::ToDoubleMinutes(d), " min"); }

// The parameter changes of one rule: "window_days 90 -> 30".
std::vector<std::string> ParamChanges(const RuleConfig& a, const RuleConfig& b) {
  std::set<std::string> names;
  for (const auto& [name, value] : a.params) names.insert(name);
  for (const auto& [name, value] : b.params) names.insert(name);
  std::vector<std::string> out;
  for (const std::string& name : names) {
    const auto x = a.params.find(name);
    const auto y = b.params.find(name);
    if (x != a.params.end() && y != b.params.end() && x->second == y->second) continue;
    out.push_back(absl::StrCat(name, " ", x == a.params.end() ? "(none)" : absl::StrCat(x->second), " -> ",
                               y == b.params.end() ? "(none)" : absl::StrCat(y->second)));
  }
  return out;
}

}  // namespace

std::vector<RuleChange> DiffRuleSets(const RuleSet& before, const RuleSet& after) {
  std::vector<RuleChange> out;
  for (const RuleDefinition* definition : Registry()) {
    const std::string& id = definition->id;
    const RuleConfig* a = Configured(before, id);
    const RuleConfig* b = Configured(after, id);
    if (a == nullptr && b == nullptr) continue;
    if (a == nullptr) {
      out.push_back({id, absl::StrCat("added (version ", b->version, b->enabled ? "" : ", switched off", ")")});
      continue;
    }
    if (b == nullptr) {
      out.push_back({id, "removed"});
      continue;
    }
    if (a->version != b->version) out.push_back({id, absl::StrCat("version ", a->version, " -> ", b->version)});
    if (a->enabled != b->enabled) out.push_back({id, b->enabled ? "switched on" : "switched off"});
    for (std::string& p : ParamChanges(*a, *b)) out.push_back({id, std::move(p)});
    if (a->severity != b->severity) out.push_back({id, absl::StrCat("severity ", a->severity, " -> ", b->severity)});
    if (a->team != b->team) out.push_back({id, absl::StrCat("team ", a->team, " -> ", b->team)});
    if (a->recommended_action != b->recommended_action) out.push_back({id, "recommended action reworded"});
  }
  if (before.default_authority != after.default_authority) {
    out.push_back({"", absl::StrCat("default_authority ", before.default_authority, " -> ", after.default_authority)});
  }
  if (before.escalate_after != after.escalate_after) {
    out.push_back({"", absl::StrCat("escalate_after ", Minutes(before.escalate_after), " -> ", Minutes(after.escalate_after))});
  }
  if (before.alert_horizon != after.alert_horizon) {
    out.push_back({"", absl::StrCat("alert_horizon ", absl::ToDoubleHours(before.alert_horizon) / 24, " days -> ",
                                    absl::ToDoubleHours(after.alert_horizon) / 24, " days")});
  }
  if (before.settle != after.settle) {
    out.push_back({"", absl::StrCat("settle ", absl::ToDoubleSeconds(before.settle), " s -> ",
                                    absl::ToDoubleSeconds(after.settle), " s")});
  }
  return out;
}

absl::Status CheckVersions(const RuleSet& before, const RuleSet& after) {
  std::vector<std::string> problems;
  for (const RuleConfig& b : after.rules) {
    const RuleConfig* a = Configured(before, b.id);
    if (a == nullptr) continue;
    if (b.version < a->version) {
      problems.push_back(absl::StrCat(b.id, ": version ", b.version, " is lower than the ", a->version, " in force"));
      continue;
    }
    if (b.version != a->version) continue;
    std::vector<std::string> changed = ParamChanges(*a, b);
    if (a->severity != b.severity) changed.push_back(absl::StrCat("severity ", a->severity, " -> ", b.severity));
    if (!changed.empty()) {
      problems.push_back(absl::StrCat(b.id, ": ", absl::StrJoin(changed, ", "), " but the version is still ", b.version));
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "a rule's meaning changed without a new version (alerts record the version that raised them, so give each "
      "changed rule the next version): ",
      absl::StrJoin(problems, "; ")));
}

}  // namespace homeward::aggregator::rules
