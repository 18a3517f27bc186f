// File: event.h
//
// The domain's view of a Homeward event: the same facts as homeward.v1.Event
// (proto/homeward/v1/event.proto, where each field's source is cited), as plain C++ types with
// absl::Time. Domain code (adapters' mappings, the aggregator's chronology and rules) works on
// these and never sees protobuf; common/codec converts at the edge.
#ifndef HOMEWARD_COMMON_DOMAIN_EVENT_H_
#define HOMEWARD_COMMON_DOMAIN_EVENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/domain/shared_value.h"

namespace homeward {

enum class AgencyKind {
  kUnspecified,
  kPolice,
  kSocialCare,
  kResidentialHome,
  kFosterPlacement,
  kRhiProvider,
  kEducation,
  kHealth,
  kSsda903Return,
};

enum class Sex { kUnspecified, kFemale, kMale, kOther };

// The child as one agency knows them. Empty strings mean "not given".
struct ChildRef {
  std::string la_child_id;
  std::string local_authority;
  // A valid NHS number (ten digits, Modulus 11 check digit: CheckNhsNumber): a strong identifier.
  std::string nhs_number;
  // An NHS number the agency gave that fails the check (a typo, a digit missing): kept and shown
  // with the record, never used to link records (StrongIdentifiers ignores it).
  std::string unverified_nhs_number;
  std::string police_person_id;
  std::string police_force;
  std::string upn;
  std::string given_name;
  std::string family_name;
  std::optional<absl::CivilDay> date_of_birth;
  Sex sex = Sex::kUnspecified;

  bool operator==(const ChildRef&) const = default;
};

enum class AbsenceCategory { kUnspecified, kMissing, kAbsent, kAwayWithoutAuthorisation };
enum class RiskGrade { kUnspecified, kNoApparentRisk, kLow, kMedium, kHigh };
enum class InterviewOutcome { kUnspecified, kOffered, kCompleted, kDeclined, kNotOffered };
enum class ExploitationType { kUnspecified, kCse, kCce, kTrafficking };

struct MissingReported {
  AbsenceCategory category = AbsenceCategory::kUnspecified;
  std::string category_as_recorded;
  RiskGrade risk_grade = RiskGrade::kUnspecified;
  std::optional<absl::Time> last_seen_at;
  std::string last_seen_location;
  std::string placement_ref;
  std::optional<absl::Time> ended_at;

  bool operator==(const MissingReported&) const = default;
};

struct RiskRegraded {
  RiskGrade from_grade = RiskGrade::kUnspecified;
  RiskGrade to_grade = RiskGrade::kUnspecified;
  std::string decided_by;
  std::string reason;

  bool operator==(const RiskRegraded&) const = default;
};

struct FoundReturned {
  std::string found_location;
  std::string found_by;
  bool prevention_interview_done = false;
  std::optional<absl::Time> prevention_interview_at;

  bool operator==(const FoundReturned&) const = default;
};

struct ReturnInterview {
  InterviewOutcome outcome = InterviewOutcome::kUnspecified;
  bool independent = false;
  std::string conducted_by;
  std::string reason;
  std::vector<std::string> push_factors;
  std::vector<std::string> pull_factors;
  std::string where_and_with_whom;
  bool harm_disclosed = false;
  std::vector<std::string> exploitation_indicators;
  std::string childs_own_words;
  std::string episode_ref;

  bool operator==(const ReturnInterview&) const = default;
};

struct StrategyMeetingHeld {
  bool trigger_plan_recorded = false;
  std::vector<std::string> attending_agencies;
  std::string outcome;

  bool operator==(const StrategyMeetingHeld&) const = default;
};

struct PlacementChanged {
  bool looked_after = false;
  std::string placing_authority;
  std::string host_authority;
  std::string placement_ref;
  std::string placement_type;
  std::string allocated_team;
  bool social_care_open = false;

  bool operator==(const PlacementChanged&) const = default;
};

struct ExploitationConcern {
  ExploitationType type = ExploitationType::kUnspecified;
  std::string indicator;

  bool operator==(const ExploitationConcern&) const = default;
};

struct ChronologyNote {
  std::string kind;
  std::string summary;

  bool operator==(const ChronologyNote&) const = default;
};

// Two identifiers are (link) or are not (separate) the same child, decided by a coordinator.
struct IdentityDecision {
  std::string identifier_a;
  std::string identifier_b;
  bool link = false;
  std::string decided_by;
  std::string reason;

