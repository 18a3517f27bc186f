#include "services/adapters/domain/other_mappings.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/adapters/domain/fields.h"
#include "services/adapters/domain/record_reader.h"

namespace homeward::adapters {
namespace {

absl::Status EndBeforeStart(const MappedRow& row, absl::string_view end_field) {
  return absl::InvalidArgumentError(
      absl::StrCat(row.Column(end_field), ": before the start (end before start)"));
}

// OK if `end` (when given) is not before `start`, reading a time at a clock change as the order
// needs (PutInOrder); otherwise the end-before-start rejection.
absl::Status EndNotBeforeStart(const MappedRow& row, ExportTime* start, ExportTime* end, absl::string_view end_field) {
  return PutInOrder({{start, end}}) ? absl::OkStatus() : EndBeforeStart(row, end_field);
}

absl::StatusOr<ExportTime> Time(const MappedRow& row, absl::string_view field) {
  return ParseTime(row.Column(field), row.Get(field), row.mapping().time_zone);
}
absl::StatusOr<std::optional<ExportTime>> OptionalTime(const MappedRow& row, absl::string_view field) {
  return ParseOptionalTime(row.Column(field), row.Get(field), row.mapping().time_zone);
}

}  // namespace

// ---- residential homes and foster placements ----

const std::vector<std::string>& CareHomeColumns() {
  static const auto* columns = new std::vector<std::string>{
      "absence_ref", "record_version", "la_child_id", "forename",    "surname",    "date_of_birth", "sex",
      "category",    "absent_from",    "home_name",   "returned_at", "recorded_at"};
  return *columns;
}

absl::StatusOr<std::vector<Event>> MapCareHomeRow(const MappedRow& row, absl::Time now) {
  ASSIGN_OR_RETURN(const RecordContext record,
                   RecordContext::Read(row, {"absence_ref", "record_version", "recorded_at"}, now));
  ASSIGN_OR_RETURN(const std::string category_text, row.Required("category"));
  ASSIGN_OR_RETURN(const AbsenceCategory category, ReadCoded(row, "category", &ParseCategory));
  ASSIGN_OR_RETURN(ExportTime from, Time(row, "absent_from"));
  ASSIGN_OR_RETURN(std::optional<ExportTime> returned, OptionalTime(row, "returned_at"));
  RETURN_IF_ERROR(EndNotBeforeStart(row, &from, Given(returned), "returned_at"));

  std::vector<Event> events;
  events.push_back(record.Make("absence", from.at,
                               MissingReported{.category = category,
                                               .category_as_recorded = category_text,
                                               // No last-seen time: the export does not give one,
                                               // and the start of the absence is not it.
                                               .last_seen_location = row.Get("home_name"),
                                               .placement_ref = row.Get("home_urn")}));
  if (returned.has_value()) {
    events.push_back(record.Make("return", returned->at,
                                 FoundReturned{.found_location = row.Get("home_name"),
                                               .found_by = row.Get("returned_how")}));
  }
  RETURN_IF_ERROR(ValidateAll(events, now));
  return events;
}

// ---- return home interviews ----

const std::vector<std::string>& RhiColumns() {
  static const auto* columns = new std::vector<std::string>{
      "interview_ref", "record_version", "forename",   "surname",   "date_of_birth", "sex",
      "episode_ref",   "offered_at",     "outcome",    "outcome_at", "recorded_at"};
  return *columns;
}

absl::StatusOr<std::vector<Event>> MapRhiRow(const MappedRow& row, absl::Time now) {
  ASSIGN_OR_RETURN(const RecordContext record,
                   RecordContext::Read(row, {"interview_ref", "record_version", "recorded_at"}, now));
  ASSIGN_OR_RETURN(std::optional<ExportTime> offered, OptionalTime(row, "offered_at"));
  ASSIGN_OR_RETURN(const std::optional<InterviewOutcome> outcome, ReadCoded(row, "outcome", &ParseInterviewOutcome));
  if (!offered.has_value() && (!outcome.has_value() || *outcome != InterviewOutcome::kNotOffered)) {
    return absl::InvalidArgumentError(absl::StrCat(row.Column("offered_at"), ": required unless not offered"));
  }
  std::optional<ExportTime> outcome_at;
  if (outcome.has_value()) {
    ASSIGN_OR_RETURN(outcome_at, Time(row, "outcome_at"));
    RETURN_IF_ERROR(EndNotBeforeStart(row, Given(offered), Given(outcome_at), "outcome_at"));
  }
  ASSIGN_OR_RETURN(const bool independent, ReadCoded(row, "independent", &ParseYesNo));
  ASSIGN_OR_RETURN(const bool harm, ReadCoded(row, "harm_disclosed", &ParseYesNo));
  const std::string reason = row.Get("reason");
  if (outcome.has_value() && *outcome != InterviewOutcome::kCompleted && reason.empty()) {
    // A decision not to offer, or a refusal, is recorded with its reason (brief §1).
    return absl::InvalidArgumentError(absl::StrCat(row.Column("reason"), ": required when ", ToString(*outcome)));
  }

  std::vector<Event> events;
  if (offered.has_value()) {
    events.push_back(record.Make("offered", offered->at,
                                 ReturnInterview{.outcome = InterviewOutcome::kOffered,
                                                 .independent = independent,
                                                 .conducted_by = row.Get("conducted_by"),
                                                 .episode_ref = row.Get("episode_ref")}));
  }
  if (outcome.has_value()) {
    events.push_back(record.Make("outcome", outcome_at->at,
                                 ReturnInterview{.outcome = *outcome,
                                                 .independent = independent,
                                                 .conducted_by = row.Get("conducted_by"),
                                                 .reason = reason,
                                                 .push_factors = ParseList(row.Get("push_factors")),
                                                 .pull_factors = ParseList(row.Get("pull_factors")),
                                                 .where_and_with_whom = row.Get("where_and_with_whom"),
                                                 .harm_disclosed = harm,
                                                 .exploitation_indicators = ParseList(row.Get("exploitation_indicators")),
                                                 .childs_own_words = row.Get("childs_own_words"),
                                                 .episode_ref = row.Get("episode_ref")}));
  }
  RETURN_IF_ERROR(ValidateAll(events, now));
  return events;
}

// ---- education and health notes ----

const std::vector<std::string>& NoteColumns() {
  static const auto* columns = new std::vector<std::string>{
      "record_ref", "record_version", "forename", "surname", "date_of_birth", "sex",
      "kind",       "occurred_at",    "summary",  "recorded_at"};
  return *columns;
}

absl::StatusOr<std::vector<Event>> MapNoteRow(const MappedRow& row, absl::Time now) {
  ASSIGN_OR_RETURN(const RecordContext record,
                   RecordContext::Read(row, {"record_ref", "record_version", "recorded_at"}, now));
  ASSIGN_OR_RETURN(const std::string kind, ReadCoded(row, "kind", &ParseNoteKind));
  ASSIGN_OR_RETURN(const ExportTime at, Time(row, "occurred_at"));
  ASSIGN_OR_RETURN(const std::string summary, row.Required("summary"));
  std::vector<Event> events = {record.Make("note", at.at, ChronologyNote{.kind = kind, .summary = summary})};
  RETURN_IF_ERROR(ValidateAll(events, now));
  return events;
}

// ---- SSDA903 Missing table ----

const std::vector<std::string>& Ssda903Columns() {
  static const auto* columns =
      new std::vector<std::string>{"la_child_id", "date_of_birth", "category", "start", "end"};
  return *columns;
}

std::string Ssda903Reference(const MappedRow& row) {
  const std::string start = row.Get("start");
  const absl::StatusOr<absl::CivilDay> day = ParseDate(row.Column("start"), start);
  return absl::StrCat(row.Get("la_child_id"), "/", day.ok() ? absl::FormatCivilTime(*day) : start);
}

absl::StatusOr<std::vector<Event>> MapSsda903Row(const MappedRow& row, absl::Time now) {
  const absl::TimeZone zone = row.mapping().time_zone;
  RETURN_IF_ERROR(row.Required("la_child_id").status());
  ASSIGN_OR_RETURN(const std::string start_text, row.Required("start"));
  ASSIGN_OR_RETURN(const std::string category_text, row.Required("category"));
  ASSIGN_OR_RETURN(const AbsenceCategory category, ReadCoded(row, "category", &ParseCategory));
  if (category == AbsenceCategory::kAbsent) {
    return absl::InvalidArgumentError(absl::StrCat(row.Column("category"), ": unknown code '", category_text,
                                                   "' (the 903 return uses M or A)"));
  }
  ASSIGN_OR_RETURN(const absl::CivilDay start, ParseDate(row.Column("start"), start_text));
  std::optional<absl::Time> ended_at;
  if (const std::string end_text = row.Get("end"); !end_text.empty()) {
    ASSIGN_OR_RETURN(const absl::CivilDay end, ParseDate(row.Column("end"), end_text));
    if (end < start) return EndBeforeStart(row, "end");
    ended_at = absl::FromCivil(end, zone);
  }
  ASSIGN_OR_RETURN(const RecordContext record, RecordContext::Read(row, {"la_child_id", nullptr, nullptr}, now));
  const RecordContext episode = record.WithReference(Ssda903Reference(row));
  std::vector<Event> events = {episode.Make("episode", absl::FromCivil(start, zone),
                                            MissingReported{.category = category,
                                                            .category_as_recorded = category_text,
                                                            .ended_at = ended_at})};
  RETURN_IF_ERROR(ValidateAll(events, now));
  return events;
}

// ---- children's social care ----

absl::StatusOr<std::vector<Event>> MapSocialCareRow(const MappedRow& row, absl::Time now) {
  ASSIGN_OR_RETURN(const std::string type, row.Required("entry_type"));
  ASSIGN_OR_RETURN(const RecordContext record, RecordContext::Read(row, {"ref", "version", "recorded_at"}, now));
  std::vector<Event> events;
  if (type == "placement") {
    ASSIGN_OR_RETURN(const ExportTime start, Time(row, "start"));
    ASSIGN_OR_RETURN(const bool looked_after, ReadCoded(row, "looked_after", &ParseYesNo));
    events.push_back(record.Make("placement", start.at,
                                 PlacementChanged{.looked_after = looked_after,
                                                  .placing_authority = row.Get("placing_authority"),
                                                  .host_authority = row.Get("host_authority"),
                                                  .placement_ref = row.Get("placement_ref"),
                                                  .placement_type = row.Get("placement_type"),
                                                  .allocated_team = row.Get("allocated_team"),
                                                  .social_care_open = true}));
  } else if (type == "missing_episode") {
    ASSIGN_OR_RETURN(const std::string category_text, row.Required("category"));
    ASSIGN_OR_RETURN(const AbsenceCategory category, ReadCoded(row, "category", &ParseCategory));
    ASSIGN_OR_RETURN(ExportTime start, Time(row, "start"));
    ASSIGN_OR_RETURN(std::optional<ExportTime> end, OptionalTime(row, "end"));
    RETURN_IF_ERROR(EndNotBeforeStart(row, &start, Given(end), "end"));
    events.push_back(record.Make("missing-start", start.at,
                                 MissingReported{.category = category,
                                                 .category_as_recorded = category_text,
                                                 .placement_ref = row.Get("placement_ref")}));
    if (end.has_value()) {
      events.push_back(record.Make("missing-end", end->at, FoundReturned{.found_by = row.Get("returned_how")}));
    }
  } else if (type == "strategy_meeting") {
    ASSIGN_OR_RETURN(const ExportTime held, Time(row, "held_at"));
    ASSIGN_OR_RETURN(const bool trigger_plan, ReadCoded(row, "trigger_plan", &ParseYesNo));
    events.push_back(record.Make("meeting", held.at,
                                 StrategyMeetingHeld{.trigger_plan_recorded = trigger_plan,
                                                     .attending_agencies = ParseList(row.Get("attendees")),
                                                     .outcome = row.Get("outcome")}));
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        row.Column("entry_type"), ": unknown code '", type, "' (expected placement, missing_episode or strategy_meeting)"));
  }
  RETURN_IF_ERROR(ValidateAll(events, now));
  return events;
}

}  // namespace homeward::adapters
