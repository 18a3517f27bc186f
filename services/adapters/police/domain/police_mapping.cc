#include "services/adapters/police/domain/police_mapping.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/domain/event_validation.h"
#include "common/status_macros.h"
#include "services/adapters/csv/fields.h"

namespace homeward::adapters {
namespace {

absl::StatusOr<std::string> Required(const CsvRow& row, absl::string_view column) {
  std::string value = row.Get(column);
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(column, ": required"));
  return value;
}

absl::StatusOr<AbsenceCategory> ParseCategory(absl::string_view value) {
  const std::string v = absl::AsciiStrToUpper(value);
  if (v == "MISSING") return AbsenceCategory::kMissing;
  if (v == "ABSENT") return AbsenceCategory::kAbsent;
  return absl::InvalidArgumentError(
      absl::StrCat("category: unknown code '", value, "' (expected MISSING or ABSENT)"));
}

struct Regrade {
  absl::Time at;
  RiskGrade grade;
  std::string decided_by;
  std::string reason;
};

absl::StatusOr<std::vector<Regrade>> ParseRegrades(absl::string_view text, absl::TimeZone zone) {
  std::vector<Regrade> regrades;
  int n = 0;
  for (absl::string_view item : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    ++n;
    std::vector<std::string> parts = absl::StrSplit(item, '|');
    if (parts.size() < 2 || parts.size() > 4) {
      return absl::InvalidArgumentError(absl::StrCat("regrades: item ", n, " '", item,
                                                     "' is not time|grade|decided by|reason"));
    }
    parts.resize(4);
    const std::string column = absl::StrCat("regrades[", n, "]");
    ASSIGN_OR_RETURN(absl::Time at, ParseTime(column, parts[0], zone));
    ASSIGN_OR_RETURN(RiskGrade grade, ParseRiskGrade(column, parts[1]));
    regrades.push_back({at, grade, std::string(absl::StripAsciiWhitespace(parts[2])),
                        std::string(absl::StripAsciiWhitespace(parts[3]))});
  }
  return regrades;
}

}  // namespace

const std::vector<std::string>& PoliceRequiredColumns() {
  static const auto* columns = new std::vector<std::string>{
      "occurrence_ref", "record_version", "person_id", "forename",  "surname",
      "date_of_birth",  "sex",            "category",  "risk_grade", "reported_at",
      "found_at",       "recorded_at"};
  return *columns;
}

absl::StatusOr<std::vector<Event>> MapPoliceRow(const CsvRow& row, const PoliceMappingOptions& options,
                                                absl::Time now) {
  const absl::TimeZone zone = options.local_zone;
  ASSIGN_OR_RETURN(const std::string record, Required(row, "occurrence_ref"));
  ASSIGN_OR_RETURN(const std::string version_text, Required(row, "record_version"));
  int64_t revision = 0;
  if (!absl::SimpleAtoi(version_text, &revision) || revision < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("record_version: '", version_text, "' is not a whole number"));
  }

  ChildRef child;
  ASSIGN_OR_RETURN(child.police_person_id, Required(row, "person_id"));
  child.police_force = options.force;
  child.given_name = row.Get("forename");
  child.family_name = row.Get("surname");
  child.nhs_number = row.Get("nhs_number");
  if (const std::string dob = row.Get("date_of_birth"); !dob.empty()) {
    ASSIGN_OR_RETURN(child.date_of_birth, ParseDate("date_of_birth", dob));
  }
  ASSIGN_OR_RETURN(child.sex, ParseSex("sex", row.Get("sex")));

  ASSIGN_OR_RETURN(const std::string category_text, Required(row, "category"));
  ASSIGN_OR_RETURN(const AbsenceCategory category, ParseCategory(category_text));
  ASSIGN_OR_RETURN(const RiskGrade grade, ParseRiskGrade("risk_grade", row.Get("risk_grade")));
  ASSIGN_OR_RETURN(const absl::Time reported_at, ParseTime("reported_at", row.Get("reported_at"), zone));
  ASSIGN_OR_RETURN(const absl::Time recorded_at, ParseTime("recorded_at", row.Get("recorded_at"), zone));
  ASSIGN_OR_RETURN(const std::optional<absl::Time> last_seen_at,
                   ParseOptionalTime("last_seen_at", row.Get("last_seen_at"), zone));
  ASSIGN_OR_RETURN(const std::optional<absl::Time> found_at,
                   ParseOptionalTime("found_at", row.Get("found_at"), zone));
  ASSIGN_OR_RETURN(const std::optional<absl::Time> interview_at,
                   ParseOptionalTime("prevention_interview_at", row.Get("prevention_interview_at"), zone));
  ASSIGN_OR_RETURN(const std::vector<Regrade> regrades, ParseRegrades(row.Get("regrades"), zone));

  if (last_seen_at.has_value() && *last_seen_at > reported_at) {
    return absl::InvalidArgumentError("last_seen_at: after reported_at");
  }
  if (found_at.has_value()) {
    const absl::Time start = last_seen_at.value_or(reported_at);
    if (*found_at < start) {
      return absl::InvalidArgumentError(absl::StrCat(
          "found_at: ", absl::FormatTime(absl::RFC3339_sec, *found_at, absl::UTCTimeZone()),
          " is before the child went missing (end before start)"));
    }
  }
  if (interview_at.has_value() && (!found_at.has_value() || *interview_at < *found_at)) {
    return absl::InvalidArgumentError("prevention_interview_at: before the child was found");
  }

  auto make = [&](const std::string& facet, absl::Time occurred_at, Payload payload) {
    Event e;
    e.agency_id = options.agency_id;
    e.agency_kind = AgencyKind::kPolice;
    e.source_record = record;
    e.facet = facet;
    e.revision = revision;
    e.event_id = MakeEventId(e.agency_id, record, facet, revision);
    e.child = child;
    e.occurred_at = occurred_at;
    e.recorded_at = recorded_at;
    e.payload = std::move(payload);
    return e;
  };

  std::vector<Event> events;
  events.push_back(make("report", reported_at,
                        MissingReported{.category = category,
                                        .category_as_recorded = category_text,
                                        .risk_grade = grade,
                                        .last_seen_at = last_seen_at,
                                        .last_seen_location = row.Get("last_seen_location")}));
  RiskGrade previous = grade;
  for (size_t i = 0; i < regrades.size(); ++i) {
    const Regrade& r = regrades[i];
    events.push_back(make(absl::StrCat("regrade-", i + 1), r.at,
                          RiskRegraded{.from_grade = previous,
                                       .to_grade = r.grade,
                                       .decided_by = r.decided_by,
                                       .reason = r.reason}));
    previous = r.grade;
  }
  if (found_at.has_value()) {
    events.push_back(make("found", *found_at,
                          FoundReturned{.found_location = row.Get("found_location"),
                                        .found_by = row.Get("found_by"),
                                        .prevention_interview_done = interview_at.has_value(),
                                        .prevention_interview_at = interview_at}));
  }
  for (const Event& e : events) {
    if (absl::Status s = ValidateEvent(e, now); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("facet ", e.facet, ": ", s.message()));
    }
  }
  return events;
}

}  // namespace homeward::adapters
