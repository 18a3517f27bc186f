#include "services/aggregator/alerts/alert_codec.h"

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/topics.h"

namespace homeward::aggregator {
namespace {


v1::AlertTransition ToProto(const AlertTransition& t) {
  v1::AlertTransition p;
  p.set_alert_id(t.alert_id);
  switch (t.kind) {
    case TransitionKind::kAcknowledge: p.set_kind(v1::AlertTransition::KIND_ACKNOWLEDGE); break;
    case TransitionKind::kAction: p.set_kind(v1::AlertTransition::KIND_ACTION); break;
    case TransitionKind::kClose: p.set_kind(v1::AlertTransition::KIND_CLOSE); break;
    case TransitionKind::kEscalate: p.set_kind(v1::AlertTransition::KIND_ESCALATE); break;
  }
  p.set_by(t.by);
  *p.mutable_at() = ToProtoTime(t.at);
  p.set_note(t.note);
  return p;
}

}  // namespace

v1::Alert ToProto(const Alert& a) {
  v1::Alert p;
  p.set_alert_id(a.alert_id);
  p.set_child_id(a.child_id);
  p.set_rule_id(a.rule_id);
  p.set_rule_version(a.rule_version);
  p.set_severity(a.severity);
  for (const auto& id : a.cause_event_ids) p.add_cause_event_ids(id);
  p.set_recommended_action(a.recommended_action);
  p.set_team(a.team);
  for (const auto& au : a.authorities) p.add_authorities(au);
  *p.mutable_raised_at() = ToProtoTime(a.raised_at);
  p.set_state(static_cast<v1::AlertState>(a.state));
  p.set_acknowledged_by(a.acknowledged_by);
  p.set_escalated(a.escalated);
  p.set_reason(a.reason);
  *p.mutable_triggered_by_event_time() = ToProtoTime(a.triggered_by_event_time);
  for (const auto& t : a.history) *p.add_history() = ToProto(t);
  for (const auto& id : a.anchor_event_ids) p.add_anchor_event_ids(id);
  return p;
}

OutboundMessage AlertRecordMessage(const AlertRecord& record) {
  v1::AlertRecord p;
  std::string key;
  if (const auto* a = std::get_if<Alert>(&record)) {
    *p.mutable_raised() = ToProto(*a);
    key = a->alert_id;
  } else {
    const auto& t = std::get<AlertTransition>(record);
    *p.mutable_transition() = ToProto(t);
    key = t.alert_id;
  }
  return OutboundMessage{.topic = kafka::kAlertsTopic, .key = key, .value = p.SerializeAsString()};
}

absl::StatusOr<AlertRecord> DecodeAlertRecord(absl::string_view bytes) {
  v1::AlertRecord p;
  if (!p.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("not a homeward.v1.AlertRecord");
  }
  if (p.has_raised()) {
    const v1::Alert& r = p.raised();
    if (r.alert_id().empty()) return absl::InvalidArgumentError("alert_id: required");
    Alert a{.alert_id = r.alert_id(),
            .child_id = r.child_id(),
            .rule_id = r.rule_id(),
            .rule_version = r.rule_version(),
            .severity = r.severity(),
            .cause_event_ids = {r.cause_event_ids().begin(), r.cause_event_ids().end()},
            .recommended_action = r.recommended_action(),
            .team = r.team(),
            .authorities = {r.authorities().begin(), r.authorities().end()},
            .raised_at = FromProtoTime(r.raised_at()),
            .triggered_by_event_time = FromProtoTime(r.triggered_by_event_time()),
            .reason = r.reason(),
            .anchor_event_ids = {r.anchor_event_ids().begin(), r.anchor_event_ids().end()}};
    return AlertRecord(std::move(a));
  }
  if (p.has_transition()) {
    const v1::AlertTransition& t = p.transition();
    AlertTransition out{.alert_id = t.alert_id(), .by = t.by(), .at = FromProtoTime(t.at()), .note = t.note()};
    switch (t.kind()) {
      case v1::AlertTransition::KIND_ACKNOWLEDGE: out.kind = TransitionKind::kAcknowledge; break;
      case v1::AlertTransition::KIND_ACTION: out.kind = TransitionKind::kAction; break;
      case v1::AlertTransition::KIND_CLOSE: out.kind = TransitionKind::kClose; break;
      case v1::AlertTransition::KIND_ESCALATE: out.kind = TransitionKind::kEscalate; break;
      default: return absl::InvalidArgumentError(absl::StrCat("transition.kind: unknown code ", t.kind()));
    }
    return AlertRecord(std::move(out));
  }
  return absl::InvalidArgumentError("an AlertRecord with neither raised nor transition");
}

}  // namespace homeward::aggregator
