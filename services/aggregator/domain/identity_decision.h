// File: identity_decision.h
//
// A coordinator's answer to a probable match, as the event every replica applies.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_IDENTITY_DECISION_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_IDENTITY_DECISION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/event.h"

namespace homeward::aggregator {

struct DecisionRequest {
  std::string identifier_a;
  std::string identifier_b;
  bool link = false;
  std::string decided_by;
  std::string reason;
};

// The decision event (agency homeward.identity, source record `decision_id`, revision 1), with
// both identifiers in canonical form. INVALID_ARGUMENT for a malformed or identical pair, or no
// decided_by.
absl::StatusOr<Event> NewIdentityDecision(const DecisionRequest& request, absl::Time now,
                                          const std::string& decision_id);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_IDENTITY_DECISION_H_
