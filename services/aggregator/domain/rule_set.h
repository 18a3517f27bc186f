// File: rule_set.h
//
// The risk rules as configuration (config/rules.json; ../shared/domain/rules-and-scenarios.md):
// each with an id, a version, parameters, a severity, routing and a recommended action.
// Thresholds differ between areas (brief §3), so changing one needs no rebuild.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULE_SET_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULE_SET_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace homeward::aggregator {

struct RuleConfig {
  std::string id;  // a rule of the registry (rules/catalog.h): eleven risk rules, two data-quality checks
  int version = 1;
  bool enabled = true;
  std::string severity;  // "strategy meeting", "compliance", "escalation", "data quality", "notification"
  std::string team;      // routing: the team that receives it
  std::string recommended_action;
  // Parameters by name, each as its rule's ParamSpec says (rules/rule.h).
  std::map<std::string, double> params;
};

struct RuleSet {
  // Authority an alert is routed to when the child has no placement on record.
  std::string default_authority;
  // An alert not acknowledged within this time escalates.
  absl::Duration escalate_after = absl::Minutes(30);
  // An alert asks someone to act now: a rule does not fire for a trigger older than this
  // (history stays in the chronology). Without it, a replica rebuilding from the log, or an
  // agency back-loading years of records, would raise an alert for every past episode.
  absl::Duration alert_horizon = absl::Hours(24 * 365);
  // A time rule (long-missing, rhi-overdue) whose threshold had passed before the child's latest
  // records arrived, and early-help, wait this long after they arrived before they are raised,
  // so that the rest of the same import (the found record, the RHI, an earlier episode, a
  // social-care record) can show they were never due (alerts.h).
  absl::Duration settle = absl::Seconds(60);
  std::vector<RuleConfig> rules;

  // The enabled rule with this id, or nullptr.
  const RuleConfig* Find(const std::string& id) const {
    for (const RuleConfig& r : rules) {
      if (r.id == id && r.enabled) return &r;
    }
    return nullptr;
  }
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULE_SET_H_
