#include "common/domain/event.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace homeward {

// What Payload's comment says (on x86-64 with libstdc++, what this is built for): an event's
// payload is the size of the next largest, not of a return interview or a Philomena profile.
static_assert(sizeof(Payload) <= sizeof(PlacementChanged) + 8, "a large payload is held in the variant itself");

namespace {

// Variant visitor from lambdas.
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;



}  // namespace

std::string FormatSpan(absl::Duration d) {
  const int64_t minutes = absl::ToInt64Minutes(absl::AbsDuration(d));
  if (minutes < 60) return absl::StrCat(minutes, "m");
  return absl::StrCat(minutes / 60, "h ", minutes % 60, "m");
}

std::string MakeEventId(const std::string& agency_id, const std::string& source_record,
                        const std::string& facet, int64_t revision) {
  return absl::StrCat(agency_id, "/", source_record, "/", facet, "@", revision);
}

std::string FacetKey(const Event& event) {
  return absl::StrCat(event.agency_id, "/", event.source_record, "/", event.facet);
}

std::string EntryKind(const Event& event) {
  return std::visit(Overloaded{
                        [](const MissingReported&) -> std::string { return "missing-reported"; },
                        [](const RiskRegraded&) -> std::string { return "risk-regraded"; },
                        [](const FoundReturned&) -> std::string { return "found-returned"; },
                        [](const ReturnInterview&) -> std::string { return "return-interview"; },
                        [](const StrategyMeetingHeld&) -> std::string { return "strategy-meeting"; },
                        [](const PlacementChanged&) -> std::string { return "placement-changed"; },
                        [](const ExploitationConcern&) -> std::string {
                          return "exploitation-concern";
                        },
                        [](const ChronologyNote& n) -> std::string { return n.kind; },
                        [](const IdentityDecision&) -> std::string { return "identity-decision"; },
                        [](const ChildPurged&) -> std::string { return "purge"; },
                        [](const PhilomenaProfile&) -> std::string { return "philomena-profile"; },
                    },
                    event.payload);
}

bool IsDateOnly(const Event& event) { return event.agency_kind == AgencyKind::kSsda903Return; }

const std::vector<std::string>& StandardEntryKinds() {
  static const auto* kinds = new std::vector<std::string>{
      "missing-reported", "risk-regraded",        "found-returned",    "return-interview", "strategy-meeting",
      "placement-changed", "exploitation-concern", "identity-decision", "purge", "philomena-profile"};
  return *kinds;
}

const char* ToString(AgencyKind kind) {
  switch (kind) {
    case AgencyKind::kUnspecified: return "unspecified";
    case AgencyKind::kPolice: return "police";
    case AgencyKind::kSocialCare: return "social care";
    case AgencyKind::kResidentialHome: return "residential home";
    case AgencyKind::kFosterPlacement: return "foster placement";
    case AgencyKind::kRhiProvider: return "RHI provider";
    case AgencyKind::kEducation: return "education";
    case AgencyKind::kHealth: return "health";
    case AgencyKind::kSsda903Return: return "SSDA903 return";
  }
  return "unknown";
}

const char* ToString(AbsenceCategory category) {
  switch (category) {
    case AbsenceCategory::kUnspecified: return "unspecified";
    case AbsenceCategory::kMissing: return "missing";
    case AbsenceCategory::kAbsent: return "absent";
    case AbsenceCategory::kAwayWithoutAuthorisation: return "away without authorisation";
  }
  return "unknown";
}

const char* ToString(RiskGrade grade) {
  switch (grade) {
    case RiskGrade::kUnspecified: return "not graded";
    case RiskGrade::kNoApparentRisk: return "no apparent risk";
    case RiskGrade::kLow: return "low";
    case RiskGrade::kMedium: return "medium";
    case RiskGrade::kHigh: return "high";
  }
  return "unknown";
}

const char* ToString(InterviewOutcome outcome) {
  switch (outcome) {
    case InterviewOutcome::kUnspecified: return "unspecified";
    case InterviewOutcome::kOffered: return "offered";
    case InterviewOutcome::kCompleted: return "completed";
    case InterviewOutcome::kDeclined: return "declined";
    case InterviewOutcome::kNotOffered: return "not offered";
  }
  return "unknown";
}

const char* ToString(ExploitationType type) {
  switch (type) {
    case ExploitationType::kUnspecified: return "unspecified";
    case ExploitationType::kCse: return "CSE";
    case ExploitationType::kCce: return "CCE";
    case ExploitationType::kTrafficking: return "trafficking";
  }
  return "unknown";
}

