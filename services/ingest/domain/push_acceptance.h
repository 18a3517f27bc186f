// File: push_acceptance.h
//
// Whether an event an agency system pushed may be published. Pure.
#ifndef HOMEWARD_SERVICES_INGEST_DOMAIN_PUSH_ACCEPTANCE_H_
#define HOMEWARD_SERVICES_INGEST_DOMAIN_PUSH_ACCEPTANCE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/domain/event.h"

namespace homeward::ingest {

// OK, or: PERMISSION_DENIED when the event names an agency other than the caller's (an agency
// publishes only as itself); INVALID_ARGUMENT as ValidateEvent() (bad id, missing fields,
// impossible or future times).
absl::Status CheckPushedEvent(const Event& event, absl::string_view caller_agency, absl::Time now);

}  // namespace homeward::ingest

#endif  // HOMEWARD_SERVICES_INGEST_DOMAIN_PUSH_ACCEPTANCE_H_
