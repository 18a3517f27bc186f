// File: other_mappings.h
//
// Mappers for the agency exports besides the police's (docs/formats/). Each reads one record
// through the area's mapping and returns its events, or INVALID_ARGUMENT naming the column and
// the reason (required value missing, unreadable or impossible time, unknown code, end before
// start, a record claiming another agency, or a ValidateEvent() failure). Pure: no I/O.
#ifndef HOMEWARD_SERVICES_ADAPTERS_DOMAIN_OTHER_MAPPINGS_H_
#define HOMEWARD_SERVICES_ADAPTERS_DOMAIN_OTHER_MAPPINGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/adapters/domain/source_mapping.h"

namespace homeward::adapters {

// Residential homes and foster placements: absences and returns as the home recorded them.
// "absence" (MissingReported, the home's own category) and, once back, "return" (FoundReturned).
const std::vector<std::string>& CareHomeColumns();
absl::StatusOr<std::vector<Event>> MapCareHomeRow(const MappedRow& row, absl::Time now);

// Return home interview provider: "offered" and, once known, "outcome" (completed, declined or
// not offered, with reason), carrying push/pull factors, where and with whom, harm, exploitation
// indicators and the child's own words (DfE 2014; audit rec. 4).
const std::vector<std::string>& RhiColumns();
absl::StatusOr<std::vector<Event>> MapRhiRow(const MappedRow& row, absl::Time now);

// Education and health: chronology notes (missing education, unscheduled care), not episodes.
const std::vector<std::string>& NoteColumns();
absl::StatusOr<std::vector<Event>> MapNoteRow(const MappedRow& row, absl::Time now);

// The SSDA903 `Missing` table (CHILD, DOB, MISSING M/A, MIS_START, MIS_END; brief §4). One
// "episode" event per row, dated at the start of MIS_START in the mapping's zone, ended at
// MIS_END when given. The record reference is CHILD/MIS_START; the revision is the mapping's
// (the return's year), so a re-import of the same return publishes nothing new.
const std::vector<std::string>& Ssda903Columns();
absl::StatusOr<std::vector<Event>> MapSsda903Row(const MappedRow& row, absl::Time now);
// The row's record reference, "CHILD/YYYY-MM-DD" (MIS_START); with MIS_START as written when it
// is not a date.
std::string Ssda903Reference(const MappedRow& row);

// Children's social care (JSON, flattened by services/adapters/json): one entry per row with
// `entry_type` placement (PlacementChanged), missing_episode (MissingReported "missing-start"
// and FoundReturned "missing-end"; missing from care vs away from placement kept as recorded) or
// strategy_meeting (StrategyMeetingHeld, trigger plan recorded or not; audit rec. 7d).
absl::StatusOr<std::vector<Event>> MapSocialCareRow(const MappedRow& row, absl::Time now);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_DOMAIN_OTHER_MAPPINGS_H_
