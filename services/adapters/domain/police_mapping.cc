#include "services/adapters/domain/police_mapping.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "services/adapters/domain/fields.h"
#include "services/adapters/domain/record_reader.h"

namespace homeward::adapters {
namespace {

struct Regrade {
  absl::Time at;
  RiskGrade grade;
  std::string decided_by;
  std::string reason;
};

absl::StatusOr<std::vector<Regrade>> ParseRegrades(const MappedRow& row) {
  const std::string column = row.Column("regrades");
  std::vector<Regrade> regrades;
  int n = 0;
  for (absl::string_view item : absl::StrSplit(row.Get("regrades"), ';', absl::SkipWhitespace())) {
    ++n;
    std::vector<std::string> parts = absl::StrSplit(item, '|');
    if (parts.size() < 2 || parts.size() > 4) {
      return absl::InvalidArgumentError(
          absl::StrCat(column, ": item ", n, " '", item, "' is not time|grade|decided by|reason"));
    }
    parts.resize(4);
    const std::string where = absl::StrCat(column, "[", n, "]");
    ASSIGN_OR_RETURN(const ExportTime at, ParseTime(where, parts[0], row.mapping().time_zone));
    ASSIGN_OR_RETURN(RiskGrade grade, ReadCodedItem(row, "risk_grade", where, parts[1], &ParseRiskGrade));
    regrades.push_back({at.at, grade, std::string(absl::StripAsciiWhitespace(parts[2])),
                        std::string(absl::StripAsciiWhitespace(parts[3]))});
  }
  return regrades;
}

}  // namespace

const std::vector<std::string>& PoliceColumns() {
  static const auto* columns = new std::vector<std::string>{
      "occurrence_ref", "record_version", "person_id", "forename",   "surname",
      "date_of_birth",  "sex",            "category",  "risk_grade", "reported_at",
      "found_at",       "recorded_at"};
  return *columns;
}

absl::StatusOr<std::vector<Event>> MapPoliceRow(const MappedRow& row, absl::Time now) {
  const absl::TimeZone zone = row.mapping().time_zone;
  ASSIGN_OR_RETURN(const RecordContext record,
                   RecordContext::Read(row, {"occurrence_ref", "record_version", "recorded_at"}, now));
  ASSIGN_OR_RETURN(const std::string person, row.Required("person_id"));
  ASSIGN_OR_RETURN(const std::string category_text, row.Required("category"));
  ASSIGN_OR_RETURN(const AbsenceCategory category, ReadCoded(row, "category", &ParseCategory));
  ASSIGN_OR_RETURN(const RiskGrade grade, ReadCoded(row, "risk_grade", &ParseRiskGrade));
  ASSIGN_OR_RETURN(ExportTime reported, ParseTime(row.Column("reported_at"), row.Get("reported_at"), zone));
  ASSIGN_OR_RETURN(std::optional<ExportTime> last_seen,
                   ParseOptionalTime(row.Column("last_seen_at"), row.Get("last_seen_at"), zone));
  ASSIGN_OR_RETURN(std::optional<ExportTime> found, ParseOptionalTime(row.Column("found_at"), row.Get("found_at"), zone));
  ASSIGN_OR_RETURN(std::optional<ExportTime> interview,
                   ParseOptionalTime(row.Column("prevention_interview_at"), row.Get("prevention_interview_at"), zone));
  ASSIGN_OR_RETURN(const std::vector<Regrade> regrades, ParseRegrades(row));

  // Last seen, reported, found (after the last sighting, or the report without one), then the
  // prevention interview; a time at a clock change is read in whichever way keeps this order.
  PutInOrder({{Given(last_seen), &reported},
              {last_seen.has_value() ? &*last_seen : &reported, Given(found)},
              {Given(found), Given(interview)}});
  const absl::Time reported_at = reported.at;
  const std::optional<absl::Time> last_seen_at = last_seen ? std::optional(last_seen->at) : std::nullopt;
  const std::optional<absl::Time> found_at = found ? std::optional(found->at) : std::nullopt;
  const std::optional<absl::Time> interview_at = interview ? std::optional(interview->at) : std::nullopt;
  if (last_seen_at.has_value() && *last_seen_at > reported_at) {
    return absl::InvalidArgumentError(absl::StrCat(row.Column("last_seen_at"), ": after the report"));
  }
  if (found_at.has_value() && *found_at < last_seen_at.value_or(reported_at)) {
    return absl::InvalidArgumentError(absl::StrCat(
        row.Column("found_at"), ": ", absl::FormatTime(absl::RFC3339_sec, *found_at, absl::UTCTimeZone()),
        " is before the child went missing (end before start)"));
  }
  if (interview_at.has_value() && (!found_at.has_value() || *interview_at < *found_at)) {
    return absl::InvalidArgumentError(
        absl::StrCat(row.Column("prevention_interview_at"), ": before the child was found"));
  }

  std::vector<Event> events;
  events.push_back(record.Make("report", reported_at,
                               MissingReported{.category = category,
                                               .category_as_recorded = category_text,
                                               .risk_grade = grade,
                                               .last_seen_at = last_seen_at,
                                               .last_seen_location = row.Get("last_seen_location")}));
  RiskGrade previous = grade;
  for (size_t i = 0; i < regrades.size(); ++i) {
    const Regrade& r = regrades[i];
    events.push_back(record.Make(absl::StrCat("regrade-", i + 1), r.at,
                                 RiskRegraded{.from_grade = previous,
                                              .to_grade = r.grade,
                                              .decided_by = r.decided_by,
                                              .reason = r.reason}));
    previous = r.grade;
  }
  for (const std::string& marker : ParseList(row.Get("warning_markers"))) {
    ASSIGN_OR_RETURN(const ExploitationType type, ReadCodedItem(row, "warning_markers", row.Column("warning_markers"),
                                                                marker, &ParseExploitationType));
    events.push_back(record.Make(absl::StrCat("marker-", absl::AsciiStrToLower(ToString(type))), reported_at,
                                 ExploitationConcern{.type = type, .indicator = "police warning marker"}));
  }
  if (found_at.has_value()) {
    events.push_back(record.Make("found", *found_at,
                                 FoundReturned{.found_location = row.Get("found_location"),
                                               .found_by = row.Get("found_by"),
                                               .prevention_interview_done = interview_at.has_value(),
                                               .prevention_interview_at = interview_at}));
  }
  RETURN_IF_ERROR(ValidateAll(events, now));
  return events;
}

}  // namespace homeward::adapters
