// File: fields.h
//
// Parsing of the field types agency exports share: times, dates, and the coded fields (sex,
// risk grade, category, exploitation type, interview outcome, note kind, yes/no). Each returns
// INVALID_ARGUMENT naming the column and the value it could not read, with the standard values
// for a coded field. A mapping file's code tables are checked against these parsers when it is
// loaded (formats.h), and a value an area's table does not list is reported with the table's own
// codes (ReadCoded in record_reader.h).
#ifndef HOMEWARD_SERVICES_ADAPTERS_DOMAIN_FIELDS_H_
#define HOMEWARD_SERVICES_ADAPTERS_DOMAIN_FIELDS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/domain/event.h"

namespace homeward::adapters {

// RFC 3339 with an offset ("2026-10-03T19:10:00+01:00", "...Z"), or a local civil time
// "YYYY-MM-DD HH:MM[:SS]" read in `local` (agency exports usually carry UK local time).
absl::StatusOr<absl::Time> ParseTime(absl::string_view column, absl::string_view value,
                                     absl::TimeZone local);
// As ParseTime, but "" gives nullopt.
absl::StatusOr<std::optional<absl::Time>> ParseOptionalTime(absl::string_view column,
                                                            absl::string_view value,
                                                            absl::TimeZone local);

// "YYYY-MM-DD" or "dd/mm/yyyy" (SSDA903); rejects impossible dates such as 31/02/2015.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view column, absl::string_view value);

// "F"/"female", "M"/"male", "O"/"other"; "" or "U"/"unknown" gives kUnspecified.
absl::StatusOr<Sex> ParseSex(absl::string_view column, absl::string_view value);

// APP grades (brief §2): "no apparent risk" (also "NAR", "very low", "absent"), "low", "medium",
// "high"; case-insensitive.
absl::StatusOr<RiskGrade> ParseRiskGrade(absl::string_view column, absl::string_view value);

// Absence categories as the agencies write them, after the mapping's code table: "missing"
// (also "M", "missing from care"), "absent" (police, brief §2), "away" (also "A", "away from
// placement without authorisation", DfE 2014 and SSDA903).
absl::StatusOr<AbsenceCategory> ParseCategory(absl::string_view column, absl::string_view value);

// "CSE", "CCE", "trafficking" (rule `exploitation`).
absl::StatusOr<ExploitationType> ParseExploitationType(absl::string_view column, absl::string_view value);

// A return home interview's outcome: "completed", "declined", "not offered"; "pending" or ""
// (not decided yet) gives nullopt. Case-insensitive.
absl::StatusOr<std::optional<InterviewOutcome>> ParseInterviewOutcome(absl::string_view column,
                                                                      absl::string_view value);

// An education or health note's kind, lower-cased: "missing-education", "school-absence",
// "exclusion", "unscheduled-care", "missed-health-appointment".
absl::StatusOr<std::string> ParseNoteKind(absl::string_view column, absl::string_view value);

// "Y"/"yes"/"true"/"1" and "N"/"no"/"false"/"0"/"" (case-insensitive).
absl::StatusOr<bool> ParseYesNo(absl::string_view column, absl::string_view value);

// The Europe/London zone, or UTC if the machine has no time-zone data.
absl::TimeZone UkTimeZone();

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_DOMAIN_FIELDS_H_
