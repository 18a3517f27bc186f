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
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/domain/event.h"

namespace homeward::adapters {

// A time as an export wrote it. A local time written without an offset on a day the clocks
// change can have two readings: in the autumn an hour happens twice (Europe/London 2026-10-25,
// 01:00-02:00 first in BST, then in GMT), and in the spring an hour does not happen at all
// (2026-03-29, 01:00-02:00). `at` is the reading by one documented rule, RFC 5545 §3.3.5:
//  - a repeated time means its first occurrence (01:30 on 2026-10-25 is 01:30 BST, 00:30 UTC);
//  - a time in the gap is read with the UTC offset before the gap (01:30 on 2026-03-29 is
//    01:30 GMT, i.e. 02:30 BST).
// `other` is the other reading of such a time (the second occurrence; the offset after the
// gap), nullopt for any other time. PutInOrder() uses it where a record's own order needs it.
struct ExportTime {
  absl::Time at;
  std::optional<absl::Time> other;

  bool operator==(const ExportTime&) const = default;
};

// RFC 3339 with an offset ("2026-10-03T19:10:00+01:00", "...Z"; one reading), or a local civil
// time "YYYY-MM-DD HH:MM[:SS]" read in `local` (agency exports usually carry UK local time).
absl::StatusOr<ExportTime> ParseTime(absl::string_view column, absl::string_view value, absl::TimeZone local);
// As ParseTime, but "" gives nullopt.
absl::StatusOr<std::optional<ExportTime>> ParseOptionalTime(absl::string_view column, absl::string_view value,
                                                            absl::TimeZone local);

// Two times of one record that must not go backwards: `earlier` must not be after `later`
// (last seen and the report, the report and the finding, a start and its end, an offer and its
// outcome). Either may be null (a time the record does not give): the pair then holds.
struct TimeOrder {
  ExportTime* earlier;
  ExportTime* later;
};

// Makes a record's times agree with its ordering rules where the clock change allows: when the
// readings by the rule above break a pair, and another reading of the ambiguous or nonexistent
// times among them puts every pair in order, that reading is used (changing as few times as
// possible; the times' `at` and `other` swap). So a record is never rejected, nor its order
// misreported, because of the rule's choice. Returns whether every pair holds; if none of the
// readings does, the times are left as they were (the caller rejects the record as before).
bool PutInOrder(const std::vector<TimeOrder>& pairs);
// The address of the time an optional holds, or null: for TimeOrder.
inline ExportTime* Given(std::optional<ExportTime>& t) { return t.has_value() ? &*t : nullptr; }

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
