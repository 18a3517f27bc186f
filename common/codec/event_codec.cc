#include "common/codec/event_codec.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/topics.h"

namespace homeward {
namespace {

using google::protobuf::Timestamp;

// google.protobuf.Timestamp's own range (0001-01-01 to 9999-12-31) and nanos in [0, 1e9):
// anything else is not a time, and is refused rather than clamped.
absl::StatusOr<absl::Time> CheckedTime(absl::string_view field, const Timestamp& ts) {
  constexpr int64_t kMinSeconds = -62135596800, kMaxSeconds = 253402300799;
  if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds || ts.nanos() < 0 || ts.nanos() > 999'999'999) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not a valid timestamp (", ts.seconds(), " s, ", ts.nanos(), " ns)"));
  }
  return FromProtoTime(ts);
}

absl::StatusOr<std::optional<absl::Time>> OptionalTime(absl::string_view field, bool has, const Timestamp& ts) {
  if (!has) return std::optional<absl::Time>();
  absl::StatusOr<absl::Time> t = CheckedTime(field, ts);
  if (!t.ok()) return t.status();
  return std::optional<absl::Time>(*t);
}

std::vector<std::string> ToVector(const google::protobuf::RepeatedPtrField<std::string>& field) {
  return {field.begin(), field.end()};
}
void FromVector(const std::vector<std::string>& v, google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const auto& s : v) out->Add(std::string(s));
}

// Proto enums and domain enums list their values in the same order, so the conversion is a cast
// bounded by the proto's valid range (unknown values from a newer producer are rejected).
template <typename Domain, typename Proto>
absl::StatusOr<Domain> EnumFromProto(Proto value, bool (*is_valid)(int), absl::string_view field) {
  if (!is_valid(static_cast<int>(value))) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": unknown code ", static_cast<int>(value)));
  }
  return static_cast<Domain>(value);
}

v1::ChildRef ChildToProto(const ChildRef& c) {
  v1::ChildRef p;
  p.set_la_child_id(c.la_child_id);
  p.set_local_authority(c.local_authority);
  p.set_nhs_number(c.nhs_number);
  p.set_unverified_nhs_number(c.unverified_nhs_number);
  p.set_police_person_id(c.police_person_id);
  p.set_police_force(c.police_force);
  p.set_upn(c.upn);
  p.set_given_name(c.given_name);
  p.set_family_name(c.family_name);
  if (c.date_of_birth.has_value()) {
    p.mutable_date_of_birth()->set_year(static_cast<int32_t>(c.date_of_birth->year()));
    p.mutable_date_of_birth()->set_month(c.date_of_birth->month());
    p.mutable_date_of_birth()->set_day(c.date_of_birth->day());
  }
  p.set_sex(static_cast<v1::Sex>(c.sex));
  return p;
}

absl::StatusOr<ChildRef> ChildFromProto(const v1::ChildRef& p) {
  ChildRef c;
  c.la_child_id = p.la_child_id();
  c.local_authority = p.local_authority();
  c.nhs_number = p.nhs_number();
  c.unverified_nhs_number = p.unverified_nhs_number();
  c.police_person_id = p.police_person_id();
  c.police_force = p.police_force();
  c.upn = p.upn();
  c.given_name = p.given_name();
  c.family_name = p.family_name();
  if (p.has_date_of_birth()) {
    const auto& d = p.date_of_birth();
    const absl::CivilDay day(d.year(), d.month(), d.day());
    if (day.year() != d.year() || day.month() != d.month() || day.day() != d.day()) {
      return absl::InvalidArgumentError(absl::StrCat("child.date_of_birth: impossible date ",
                                                     d.year(), "-", d.month(), "-", d.day()));
    }
    c.date_of_birth = day;
  }
  auto sex = EnumFromProto<Sex>(p.sex(), &v1::Sex_IsValid, "child.sex");
  if (!sex.ok()) return sex.status();
  c.sex = *sex;
  return c;
}

}  // namespace

google::protobuf::Timestamp ToProtoTime(absl::Time t) {
  // Seconds, then the sub-second rest: nanoseconds since 1970 in 64 bits would saturate in 2262.
  // ToUnixSeconds rounds towards the infinite past, so the rest is in [0, 1 s).
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  ts.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(ts.seconds()))));
  return ts;
}

absl::Time FromProtoTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

