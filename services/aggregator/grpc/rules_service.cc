#include "services/aggregator/grpc/rules_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/codec/event_codec.h"
#include "common/grpc/status.h"
#include "services/aggregator/alerts/rules_file.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/what_if.h"
#include "services/aggregator/grpc/conversions.h"
#include "services/aggregator/grpc/report_service.h"

namespace homeward::aggregator {
namespace {

using access::Action;

const char* UnitName(rules::ParamUnit unit) {
  switch (unit) {
    case rules::ParamUnit::kCount: return "count";
    case rules::ParamUnit::kDays: return "days";
    case rules::ParamUnit::kHours: return "hours";
    case rules::ParamUnit::kYears: return "years";
    case rules::ParamUnit::kWorkingDays: return "working days";
  }
  return "";
}

void ToProto(absl::Duration d, google::protobuf::Duration* out) {
  const int64_t nanos = absl::ToInt64Nanoseconds(d);
  out->set_seconds(nanos / 1'000'000'000);
  out->set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
}

void ToProto(const std::vector<rules::RuleChange>& changes, google::protobuf::RepeatedPtrField<v1::RuleChange>* out) {
  for (const rules::RuleChange& c : changes) {
    v1::RuleChange* change = out->Add();
    change->set_rule_id(c.rule_id);
    change->set_change(c.what);
  }
}

void ToProto(const rules::RuleComparison& r, v1::RuleOutcome* out) {
  out->set_rule_id(r.rule_id);
  out->set_in_force(r.in_force);
  out->set_proposed(r.proposed);
  out->set_alerts_in_force(r.shipped_alerts);
  out->set_alerts_proposed(r.proposed_alerts);
  out->set_children_in_force(r.shipped_children);
  out->set_children_proposed(r.proposed_children);
  out->set_children_both(r.both_children);
  out->set_earlier(r.earlier);
  out->set_later(r.later);
  out->set_same(r.same);
  if (r.median_shift) ToProto(*r.median_shift, out->mutable_median_shift());
}

}  // namespace

grpc::ServerUnaryReactor* RulesService::ListRules(grpc::CallbackServerContext* context, const v1::ListRulesRequest*,
                                                  v1::ListRulesResponse* response) {
  constexpr char kMethod[] = "ListRules";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kReadReports, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  for (const rules::RuleDefinition* definition : rules::Registry()) {
    v1::RuleInfo* info = response->add_rules();
    info->set_id(definition->id);
    info->set_summary(definition->summary);
    info->set_source(definition->source);
    info->set_time_rule(definition->time_rule);
    const RuleConfig* config = nullptr;
    for (const RuleConfig& r : options_.in_force.rules) {
      if (r.id == definition->id) config = &r;
    }
    if (config != nullptr) {
      info->set_version(config->version);
      info->set_enabled(config->enabled);
      info->set_severity(config->severity);
      info->set_team(config->team);
      info->set_recommended_action(config->recommended_action);
    }
    for (const rules::ParamSpec& spec : definition->params) {
      v1::RuleParameter* p = info->add_parameters();
      p->set_name(spec.name);
      p->set_unit(UnitName(spec.unit));
      p->set_min(spec.min);
      p->set_max(spec.max);
      p->set_meaning(spec.meaning);
      if (config != nullptr && config->params.contains(spec.name)) p->set_value(config->params.at(spec.name));
    }
  }
  response->set_revision(options_.revision);
  return gate_.Answer(context, response, *caller, Action::kReadReports, kMethod, "", "listed the rules",
                      absl::OkStatus());
}

grpc::ServerUnaryReactor* RulesService::WhatIf(grpc::CallbackServerContext* context, const v1::WhatIfRequest* request,
                                               v1::WhatIfResponse* response) {
  constexpr char kMethod[] = "WhatIf";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kReadReports, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  const auto refuse = [&](const std::string& detail, const absl::Status& why) {
    return gate_.Answer(context, response, *caller, Action::kReadReports, kMethod, "", detail, why);
  };
  absl::StatusOr<RuleSet> proposed = ParseRulesFile(request->proposed_rules());
  if (!proposed.ok()) {
    return refuse("what-if", absl::InvalidArgumentError(absl::StrCat("proposed rules: ", proposed.status().message())));
  }
  absl::StatusOr<absl::CivilDay> from = PeriodDay(request->from(), "from", "first");
  if (!from.ok()) return refuse("what-if", from.status());
  absl::StatusOr<absl::CivilDay> to = PeriodDay(request->to(), "to", "last");
  if (!to.ok()) return refuse("what-if", to.status());
  const rules::WhatIfRequest wanted{.from = absl::FromCivil(*from, absl::UTCTimeZone()),
                                    .to = absl::FromCivil(*to + 1, absl::UTCTimeZone()),
                                    .now = clock_.Now(),
                                    .episodes = options_.episodes};
  const std::vector<rules::RuleChange> changes = rules::DiffRuleSets(options_.in_force, *proposed);
  std::string detail = absl::StrCat("what-if ", absl::FormatCivilTime(*from), "..", absl::FormatCivilTime(*to), ": ",
                                    changes.size(), " change(s) to the rules in force");
  const ReportSlot slot(running_);
  if (!slot.held()) {
    return refuse(detail, absl::ResourceExhaustedError(absl::StrCat(
                              kMaxConcurrentReports, " reports or what-ifs are being computed; try again shortly")));
  }
  absl::StatusOr<rules::WhatIfResult> result = rules::RunWhatIf(events_, options_.in_force, *proposed, wanted);
  if (!result.ok()) return refuse(detail, result.status());

  *response->mutable_from() = ToProto(*from);
  *response->mutable_to() = ToProto(*to);
  response->set_events_replayed(static_cast<int64_t>(result->events_replayed));
  ToProto(result->changes, response->mutable_changes());
  for (const rules::RuleComparison& r : result->rules) ToProto(r, response->add_rules());
  response->set_meeting_children_in_force(result->shipped_meeting_children);
  response->set_meeting_children_proposed(result->proposed_meeting_children);
  response->set_meeting_earlier(result->meeting_earlier);
  response->set_meeting_later(result->meeting_later);
  if (result->meeting_median_shift) ToProto(*result->meeting_median_shift, response->mutable_meeting_median_shift());
  response->set_meeting_only_in_force_count(static_cast<int32_t>(result->meeting_only_shipped.size()));
  response->set_meeting_only_proposed_count(static_cast<int32_t>(result->meeting_only_proposed.size()));

  // Naming a child discloses that they would (or would not) have had a strategy meeting: as a
  // child's record is, to a coordinator who gives a purpose and lawful basis (then logged).
  absl::StatusOr<security::Caller> naming = gate_.AdmitQuietly(*context, Action::kReadChild);
  const bool may_name = naming.ok();
  if (may_name) caller = *std::move(naming);
  if (!may_name) {
    response->set_not_named_because(
        caller->principal.role == access::Role::kCoordinator
            ? "children are named only when a purpose and lawful basis are given (--purpose, --lawful_basis)"
            : "children are named only to coordinators, and only those of their authority");
  }
  std::vector<std::string> named;
  int hidden = 0;
  const auto name = [&](const std::vector<rules::ChildDifference>& children,
                        google::protobuf::RepeatedPtrField<v1::MeetingDifference>* out) {
    for (const rules::ChildDifference& c : children) {
      if (!may_name || !gate_.MaySee(*caller, c.child_id)) {
        ++hidden;
        continue;
      }
      v1::MeetingDifference* d = out->Add();
      d->set_child_id(c.child_id.value());
      for (const std::string& a : c.authorities) d->add_authorities(a);
      d->set_rule_id(c.rule_id);
      *d->mutable_first_alert() = ToProtoTime(c.first_alert);
      named.push_back(c.child_id.value());
    }
  };
  name(result->meeting_only_shipped, response->mutable_meeting_only_in_force());
  name(result->meeting_only_proposed, response->mutable_meeting_only_proposed());
  if (may_name && hidden > 0) {
    response->set_not_named_because(
        absl::StrCat(hidden, " child(ren) not named: they are not children of your authority"));
  }
  absl::StrAppend(&detail, "; ", result->events_replayed, " events replayed; named ", named.size(), " child(ren)",
                  named.empty() ? "" : ": ", absl::StrJoin(named, ", "));
  return gate_.Answer(context, response, *caller, Action::kReadReports, kMethod, "", detail, absl::OkStatus());
}

grpc::ServerUnaryReactor* RulesService::GetRulesHistory(grpc::CallbackServerContext* context,
                                                        const v1::GetRulesHistoryRequest*,
                                                        v1::GetRulesHistoryResponse* response) {
  constexpr char kMethod[] = "GetRulesHistory";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kReadReports, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  absl::StatusOr<std::vector<rules::RulesRevision>> revisions = history_.Revisions();
  absl::Status outcome = revisions.status();
  if (revisions.ok()) {
    std::optional<RuleSet> before;
    for (const rules::RulesRevision& r : *revisions) {
      v1::RulesRevision* out = response->add_revisions();
      out->set_revision(r.revision);
      *out->mutable_adopted_at() = ToProtoTime(r.adopted_at);
      out->set_source(r.source);
      out->set_text(r.text);
      absl::StatusOr<RuleSet> set = ParseRulesFile(r.text);
      if (!set.ok()) {
        outcome = absl::DataLossError(absl::StrCat("rules revision ", r.revision, " cannot be read: ", set.status().message()));
        break;
      }
      ToProto(rules::DiffRuleSets(before.value_or(RuleSet{.default_authority = set->default_authority,
                                                           .escalate_after = set->escalate_after,
                                                           .alert_horizon = set->alert_horizon,
                                                           .settle = set->settle}),
                                  *set),
              out->mutable_changes());
      before = *std::move(set);
    }
  }
  if (!outcome.ok()) response->Clear();
  return gate_.Answer(context, response, *caller, Action::kReadReports, kMethod, "",
                      absl::StrCat("rules history: ", response->revisions_size(), " revision(s)"), outcome);
}

}  // namespace homeward::aggregator
