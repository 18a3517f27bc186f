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

absl::Status CheckTime(absl::string_view field, absl::Time t, absl::Time now,
                       const ValidationOptions& options) {
  if (t == absl::UnixEpoch() || t < options.earliest) {
    return Invalid(field, absl::StrCat("impossible time ", Rfc3339(t)));
  }
  if (t > now + options.future_tolerance) {
    return Invalid(field, absl::StrCat(Rfc3339(t), " is in the future (now ", Rfc3339(now), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateEvent(const Event& event, absl::Time now, const ValidationOptions& options) {
  if (event.agency_id.empty()) return Invalid("agency_id", "required");
  if (event.agency_kind == AgencyKind::kUnspecified) return Invalid("agency_kind", "required");
  if (event.source_record.empty()) return Invalid("source_record", "required");
  if (event.facet.empty()) return Invalid("facet", "required");
  if (event.revision < 0) return Invalid("revision", "must not be negative");
  const std::string expected_id =
      MakeEventId(event.agency_id, event.source_record, event.facet, event.revision);
  if (event.event_id != expected_id) {
    return Invalid("event_id", absl::StrCat("'", event.event_id, "' should be '", expected_id,
                                            "' (agency/record/facet@revision)"));
  }
  if (const auto* d = std::get_if<IdentityDecision>(&event.payload)) {
    if (event.agency_id != kIdentityAgency) {
      return Invalid("identity_decision", absl::StrCat("only ", kIdentityAgency, " publishes identity decisions"));
    }
    for (const std::string* id : {&d->identifier_a, &d->identifier_b}) {
      if (absl::Status s = ParseChildIdentifier(*id).status(); !s.ok()) return Invalid("identity_decision", s.message());
    }
    if (d->identifier_a == d->identifier_b) return Invalid("identity_decision", "an identifier is always itself");
    if (d->decided_by.empty()) return Invalid("identity_decision.decided_by", "required");
  } else if (StrongIdentifiers(event.child).empty() &&
      (event.child.family_name.empty() || !event.child.date_of_birth.has_value())) {
    return Invalid("child", "no identifier: need one of NHS number, LA child id, police person "
                            "id, UPN, or at least family name and date of birth");
  }
  if (absl::Status s = CheckTime("occurred_at", event.occurred_at, now, options); !s.ok()) return s;
  if (absl::Status s = CheckTime("recorded_at", event.recorded_at, now, options); !s.ok()) return s;
  if (event.child.date_of_birth.has_value()) {
    const absl::Time born = absl::FromCivil(*event.child.date_of_birth, absl::UTCTimeZone());
    if (born > event.occurred_at) {
      return Invalid("child.date_of_birth", "after the event it is recorded against");
    }
  }
  if (const auto* m = std::get_if<MissingReported>(&event.payload)) {
    if (m->category == AbsenceCategory::kUnspecified) {
      return Invalid("missing_reported.category", "required (missing, absent or away)");
    }
    if (m->last_seen_at.has_value() && *m->last_seen_at > event.occurred_at + options.future_tolerance) {
      return Invalid("missing_reported.last_seen_at", "after the report time");
    }
    if (m->ended_at.has_value() && *m->ended_at < event.occurred_at) {
      return Invalid("missing_reported.ended_at",
                     absl::StrCat("end ", Rfc3339(*m->ended_at), " before start ",
                                  Rfc3339(event.occurred_at)));
    }
  }
  if (const auto* r = std::get_if<RiskRegraded>(&event.payload)) {
    if (r->to_grade == RiskGrade::kUnspecified) return Invalid("risk_regraded.to_grade", "required");
  }
  return absl::OkStatus();
}

}  // namespace homeward