v1::Event ToProto(const Event& e) {
  v1::Event p;
  p.set_event_id(e.event_id);
  p.set_agency_id(e.agency_id);
  p.set_agency_kind(static_cast<v1::AgencyKind>(e.agency_kind));
  p.set_source_record(e.source_record);
  p.set_facet(e.facet);
  p.set_revision(e.revision);
  *p.mutable_child() = ChildToProto(e.child);
  *p.mutable_occurred_at() = ToProtoTime(e.occurred_at);
  *p.mutable_recorded_at() = ToProtoTime(e.recorded_at);
  if (const auto* m = std::get_if<MissingReported>(&e.payload)) {
    auto* o = p.mutable_missing_reported();
    o->set_category(static_cast<v1::AbsenceCategory>(m->category));
    o->set_category_as_recorded(m->category_as_recorded);
    o->set_risk_grade(static_cast<v1::RiskGrade>(m->risk_grade));
    if (m->last_seen_at.has_value()) *o->mutable_last_seen_at() = ToProtoTime(*m->last_seen_at);
    o->set_last_seen_location(m->last_seen_location);
    o->set_placement_ref(m->placement_ref);
    if (m->ended_at.has_value()) *o->mutable_ended_at() = ToProtoTime(*m->ended_at);
  } else if (const auto* r = std::get_if<RiskRegraded>(&e.payload)) {
    auto* o = p.mutable_risk_regraded();
    o->set_from_grade(static_cast<v1::RiskGrade>(r->from_grade));
    o->set_to_grade(static_cast<v1::RiskGrade>(r->to_grade));
    o->set_decided_by(r->decided_by);
    o->set_reason(r->reason);
  } else if (const auto* f = std::get_if<FoundReturned>(&e.payload)) {
    auto* o = p.mutable_found_returned();
    o->set_found_location(f->found_location);
    o->set_found_by(f->found_by);
    o->set_prevention_interview_done(f->prevention_interview_done);
    if (f->prevention_interview_at.has_value()) {
      *o->mutable_prevention_interview_at() = ToProtoTime(*f->prevention_interview_at);
    }
  } else if (const auto* i = PayloadIf<ReturnInterview>(e.payload)) {
    auto* o = p.mutable_return_interview();
    o->set_outcome(static_cast<v1::InterviewOutcome>(i->outcome));
    o->set_independent(i->independent);
    o->set_conducted_by(i->conducted_by);
    o->set_reason(i->reason);
    FromVector(i->push_factors, o->mutable_push_factors());
    FromVector(i->pull_factors, o->mutable_pull_factors());
    o->set_where_and_with_whom(i->where_and_with_whom);
    o->set_harm_disclosed(i->harm_disclosed);
    FromVector(i->exploitation_indicators, o->mutable_exploitation_indicators());
    o->set_childs_own_words(i->childs_own_words);
    o->set_episode_ref(i->episode_ref);
  } else if (const auto* s = std::get_if<StrategyMeetingHeld>(&e.payload)) {
    auto* o = p.mutable_strategy_meeting_held();
    o->set_trigger_plan_recorded(s->trigger_plan_recorded);
    FromVector(s->attending_agencies, o->mutable_attending_agencies());
    o->set_outcome(s->outcome);
  } else if (const auto* pl = std::get_if<PlacementChanged>(&e.payload)) {
    auto* o = p.mutable_placement_changed();
    o->set_looked_after(pl->looked_after);
    o->set_placing_authority(pl->placing_authority);
    o->set_host_authority(pl->host_authority);
    o->set_placement_ref(pl->placement_ref);
    o->set_placement_type(pl->placement_type);
    o->set_allocated_team(pl->allocated_team);
    o->set_social_care_open(pl->social_care_open);
  } else if (const auto* x = std::get_if<ExploitationConcern>(&e.payload)) {
    auto* o = p.mutable_exploitation_concern();
    o->set_type(static_cast<v1::ExploitationType>(x->type));
    o->set_indicator(x->indicator);
  } else if (const auto* n = std::get_if<ChronologyNote>(&e.payload)) {
    auto* o = p.mutable_chronology_note();
    o->set_kind(n->kind);
    o->set_summary(n->summary);
  } else if (const auto* d = std::get_if<IdentityDecision>(&e.payload)) {
    auto* o = p.mutable_identity_decision();
    o->set_identifier_a(d->identifier_a);
    o->set_identifier_b(d->identifier_b);
    o->set_decision(d->link ? v1::IdentityDecision::DECISION_LINK : v1::IdentityDecision::DECISION_SEPARATE);
    o->set_decided_by(d->decided_by);
    o->set_reason(d->reason);
  } else if (const auto* g = std::get_if<ChildPurged>(&e.payload)) {
    auto* o = p.mutable_child_purged();
    FromVector(g->event_ids, o->mutable_event_ids());
    o->set_reason(g->reason);
    o->set_decided_by(g->decided_by);
  } else if (const auto* ph = PayloadIf<PhilomenaProfile>(e.payload)) {
    auto* o = p.mutable_philomena_profile();
    o->set_description(ph->description);
    o->set_photograph_ref(ph->photograph_ref);
    FromVector(ph->phone_numbers, o->mutable_phone_numbers());
    FromVector(ph->associates, o->mutable_associates());
    FromVector(ph->places_frequented, o->mutable_places_frequented());
    o->set_medical_needs(ph->medical_needs);
    o->set_completed_by(ph->completed_by);
    if (ph->completed_at.has_value()) *o->mutable_completed_at() = ToProtoTime(*ph->completed_at);
  }
  return p;
}

