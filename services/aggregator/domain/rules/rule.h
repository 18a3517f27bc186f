// File: rule.h
//
// What a risk rule is (issue 16, point 1): an id, typed parameters, and the functions that
// evaluate it over one child's records. Each rule is one file in this directory defining one
// RuleDefinition, and one row of the registry (registry.cc); a proposed rule set is then just
// configuration (config/rules.json), read against these definitions. Pure.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_RULE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_RULE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/aggregator/domain/alert.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/domain/rule_set.h"

namespace homeward::aggregator::rules {

// What a parameter measures; the rules file gives it as a number in this unit.
enum class ParamUnit { kCount, kDays, kHours, kYears, kWorkingDays };

struct ParamSpec {
  std::string name;  // its key under "params" in the rules file
  ParamUnit unit;
  double min;  // inclusive
  double max;  // inclusive
  std::string meaning;
};

// What a rule may give Raiser::Raise beyond the defaults. (Outside Raiser, so that its member
// initializers are known where Raise's default argument needs them.)
struct RaiseOptions {
  std::vector<std::string> authorities;  // default: the child's placing authority
  std::vector<std::string> anchor;       // default: the causes
  std::optional<absl::Time> due_at;      // default: the trigger time
  std::string team;                      // default: the rule's team
  // Causes left out before `causes` (a caller that kept only the latest): counted in
  // more_causes. Give `anchor` with it.
  int earlier_causes = 0;
};

// Builds the alerts of one evaluation, with each rule's configuration and the child's routing.
class Raiser {
 public:
  Raiser(const ChildFacts& child, const RuleSet& rules, absl::Time now);

  using Options = RaiseOptions;
  // An alert of `rule` for occasion `cause` (its id is "<rule>:<cause>"). It keeps the latest
  // kMaxCauseEventIds of `causes` and counts the rest in more_causes.
  void Raise(const RuleConfig& rule, const std::string& cause, absl::Time trigger_time, std::vector<std::string> causes,
             std::string reason, Options options = {});

  std::vector<Alert> alerts;

 private:
  const ChildFacts& child_;
  const absl::Time now_;
  std::vector<std::string> authorities_;
};

struct RuleDefinition {
  std::string id;
  std::string summary;  // what it looks for, in a sentence
  std::string source;   // where the rule comes from (rules-and-scenarios.md, the audit, ...)
  std::vector<ParamSpec> params;
  // Depends on `now` as well as the records: next_due says when it may next fall due.
  bool time_rule = false;
  // A later record of the same import can reverse its answer, so when its moment passed before
  // the child's latest records arrived it waits for the rest of the import (SettlingUntil).
  bool settles_on_arrival = false;

  // Every occasion the child's records call for at `now`. Null for a rule raised elsewhere
  // (log-gap: by the ingestor).
  void (*evaluate)(const RuleConfig& rule, const ChildFacts& child, absl::Time now, Raiser& raiser) = nullptr;
  // Time rules: the earliest time after `now` at which it could fall due for the child.
  std::optional<absl::Time> (*next_due)(const RuleConfig& rule, const ChildFacts& child, absl::Time now) = nullptr;
  // Why an alert it raised was never due, now that it is not (ReviewAlert's withdrawal note).
  // `rule` is null when the rule is now switched off. Null: a general sentence.
  std::string (*never_due)(const RuleConfig* rule, const Alert& alert, const ChildFacts& child) = nullptr;
  // Data-quality and compliance rules whose alert is closed, not withdrawn, when the records no
  // longer call for it (the records were put right): the closing note. Empty: withdrawn.
  std::string cleared_note;
  // A closing condition met while the rule still holds (an RHI done late; the child now known
  // to social care): the closing note, or nullopt.
  std::optional<std::string> (*closes)(const Alert& alert, const ChildFacts& child) = nullptr;
  // What the alert asked for is done (a record says so): when, and the note. Null: only a strategy
  // meeting actions an alert (of severity strategy meeting or escalation).
  struct Done {
    absl::Time at;
    std::string note;
  };
  std::optional<Done> (*actioned)(const Alert& alert, const ChildFacts& child) = nullptr;
};

// The value of a parameter (RuleConfig.params holds it, checked against its ParamSpec when the
// rules file was read).
int CountParam(const RuleConfig& rule, const std::string& name);
absl::Duration DaysParam(const RuleConfig& rule, const std::string& name);
absl::Duration HoursParam(const RuleConfig& rule, const std::string& name);

// `t` plus `days` working days (Monday to Friday, UTC; bank holidays are not known to the hub):
// from a Friday afternoon, 1 working day is the Monday afternoon.
absl::Time AddWorkingDays(absl::Time t, int days);

}  // namespace homeward::aggregator::rules

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_RULE_H_
