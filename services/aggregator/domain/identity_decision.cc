#include "services/aggregator/domain/identity_decision.h"

#include "common/domain/child_identifiers.h"
#include "common/domain/event_validation.h"
#include "common/status_macros.h"

namespace homeward::aggregator {

absl::StatusOr<Event> NewIdentityDecision(const DecisionRequest& request, absl::Time now,
                                          const std::string& decision_id) {
  ASSIGN_OR_RETURN(const std::string a, ParseChildIdentifier(request.identifier_a));
  ASSIGN_OR_RETURN(const std::string b, ParseChildIdentifier(request.identifier_b));
  Event e;
  e.agency_id = kIdentityAgency;
  e.agency_kind = AgencyKind::kSocialCare;  // coordinators sit in the local authority's hub
  e.source_record = decision_id;
  e.facet = "decision";
  e.revision = 1;
  e.event_id = MakeEventId(e.agency_id, e.source_record, e.facet, e.revision);
  e.occurred_at = now;
  e.recorded_at = now;
  e.payload = IdentityDecision{.identifier_a = a, .identifier_b = b, .link = request.link,
                               .decided_by = request.decided_by, .reason = request.reason};
  RETURN_IF_ERROR(ValidateEvent(e, now));
  return e;
}

}  // namespace homeward::aggregator