absl::StatusOr<Event> FromProto(const v1::Event& p) {
  Event e;
  e.event_id = p.event_id();
  e.agency_id = p.agency_id();
  auto kind = EnumFromProto<AgencyKind>(p.agency_kind(), &v1::AgencyKind_IsValid, "agency_kind");
  if (!kind.ok()) return kind.status();
  e.agency_kind = *kind;
  e.source_record = p.source_record();
  e.facet = p.facet();
  e.revision = p.revision();
  auto child = ChildFromProto(p.child());
  if (!child.ok()) return child.status();
  e.child = *std::move(child);
  if (!p.has_occurred_at()) return absl::InvalidArgumentError("occurred_at: required");
  if (!p.has_recorded_at()) return absl::InvalidArgumentError("recorded_at: required");
  absl::StatusOr<absl::Time> occurred = CheckedTime("occurred_at", p.occurred_at());
  if (!occurred.ok()) return occurred.status();
  absl::StatusOr<absl::Time> recorded = CheckedTime("recorded_at", p.recorded_at());
  if (!recorded.ok()) return recorded.status();
  e.occurred_at = *occurred;
  e.recorded_at = *recorded;

  switch (p.payload_case()) {
    case v1::Event::kMissingReported: {
      const auto& o = p.missing_reported();
      MissingReported m;
      auto category = EnumFromProto<AbsenceCategory>(o.category(), &v1::AbsenceCategory_IsValid,
                                                     "missing_reported.category");
      if (!category.ok()) return category.status();
      m.category = *category;
      m.category_as_recorded = o.category_as_recorded();
      auto grade = EnumFromProto<RiskGrade>(o.risk_grade(), &v1::RiskGrade_IsValid,
                                            "missing_reported.risk_grade");
      if (!grade.ok()) return grade.status();
      m.risk_grade = *grade;
      absl::StatusOr<std::optional<absl::Time>> last_seen =
          OptionalTime("missing_reported.last_seen_at", o.has_last_seen_at(), o.last_seen_at());
      if (!last_seen.ok()) return last_seen.status();
      m.last_seen_at = *last_seen;
      m.last_seen_location = o.last_seen_location();
      m.placement_ref = o.placement_ref();
      absl::StatusOr<std::optional<absl::Time>> ended =
          OptionalTime("missing_reported.ended_at", o.has_ended_at(), o.ended_at());
      if (!ended.ok()) return ended.status();
      m.ended_at = *ended;
      e.payload = std::move(m);
      break;
    }
    case v1::Event::kRiskRegraded: {
      const auto& o = p.risk_regraded();
      RiskRegraded r;
      auto from = EnumFromProto<RiskGrade>(o.from_grade(), &v1::RiskGrade_IsValid, "risk_regraded.from_grade");
      if (!from.ok()) return from.status();
      auto to = EnumFromProto<RiskGrade>(o.to_grade(), &v1::RiskGrade_IsValid, "risk_regraded.to_grade");
      if (!to.ok()) return to.status();
      r.from_grade = *from;
      r.to_grade = *to;
      r.decided_by = o.decided_by();
      r.reason = o.reason();
      e.payload = std::move(r);
      break;
    }
    case v1::Event::kFoundReturned: {
      const auto& o = p.found_returned();
      FoundReturned f;
      f.found_location = o.found_location();
      f.found_by = o.found_by();
      f.prevention_interview_done = o.prevention_interview_done();
      absl::StatusOr<std::optional<absl::Time>> interview = OptionalTime(
          "found_returned.prevention_interview_at", o.has_prevention_interview_at(), o.prevention_interview_at());
      if (!interview.ok()) return interview.status();
      f.prevention_interview_at = *interview;
      e.payload = std::move(f);
      break;
    }
    case v1::Event::kReturnInterview: {
      const auto& o = p.return_interview();
      ReturnInterview i;
      auto outcome = EnumFromProto<InterviewOutcome>(o.outcome(), &v1::InterviewOutcome_IsValid,
                                                     "return_interview.outcome");
      if (!outcome.ok()) return outcome.status();
      i.outcome = *outcome;
      i.independent = o.independent();
      i.conducted_by = o.conducted_by();
      i.reason = o.reason();
      i.push_factors = ToVector(o.push_factors());
      i.pull_factors = ToVector(o.pull_factors());
      i.where_and_with_whom = o.where_and_with_whom();
      i.harm_disclosed = o.harm_disclosed();
      i.exploitation_indicators = ToVector(o.exploitation_indicators());
      i.childs_own_words = o.childs_own_words();
      i.episode_ref = o.episode_ref();
      e.payload = std::move(i);
      break;
    }
    case v1::Event::kStrategyMeetingHeld: {
      const auto& o = p.strategy_meeting_held();
      e.payload = StrategyMeetingHeld{.trigger_plan_recorded = o.trigger_plan_recorded(),
                                      .attending_agencies = ToVector(o.attending_agencies()),
                                      .outcome = o.outcome()};
      break;
    }
    case v1::Event::kPlacementChanged: {
      const auto& o = p.placement_changed();
      e.payload = PlacementChanged{.looked_after = o.looked_after(),
                                   .placing_authority = o.placing_authority(),
                                   .host_authority = o.host_authority(),
                                   .placement_ref = o.placement_ref(),
                                   .placement_type = o.placement_type(),
                                   .allocated_team = o.allocated_team(),
                                   .social_care_open = o.social_care_open()};
      break;
    }
    case v1::Event::kExploitationConcern: {
      const auto& o = p.exploitation_concern();
      auto type = EnumFromProto<ExploitationType>(o.type(), &v1::ExploitationType_IsValid,
                                                  "exploitation_concern.type");
      if (!type.ok()) return type.status();
      e.payload = ExploitationConcern{.type = *type, .indicator = o.indicator()};
      break;
    }
    case v1::Event::kChronologyNote: {
      const auto& o = p.chronology_note();
      if (o.kind().empty()) return absl::InvalidArgumentError("chronology_note.kind: required");
      e.payload = ChronologyNote{.kind = o.kind(), .summary = o.summary()};
      break;
    }
    case v1::Event::kIdentityDecision: {
      const auto& o = p.identity_decision();
      if (o.decision() != v1::IdentityDecision::DECISION_LINK && o.decision() != v1::IdentityDecision::DECISION_SEPARATE) {
        return absl::InvalidArgumentError(absl::StrCat("identity_decision.decision: unknown code ", o.decision()));
      }
      e.payload = IdentityDecision{.identifier_a = o.identifier_a(),
                                   .identifier_b = o.identifier_b(),
                                   .link = o.decision() == v1::IdentityDecision::DECISION_LINK,
                                   .decided_by = o.decided_by(),
                                   .reason = o.reason()};
      break;
    }
    case v1::Event::kChildPurged: {
      const auto& o = p.child_purged();
      e.payload = ChildPurged{.event_ids = ToVector(o.event_ids()), .reason = o.reason(), .decided_by = o.decided_by()};
      break;
    }
    case v1::Event::kPhilomenaProfile: {
      const auto& o = p.philomena_profile();
      auto completed_at = OptionalTime("philomena_profile.completed_at", o.has_completed_at(), o.completed_at());
      if (!completed_at.ok()) return completed_at.status();
      e.payload = PhilomenaProfile{.description = o.description(),
                                   .photograph_ref = o.photograph_ref(),
                                   .phone_numbers = ToVector(o.phone_numbers()),
                                   .associates = ToVector(o.associates()),
                                   .places_frequented = ToVector(o.places_frequented()),
                                   .medical_needs = o.medical_needs(),
                                   .completed_by = o.completed_by(),
                                   .completed_at = *completed_at};
      break;
    }
    case v1::Event::PAYLOAD_NOT_SET:
      return absl::InvalidArgumentError("payload: none set (or a payload this version does not know)");
  }
  return e;
}

absl::StatusOr<Event> DecodeEvent(absl::string_view bytes) {
  v1::Event proto;
  if (!proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a homeward.v1.Event (", bytes.size(), " bytes failed to parse)"));
  }
  return FromProto(proto);
}

absl::Status CheckEventSize(size_t bytes) {
  if (bytes <= limits::kMaxEventBytes) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("event: ", bytes, " bytes encoded, over the limit of ", limits::kMaxEventBytes, " (docs/limits.md)"));
}

std::string EncodeEvent(const Event& event) { return ToProto(event).SerializeAsString(); }

OutboundMessage EventMessage(const Event& event) {
  return OutboundMessage{.topic = kafka::kEventsTopic,
                         .key = absl::StrCat(event.agency_id, "/", event.source_record),
                         .value = EncodeEvent(event),
                         .headers = {{"homeward-event-id", event.event_id}}};
}

}  // namespace homeward