  bool operator==(const IdentityDecision&) const = default;
};

// The hub forgets these events (a retention purge), keeping only their ids.
struct ChildPurged {
  std::vector<std::string> event_ids;
  std::string reason;
  std::string decided_by;

  bool operator==(const ChildPurged&) const = default;
};

// Part 1 of a Philomena Protocol form, completed by the child's carer before any episode
// (brief §4). Shared with police only while released (services/aggregator/domain/philomena.h).
struct PhilomenaProfile {
  std::string description;
  std::string photograph_ref;  // a reference to where the photograph is held, never the image
  std::vector<std::string> phone_numbers;
  std::vector<std::string> associates;
  std::vector<std::string> places_frequented;
  std::string medical_needs;
  std::string completed_by;
  std::optional<absl::Time> completed_at;

  bool operator==(const PhilomenaProfile&) const = default;
};

// The agency ids under which the hub itself publishes identity decisions and purges.
inline constexpr char kIdentityAgency[] = "homeward.identity";
inline constexpr char kRetentionAgency[] = "homeward.retention";

// What an event records. The two payloads far larger than the others and far rarer (a return
// interview's findings, a Philomena profile: ~240 bytes each, against ~170 for the next) are held
// through a SharedValue, so that every event, held by the million in the chronology, is not the
// size of the largest (the variant is 184 bytes, not 264). Read any payload with PayloadIf<T>,
// which sees through that; a visitor's `const ReturnInterview&` overload is called as before.
using Payload = std::variant<MissingReported, RiskRegraded, FoundReturned, SharedValue<ReturnInterview>,
                             StrategyMeetingHeld, PlacementChanged, ExploitationConcern, ChronologyNote,
                             IdentityDecision, ChildPurged, SharedValue<PhilomenaProfile>>;

// Whether Payload holds a T through a SharedValue.
template <typename T>
inline constexpr bool kPayloadHeldShared = std::is_same_v<T, ReturnInterview> || std::is_same_v<T, PhilomenaProfile>;

// The payload as a T, or null when it holds another kind (std::get_if, seeing through the
// SharedValue a large payload is held in).
template <typename T>
const T* PayloadIf(const Payload& payload) {
  if constexpr (kPayloadHeldShared<T>) {
    const auto* held = std::get_if<SharedValue<T>>(&payload);
    return held != nullptr ? &**held : nullptr;
  } else {
    return std::get_if<T>(&payload);
  }
}

// One event: what one agency recorded about one child at one time.
struct Event {
  std::string event_id;  // see MakeEventId()
  std::string agency_id;
  AgencyKind agency_kind = AgencyKind::kUnspecified;
  std::string source_record;
  std::string facet;
  int64_t revision = 0;
  // Shared by copies (and, in the chronology, by equal references of other events): read it
  // as `event.child->nhs_number`, change it with `event.child.Mutable()`.
  SharedValue<ChildRef> child;
  absl::Time occurred_at;
  absl::Time recorded_at;
  Payload payload;

  bool operator==(const Event&) const = default;
};

// The stable event id "<agency_id>/<source_record>/<facet>@<revision>": the same source record
// facet at the same revision always gives the same id, so a redelivery or re-export is harmless.
std::string MakeEventId(const std::string& agency_id, const std::string& source_record,
                        const std::string& facet, int64_t revision);

// "<agency_id>/<source_record>/<facet>": the revisions of one facet share it; a higher revision
// supersedes a lower one.
std::string FacetKey(const Event& event);

// The chronology kind of an event's payload: "missing-reported", "risk-regraded", ... or, for a
// ChronologyNote, the note's own kind.
std::string EntryKind(const Event& event);
// The kinds EntryKind gives for every payload but a note, in payload order.
const std::vector<std::string>& StandardEntryKinds();

// True when the agency records dates, not times (the SSDA903 return: MIS_START and MIS_END are
// dates; brief §4): its times are midnight and mean "that day".
bool IsDateOnly(const Event& event);

// A duration as people read it: "45m", "1h 45m", "37h 0m" (sign dropped).
std::string FormatSpan(absl::Duration d);

// Readable names, as the CLI and summaries print them.
const char* ToString(AgencyKind kind);
const char* ToString(AbsenceCategory category);
const char* ToString(RiskGrade grade);
const char* ToString(InterviewOutcome outcome);
const char* ToString(ExploitationType type);

// One line a coordinator can read, e.g. "Reported missing (as recorded: MISSING), risk low;
// last seen Bus station". Never includes the child's name or identifiers.
std::string Summarize(const Event& event);

}  // namespace homeward

#endif  // HOMEWARD_COMMON_DOMAIN_EVENT_H_