std::string Summarize(const Event& event) {
  return std::visit(
      Overloaded{
          [&event](const MissingReported& m) {
            std::string s = absl::StrCat("Reported ", ToString(m.category));
            if (!m.category_as_recorded.empty()) {
              absl::StrAppend(&s, " (recorded as '", m.category_as_recorded, "')");
            }
            absl::StrAppend(&s, ", risk ", ToString(m.risk_grade));
            if (m.last_seen_at.has_value() && *m.last_seen_at < event.occurred_at) {
              absl::StrAppend(&s, "; last seen ", FormatSpan(event.occurred_at - *m.last_seen_at),
                              " before the report");
            } else if (m.last_seen_at.has_value()) {
              absl::StrAppend(&s, "; last seen when reported");
            }
            if (!m.last_seen_location.empty()) {
              absl::StrAppend(&s, m.last_seen_at ? ", at " : "; last seen at ", m.last_seen_location);
            }
            if (m.ended_at.has_value() && IsDateOnly(event)) {
              // The SSDA903 return records days: a same-day return is not "after 0m".
              const absl::CivilDay from = absl::ToCivilDay(event.occurred_at, absl::UTCTimeZone());
              const absl::CivilDay to = absl::ToCivilDay(*m.ended_at, absl::UTCTimeZone());
              absl::StrAppend(&s, "; ended ", from == to ? "the same day" : absl::FormatCivilTime(to),
                              " (the return records dates only)");
            } else if (m.ended_at.has_value()) {
              absl::StrAppend(&s, "; ended after ", FormatSpan(*m.ended_at - event.occurred_at));
            }
            return s;
          },
          [](const RiskRegraded& r) {
            std::string s = absl::StrCat("Risk re-graded ", ToString(r.from_grade), " -> ",
                                         ToString(r.to_grade));
            if (!r.decided_by.empty()) absl::StrAppend(&s, " by ", r.decided_by);
            if (!r.reason.empty()) absl::StrAppend(&s, ": ", r.reason);
            return s;
          },
          [](const FoundReturned& f) {
            std::string s = "Found/returned";
            if (!f.found_location.empty()) absl::StrAppend(&s, " at ", f.found_location);
            if (!f.found_by.empty()) absl::StrAppend(&s, " (found by: ", f.found_by, ")");
            absl::StrAppend(&s, f.prevention_interview_done ? "; prevention interview done"
                                                            : "; no prevention interview yet");
            return s;
          },
          [](const ReturnInterview& r) {
            std::string s = absl::StrCat("Return home interview ", ToString(r.outcome));
            if (r.independent) absl::StrAppend(&s, " (independent)");
            if (!r.reason.empty()) absl::StrAppend(&s, ": ", r.reason);
            if (r.harm_disclosed) absl::StrAppend(&s, "; harm disclosed");
            if (!r.exploitation_indicators.empty()) {
              absl::StrAppend(&s, "; exploitation indicators: ",
                              absl::StrJoin(r.exploitation_indicators, ", "));
            }
            return s;
          },
          [](const StrategyMeetingHeld& m) {
            return absl::StrCat("Strategy meeting held; trigger plan ",
                                m.trigger_plan_recorded ? "recorded" : "NOT recorded");
          },
          [](const PlacementChanged& p) {
            std::string s = p.looked_after ? "Placement: looked after" : "Placement: not looked after";
            if (!p.placing_authority.empty()) absl::StrAppend(&s, ", placed by ", p.placing_authority);
            if (!p.host_authority.empty()) absl::StrAppend(&s, " in ", p.host_authority);
            if (!p.placement_type.empty()) absl::StrAppend(&s, " (", p.placement_type, ")");
            return s;
          },
          [](const ExploitationConcern& e) {
            std::string s = absl::StrCat("Exploitation concern: ", ToString(e.type));
            if (!e.indicator.empty()) absl::StrAppend(&s, " (", e.indicator, ")");
            return s;
          },
          [](const ChronologyNote& n) { return n.summary; },
          [](const IdentityDecision& d) {
            return absl::StrCat(d.link ? "Records linked: " : "Records kept separate: ", d.identifier_a, " and ",
                                d.identifier_b, " (decided by ", d.decided_by, d.reason.empty() ? "" : ": ", d.reason,
                                ")");
          },
          [](const ChildPurged& p) {
            return absl::StrCat(p.event_ids.size(), " records purged by ", p.decided_by, ": ", p.reason);
          },
          // Never the profile's content: summaries travel further than the profile may (alerts,
          // the chronology of readers it is not released to).
          [](const PhilomenaProfile& p) {
            return absl::StrCat("Philomena profile completed by ", p.completed_by.empty() ? "the carer" : p.completed_by);
          },
      },
      event.payload);
}

}  // namespace homeward
