// File: event_validation.h
//
// The checks every event passes before it is published (adapters, push ingest) and again when
// the aggregator consumes it: an event that fails is rejected with a reason, never dropped
// silently and never allowed into the chronology.
#ifndef HOMEWARD_COMMON_DOMAIN_EVENT_VALIDATION_H_
#define HOMEWARD_COMMON_DOMAIN_EVENT_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/domain/event.h"

namespace homeward {

struct ValidationOptions {
  // How far in the future an event time may lie (clock skew between agency systems).
  absl::Duration future_tolerance = absl::Minutes(15);
  // Event times before this are impossible for a child's record.
  absl::Time earliest = absl::FromCivil(absl::CivilDay(1990, 1, 1), absl::UTCTimeZone());
};

// OK, or INVALID_ARGUMENT naming the first field that is wrong: the event id does not match
// MakeEventId(agency, record, facet, revision); a required field is empty; the child carries
// no identifier at all; an event time lies in the future beyond the tolerance, before
// `earliest`, or a found/last-seen/end time is impossible.
absl::Status ValidateEvent(const Event& event, absl::Time now, const ValidationOptions& options = {});

}  // namespace homeward

#endif  // HOMEWARD_COMMON_DOMAIN_EVENT_VALIDATION_H_
