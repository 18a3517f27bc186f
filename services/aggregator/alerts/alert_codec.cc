#include "services/aggregator/alerts/alert_codec.h"

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/topics.h"

namespace homeward::aggregator {
namespace {


v1::AlertTransition::Kind ToProto(TransitionKind kind) {
  switch (kind) {
    case TransitionKind::kAcknowledge: return v1::AlertTransition::KIND_ACKNOWLEDGE;
    case TransitionKind::kAction: return v1::AlertTransition::KIND_ACTION;
    case TransitionKind::kClose: return v1::AlertTransition::KIND_CLOSE;
    case TransitionKind::kEscalate: return v1::AlertTransition::KIND_ESCALATE;
    case TransitionKind::kWithdraw: return v1::AlertTransition::KIND_WITHDRAW;
    case TransitionKind::kRekey: return v1::AlertTransition::KIND_REKEY;
    case TransitionKind::kMerge: return v1::AlertTransition::KIND_MERGE;
  }
  return v1::AlertTransition::KIND_UNSPECIFIED;
}

absl::StatusOr<TransitionKind> FromProto(v1::AlertTransition::Kind kind) {
  switch (kind) {
    case v1::AlertTransition::KIND_ACKNOWLEDGE: return TransitionKind::kAcknowledge;
    case v1::AlertTransition::KIND_ACTION: return TransitionKind::kAction;
    case v1::AlertTransition::KIND_CLOSE: return TransitionKind::kClose;
    case v1::AlertTransition::KIND_ESCALATE: return TransitionKind::kEscalate;
    case v1::AlertTransition::KIND_WITHDRAW: return TransitionKind::kWithdraw;
    case v1::AlertTransition::KIND_REKEY: return TransitionKind::kRekey;
    case v1::AlertTransition::KIND_MERGE: return TransitionKind::kMerge;
    case v1::AlertTransition::KIND_UNSPECIFIED:
    case v1::AlertTransition_Kind_AlertTransition_Kind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::AlertTransition_Kind_AlertTransition_Kind_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return absl::InvalidArgumentError(absl::StrCat("transition.kind: unknown code ", kind));
}

v1::AlertTransition ToProto(const AlertTransition& t) {
  v1::AlertTransition p;
  p.set_alert_id(t.alert_id);
  p.set_kind(ToProto(t.kind));
  p.set_by(t.by);
  *p.mutable_at() = ToProtoTime(t.at);
  p.set_note(t.note);
  p.set_child_id(t.child_id.value());
  p.set_merged_into(t.merged_into);
  return p;
}

// The domain enums mirror the wire's.
static_assert(static_cast<int>(AlertState::kRaised) == v1::ALERT_STATE_RAISED);
static_assert(static_cast<int>(AlertState::kAcknowledged) == v1::ALERT_STATE_ACKNOWLEDGED);
static_assert(static_cast<int>(AlertState::kActioned) == v1::ALERT_STATE_ACTIONED);
static_assert(static_cast<int>(AlertState::kClosed) == v1::ALERT_STATE_CLOSED);
static_assert(static_cast<int>(AlertState::kWithdrawn) == v1::ALERT_STATE_WITHDRAWN);

}  // namespace

v1::Alert ToProto(const Alert& a) {
  v1::Alert p;
  p.set_alert_id(a.alert_id);
  p.set_child_id(a.child_id.value());
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
  p.set_more_causes(a.more_causes);
  *p.mutable_due_at() = ToProtoTime(a.due_at);
  p.set_raised_for_child_id(a.raised_for_child_id.value());
  p.set_merged_into(a.merged_into);
  for (const auto& id : a.merged_from) p.add_merged_from(id);
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
            .child_id = ChildId(r.child_id()),
            .rule_id = r.rule_id(),
            .rule_version = r.rule_version(),
            .severity = r.severity(),
            .cause_event_ids = {r.cause_event_ids().begin(), r.cause_event_ids().end()},
            .recommended_action = r.recommended_action(),
            .team = r.team(),
            .authorities = {r.authorities().begin(), r.authorities().end()},
            .raised_at = FromProtoTime(r.raised_at()),
            .triggered_by_event_time = FromProtoTime(r.triggered_by_event_time()),
            .due_at = r.has_due_at() ? FromProtoTime(r.due_at()) : FromProtoTime(r.triggered_by_event_time()),
            .reason = r.reason(),
            .anchor_event_ids = {r.anchor_event_ids().begin(), r.anchor_event_ids().end()}};
    a.more_causes = r.more_causes();
    return AlertRecord(std::move(a));
  }
  if (p.has_transition()) {
    const v1::AlertTransition& t = p.transition();
    absl::StatusOr<TransitionKind> kind = FromProto(t.kind());
    if (!kind.ok()) return kind.status();
    if (*kind == TransitionKind::kRekey && t.child_id().empty()) return absl::InvalidArgumentError("child_id: required");
    if (*kind == TransitionKind::kMerge && t.merged_into().empty()) {
      return absl::InvalidArgumentError("merged_into: required");
    }
    return AlertRecord(AlertTransition{.alert_id = t.alert_id(),
                                       .kind = *kind,
                                       .by = t.by(),
                                       .at = FromProtoTime(t.at()),
                                       .note = t.note(),
                                       .child_id = ChildId(t.child_id()),
                                       .merged_into = t.merged_into()});
  }
  return absl::InvalidArgumentError("an AlertRecord with neither raised nor transition");
}

}  // namespace homeward::aggregator
