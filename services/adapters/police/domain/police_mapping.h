// File: police_mapping.h
//
// Maps one row of a police missing-person export to Homeward events. Pure: no I/O.
//
// The export (docs/formats/police-export.md; sample in data/samples/police_missing_persons.csv)
// has one row per missing-person occurrence, at its latest version:
//   occurrence_ref, record_version, person_id, forename, surname, date_of_birth, sex,
//   nhs_number, category, risk_grade, reported_at, last_seen_at, last_seen_location, regrades,
//   found_at, found_location, found_by, prevention_interview_at, recorded_at
// `regrades` lists each re-grade as "time|grade|decided by|reason", separated by ';'.
//
// One row gives: a MissingReported event (facet "report"), one RiskRegraded per re-grade
// ("regrade-1", ...) and, once found, a FoundReturned ("found"), all at the row's
// record_version. The force's own category (MISSING/ABSENT) is kept as received (brief §2).
#ifndef HOMEWARD_SERVICES_ADAPTERS_POLICE_DOMAIN_POLICE_MAPPING_H_
#define HOMEWARD_SERVICES_ADAPTERS_POLICE_DOMAIN_POLICE_MAPPING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/adapters/csv/csv_table.h"

namespace homeward::adapters {

struct PoliceMappingOptions {
  std::string agency_id = "police.west-midlands";  // producing agency, e.g. "police.west-midlands"
  std::string force = "west-midlands";              // qualifies person ids: police:<force>/<id>
  absl::TimeZone local_zone = absl::UTCTimeZone();  // for times written without an offset
};

// The columns a police export must have (a file without them is refused whole).
const std::vector<std::string>& PoliceRequiredColumns();

// The events one row describes, or INVALID_ARGUMENT naming the field and the reason: a
// required field empty, an unreadable time or date, an unknown category or grade code, a found
// time before the report or last-seen time, or any ValidateEvent() failure (e.g. a time in the
// future beyond tolerance at `now`).
absl::StatusOr<std::vector<Event>> MapPoliceRow(const CsvRow& row, const PoliceMappingOptions& options,
                                                absl::Time now);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_POLICE_DOMAIN_POLICE_MAPPING_H_
