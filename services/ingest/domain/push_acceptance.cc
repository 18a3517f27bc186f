#include "services/ingest/domain/push_acceptance.h"

#include "absl/strings/str_cat.h"
#include "common/domain/event_validation.h"

namespace homeward::ingest {

absl::Status CheckPushedEvent(const Event& event, absl::string_view caller_agency, absl::Time now) {
  if (event.agency_id != caller_agency) {
    return absl::PermissionDeniedError(absl::StrCat("caller is agency '", caller_agency,
                                                    "' but the event claims to be from '", event.agency_id, "'"));
  }
  return ValidateEvent(event, now);
}

}  // namespace homeward::ingest
