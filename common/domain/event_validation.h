// File: event_validation.h
//
// The checks every event passes before it is published (adapters, push ingest) and again when
// the aggregator consumes it: an event that fails is rejected with a reason, never dropped
// silently and never allowed into the chronology. The limits are common/domain/limits.h.
#ifndef HOMEWARD_COMMON_DOMAIN_EVENT_VALIDATION_H_
#define HOMEWARD_COMMON_DOMAIN_EVENT_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "common/domain/limits.h"

namespace homeward {

struct ValidationOptions {
  // How far in the future an event time may lie (clock skew between agency systems).
  absl::Duration future_tolerance = absl::Minutes(15);
  // Event times before this are impossible for a child's record.
  absl::Time earliest = limits::EarliestTime();
};

// OK, or INVALID_ARGUMENT naming the first field that is wrong:
//  - an id (agency, record, facet, child identifier) that is empty where required, longer than
//    its limit, or holds anything but printable ASCII (no spaces, no control characters, no NUL);
//    the event id does not match MakeEventId(agency, record, facet, revision);
//  - a name with control characters or any text over its limit, or too many list items;
//  - an NHS number that fails its Modulus 11 check digit in `child.nhs_number` (it belongs in
//    `child.unverified_nhs_number`, which is kept but never links records);
//  - the child carries no identifier at all (an unverified NHS number is enough to keep the
//    record, as its own child until a person links it);
//  - any time outside [earliest, now + future_tolerance] (occurred, recorded, last seen, ended,
//    prevention interview; a date of birth after the event), or an end before its start;
//  - a Philomena profile from an agency that is not the child's carer (CheckPhilomenaSource).
absl::Status ValidateEvent(const Event& event, absl::Time now, const ValidationOptions& options = {});

// The id checks alone, for ids that arrive outside an event (queries, purges, decisions):
// INVALID_ARGUMENT "<field>: ..." unless `id` is 1..max_bytes of printable ASCII without spaces.
absl::Status CheckId(absl::string_view field, absl::string_view id, size_t max_bytes = limits::kMaxIdBytes);

// OK if an agency of `kind` may publish a Philomena profile (residential homes, foster
// placements and social care: the child's carers, brief §4); INVALID_ARGUMENT naming the kind
// otherwise. ValidateEvent applies it to every PhilomenaProfile event.
absl::Status CheckPhilomenaSource(AgencyKind kind);

// A found/returned record dated before the start of its own missing report is impossible
// (issue 11, point 5): INVALID_ARGUMENT naming both times. `found` is a FoundReturned event and
// `reported_start` the occurred_at of the MissingReported event of the same agency record.
absl::Status CheckReturnAfterReport(const Event& found, absl::Time reported_start);

}  // namespace homeward

#endif  // HOMEWARD_COMMON_DOMAIN_EVENT_VALIDATION_H_
