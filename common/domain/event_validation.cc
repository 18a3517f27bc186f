#include "common/domain/event_validation.h"

#include <variant>

#include "absl/strings/str_cat.h"
#include "common/domain/child_identifiers.h"

namespace homeward {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

std::string Rfc3339(absl::Time t) { return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone()); }

absl::Status CheckTime(absl::string_view field, absl::Time t, absl::Time now, const ValidationOptions& options) {
  if (t < options.earliest) {
    return Invalid(field, absl::StrCat("impossible time ", Rfc3339(t), " (before ", Rfc3339(options.earliest), ")"));
  }
  if (t > now + options.future_tolerance) {
    return Invalid(field, absl::StrCat(Rfc3339(t), " is in the future (now ", Rfc3339(now), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckOptionalTime(absl::string_view field, const std::optional<absl::Time>& t, absl::Time now,
                               const ValidationOptions& options) {
  return t.has_value() ? CheckTime(field, *t, now, options) : absl::OkStatus();
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
size_t Utf8Length(absl::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t n = 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3;
  else if (c >= 0xF0 && c <= 0xF4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  // Overlong forms, surrogates and code points past U+10FFFF.
  if (n == 3 && ((c == 0xE0 && byte(i + 1) < 0xA0) || (c == 0xED && byte(i + 1) > 0x9F))) return 0;
  if (n == 4 && ((c == 0xF0 && byte(i + 1) < 0x90) || (c == 0xF4 && byte(i + 1) > 0x8F))) return 0;
  return n;
}

enum class TextKind { kName, kShort, kLong };

// Names: no control characters at all. Other text is the agency's own words, kept as written
// (the CLI escapes control characters when it prints them), but it must be valid UTF-8 (the wire
// contract's strings are) and within its limit.
absl::Status CheckText(absl::string_view field, absl::string_view text, TextKind kind) {
  const size_t max = kind == TextKind::kName ? limits::kMaxNameBytes
                     : kind == TextKind::kShort ? limits::kMaxShortTextBytes
                                                : limits::kMaxLongTextBytes;
  if (text.size() > max) return Invalid(field, absl::StrCat(text.size(), " bytes, over the limit of ", max));
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8Length(text, i);
    if (n == 0) return Invalid(field, absl::StrCat("not valid UTF-8 (byte ", i, ")"));
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (kind == TextKind::kName && n == 1 && (c < 0x20 || c == 0x7F)) {
      return Invalid(field, absl::StrCat("control character 0x", absl::Hex(c, absl::kZeroPad2), " in a name"));
    }
    i += n;
  }
  return absl::OkStatus();
}

absl::Status CheckList(absl::string_view field, const std::vector<std::string>& items, TextKind kind) {
  if (items.size() > limits::kMaxListItems) {
    return Invalid(field, absl::StrCat(items.size(), " items, over the limit of ", limits::kMaxListItems));
  }
  for (size_t i = 0; i < items.size(); ++i) {
    if (absl::Status s = CheckText(absl::StrCat(field, "[", i, "]"), items[i], kind); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckAgencyId(absl::string_view id) {
  if (id.empty()) return Invalid("agency_id", "required");
  if (id.size() > limits::kMaxAgencyIdBytes) {
    return Invalid("agency_id", absl::StrCat(id.size(), " bytes, over the limit of ", limits::kMaxAgencyIdBytes));
  }
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!ok) return Invalid("agency_id", "only lower-case letters, digits, '.', '-' and '_'");
  }
  return absl::OkStatus();
}

absl::Status CheckOptionalId(absl::string_view field, absl::string_view id) {
  return id.empty() ? absl::OkStatus() : CheckId(field, id);
}

absl::Status CheckChild(const ChildRef& c) {
  for (const auto& [field, id] : {std::pair{"child.la_child_id", &c.la_child_id},
                                  {"child.local_authority", &c.local_authority},
                                  {"child.nhs_number", &c.nhs_number},
                                  {"child.unverified_nhs_number", &c.unverified_nhs_number},
                                  {"child.police_person_id", &c.police_person_id},
                                  {"child.police_force", &c.police_force},
                                  {"child.upn", &c.upn}}) {
    if (absl::Status s = CheckOptionalId(field, *id); !s.ok()) return s;
  }
  if (!c.nhs_number.empty()) {
    // A mistyped NHS number used as an identifier would link one child's records to another's.
    if (absl::Status s = CheckNhsNumber(c.nhs_number); !s.ok()) {
      return Invalid("child.nhs_number",
                     absl::StrCat(s.message(), "; send a number that fails the check as child.unverified_nhs_number "
                                               "(kept and shown, never used to link records)"));
    }
  }
  if (absl::Status s = CheckText("child.given_name", c.given_name, TextKind::kName); !s.ok()) return s;
  return CheckText("child.family_name", c.family_name, TextKind::kName);
}

// Every text field of the payload within its limit.
absl::Status CheckPayloadText(const Payload& payload) {
  struct Visitor {
    absl::Status operator()(const MissingReported& m) const {
      for (const auto& [f, t] : {std::pair{"missing_reported.category_as_recorded", &m.category_as_recorded},
                                 {"missing_reported.last_seen_location", &m.last_seen_location},
                                 {"missing_reported.placement_ref", &m.placement_ref}}) {
        if (absl::Status s = CheckText(f, *t, TextKind::kShort); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    absl::Status operator()(const RiskRegraded& r) const {
      if (absl::Status s = CheckText("risk_regraded.decided_by", r.decided_by, TextKind::kShort); !s.ok()) return s;
      return CheckText("risk_regraded.reason", r.reason, TextKind::kLong);
    }
    absl::Status operator()(const FoundReturned& f) const {
      if (absl::Status s = CheckText("found_returned.found_location", f.found_location, TextKind::kShort); !s.ok()) {
        return s;
      }
      return CheckText("found_returned.found_by", f.found_by, TextKind::kShort);
    }
    absl::Status operator()(const ReturnInterview& i) const {
      for (const auto& [f, t, kind] : {std::tuple{"return_interview.conducted_by", &i.conducted_by, TextKind::kShort},
                                       {"return_interview.episode_ref", &i.episode_ref, TextKind::kShort},
                                       {"return_interview.reason", &i.reason, TextKind::kLong},
                                       {"return_interview.where_and_with_whom", &i.where_and_with_whom, TextKind::kLong},
                                       {"return_interview.childs_own_words", &i.childs_own_words, TextKind::kLong}}) {
        if (absl::Status s = CheckText(f, *t, kind); !s.ok()) return s;
      }
      for (const auto& [f, list] : {std::pair{"return_interview.push_factors", &i.push_factors},
                                    {"return_interview.pull_factors", &i.pull_factors},
                                    {"return_interview.exploitation_indicators", &i.exploitation_indicators}}) {
        if (absl::Status s = CheckList(f, *list, TextKind::kShort); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    absl::Status operator()(const StrategyMeetingHeld& m) const {
      if (absl::Status s = CheckList("strategy_meeting_held.attending_agencies", m.attending_agencies, TextKind::kShort);
          !s.ok()) {
        return s;
      }
      return CheckText("strategy_meeting_held.outcome", m.outcome, TextKind::kLong);
    }
    absl::Status operator()(const PlacementChanged& p) const {
      for (const auto& [f, id] : {std::pair{"placement_changed.placing_authority", &p.placing_authority},
                                  {"placement_changed.host_authority", &p.host_authority}}) {
        if (absl::Status s = CheckOptionalId(f, *id); !s.ok()) return s;
      }
      for (const auto& [f, t] : {std::pair{"placement_changed.placement_ref", &p.placement_ref},
                                 {"placement_changed.placement_type", &p.placement_type},
                                 {"placement_changed.allocated_team", &p.allocated_team}}) {
        if (absl::Status s = CheckText(f, *t, TextKind::kShort); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    absl::Status operator()(const ExploitationConcern& x) const {
      return CheckText("exploitation_concern.indicator", x.indicator, TextKind::kShort);
    }
    absl::Status operator()(const ChronologyNote& n) const {
      if (absl::Status s = CheckText("chronology_note.kind", n.kind, TextKind::kShort); !s.ok()) return s;
      return CheckText("chronology_note.summary", n.summary, TextKind::kLong);
    }
    absl::Status operator()(const ChildPurged& p) const {
      if (p.event_ids.empty()) return Invalid("child_purged.event_ids", "required");
      if (p.event_ids.size() > limits::kMaxPurgeIds) {
        return Invalid("child_purged.event_ids",
                       absl::StrCat(p.event_ids.size(), " ids, over the limit of ", limits::kMaxPurgeIds));
      }
      for (size_t i = 0; i < p.event_ids.size(); ++i) {
        if (absl::Status s = CheckId(absl::StrCat("child_purged.event_ids[", i, "]"), p.event_ids[i],
                                     limits::kMaxEventIdBytes);
            !s.ok()) {
          return s;
        }
      }
      if (p.decided_by.empty()) return Invalid("child_purged.decided_by", "required");
      if (absl::Status s = CheckText("child_purged.decided_by", p.decided_by, TextKind::kShort); !s.ok()) return s;
      return CheckText("child_purged.reason", p.reason, TextKind::kLong);
    }
    absl::Status operator()(const IdentityDecision& d) const {
      if (absl::Status s = CheckText("identity_decision.decided_by", d.decided_by, TextKind::kShort); !s.ok()) return s;
      return CheckText("identity_decision.reason", d.reason, TextKind::kLong);
    }
    absl::Status operator()(const PhilomenaProfile& p) const {
      for (const auto& [f, t, kind] : {std::tuple{"philomena_profile.description", &p.description, TextKind::kLong},
                                       {"philomena_profile.photograph_ref", &p.photograph_ref, TextKind::kShort},
                                       {"philomena_profile.medical_needs", &p.medical_needs, TextKind::kLong},
                                       {"philomena_profile.completed_by", &p.completed_by, TextKind::kShort}}) {
        if (absl::Status s = CheckText(f, *t, kind); !s.ok()) return s;
      }
      for (const auto& [f, list] : {std::pair{"philomena_profile.phone_numbers", &p.phone_numbers},
                                    {"philomena_profile.associates", &p.associates},
                                    {"philomena_profile.places_frequented", &p.places_frequented}}) {
        if (absl::Status s = CheckList(f, *list, TextKind::kShort); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
  };
  return std::visit(Visitor{}, payload);
}

}  // namespace

absl::Status CheckId(absl::string_view field, absl::string_view id, size_t max_bytes) {
  if (id.empty()) return Invalid(field, "required");
  if (id.size() > max_bytes) return Invalid(field, absl::StrCat(id.size(), " bytes, over the limit of ", max_bytes));
  for (size_t i = 0; i < id.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(id[i]);
    if (c <= 0x20 || c >= 0x7F) {
      return Invalid(field, absl::StrCat("byte ", i, " (0x", absl::Hex(c, absl::kZeroPad2),
                                         ") is not printable ASCII; ids hold no spaces or control characters"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPhilomenaSource(AgencyKind kind) {
  // The protocol's form belongs to the child's carer: the provider or the local authority
  // (brief §4). A police or health system holding it would not be the protocol.
  if (kind == AgencyKind::kResidentialHome || kind == AgencyKind::kFosterPlacement || kind == AgencyKind::kSocialCare) {
    return absl::OkStatus();
  }
  return Invalid("philomena_profile",
                 absl::StrCat("a Philomena profile comes from the child's carer (a residential home, foster "
                              "placement or social care), not from a ",
                              ToString(kind), " agency"));
}

absl::Status ValidateEvent(const Event& event, absl::Time now, const ValidationOptions& options) {
  if (absl::Status s = CheckAgencyId(event.agency_id); !s.ok()) return s;
  if (event.agency_kind == AgencyKind::kUnspecified) return Invalid("agency_kind", "required");
  if (absl::Status s = CheckId("source_record", event.source_record); !s.ok()) return s;
  if (absl::Status s = CheckId("facet", event.facet); !s.ok()) return s;
  if (event.revision < 0) return Invalid("revision", "must not be negative");
  if (event.revision > limits::kMaxRevision) return Invalid("revision", absl::StrCat("over ", limits::kMaxRevision));
  const std::string expected_id = MakeEventId(event.agency_id, event.source_record, event.facet, event.revision);
  if (event.event_id != expected_id) {
    // The id as sent is not echoed raw: it may hold anything.
    return Invalid("event_id", absl::StrCat("does not match its parts: should be '", expected_id,
                                            "' (agency/record/facet@revision)"));
  }
  if (absl::Status s = CheckChild(event.child); !s.ok()) return s;
  if (absl::Status s = CheckPayloadText(event.payload); !s.ok()) return s;
  if (const auto* d = std::get_if<IdentityDecision>(&event.payload)) {
    if (event.agency_id != kIdentityAgency) {
      return Invalid("identity_decision", absl::StrCat("only ", kIdentityAgency, " publishes identity decisions"));
    }
    for (const std::string* id : {&d->identifier_a, &d->identifier_b}) {
      if (absl::Status s = ParseChildIdentifier(*id).status(); !s.ok()) return Invalid("identity_decision", s.message());
    }
    if (d->identifier_a == d->identifier_b) return Invalid("identity_decision", "an identifier is always itself");
    if (d->decided_by.empty()) return Invalid("identity_decision.decided_by", "required");
  } else if (std::holds_alternative<ChildPurged>(event.payload)) {
    if (event.agency_id != kRetentionAgency) {
      return Invalid("child_purged", absl::StrCat("only ", kRetentionAgency, " publishes purges"));
    }
  } else if (StrongIdentifiers(event.child).empty() && event.child->unverified_nhs_number.empty() &&
             (event.child->family_name.empty() || !event.child->date_of_birth.has_value())) {
    return Invalid("child", "no identifier: need one of NHS number, LA child id, police person "
                            "id, UPN, or at least family name and date of birth (or an unverified NHS number)");
  }
  if (absl::Status s = CheckTime("occurred_at", event.occurred_at, now, options); !s.ok()) return s;
  if (absl::Status s = CheckTime("recorded_at", event.recorded_at, now, options); !s.ok()) return s;
  if (event.child->date_of_birth.has_value()) {
    const absl::Time born = absl::FromCivil(*event.child->date_of_birth, absl::UTCTimeZone());
    if (absl::Status s = CheckTime("child.date_of_birth", born, now, options); !s.ok()) return s;
    if (born > event.occurred_at) {
      return Invalid("child.date_of_birth", "after the event it is recorded against");
    }
  }
  if (const auto* m = std::get_if<MissingReported>(&event.payload)) {
    if (m->category == AbsenceCategory::kUnspecified) {
      return Invalid("missing_reported.category", "required (missing, absent or away)");
    }
    if (absl::Status s = CheckOptionalTime("missing_reported.last_seen_at", m->last_seen_at, now, options); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckOptionalTime("missing_reported.ended_at", m->ended_at, now, options); !s.ok()) return s;
    if (m->last_seen_at.has_value() && *m->last_seen_at > event.occurred_at + options.future_tolerance) {
      return Invalid("missing_reported.last_seen_at", "after the report time");
    }
    if (m->ended_at.has_value() && *m->ended_at < event.occurred_at) {
      return Invalid("missing_reported.ended_at",
                     absl::StrCat("end ", Rfc3339(*m->ended_at), " before start ", Rfc3339(event.occurred_at)));
    }
  }
  if (const auto* f = std::get_if<FoundReturned>(&event.payload)) {
    if (absl::Status s = CheckOptionalTime("found_returned.prevention_interview_at", f->prevention_interview_at, now,
                                           options);
        !s.ok()) {
      return s;
    }
  }
  if (const auto* r = std::get_if<RiskRegraded>(&event.payload)) {
    if (r->to_grade == RiskGrade::kUnspecified) return Invalid("risk_regraded.to_grade", "required");
  }
  if (const auto* p = PayloadIf<PhilomenaProfile>(event.payload)) {
    if (absl::Status s = CheckPhilomenaSource(event.agency_kind); !s.ok()) return s;
    if (absl::Status s = CheckOptionalTime("philomena_profile.completed_at", p->completed_at, now, options); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckReturnAfterReport(const Event& found, absl::Time reported_start) {
  if (found.occurred_at >= reported_start) return absl::OkStatus();
  return Invalid("found_returned",
                 absl::StrCat("returned at ", Rfc3339(found.occurred_at), ", before the start of its own missing report (",
                              found.agency_id, "/", found.source_record, " from ", Rfc3339(reported_start),
                              "): an episode cannot end before it begins"));
}

}  // namespace homeward
