// File: push_acceptance.h
//
// Whether an event an agency system pushed may be published. Pure.
#ifndef HOMEWARD_SERVICES_INGEST_DOMAIN_PUSH_ACCEPTANCE_H_
#define HOMEWARD_SERVICES_INGEST_DOMAIN_PUSH_ACCEPTANCE_H_

#include <deque>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/domain/agency_registry.h"
#include "common/domain/event.h"

namespace homeward::ingest {

// OK, or: PERMISSION_DENIED when the event names an agency other than the caller's (an agency
// publishes only as itself); INVALID_ARGUMENT as ValidateEvent() (bad id, missing fields,
// impossible or future times).
absl::Status CheckPushedEvent(const Event& event, absl::string_view caller_agency, absl::Time now);

// CheckPushedEvent, and what push ingest can know beyond one event (issue 11, points 5 and 8):
// the agency publishes only its registered kind and record types (PERMISSION_DENIED), and a
// found/returned record dated before the start of a missing report this service already passed
// for the same agency record is impossible (INVALID_ARGUMENT). The aggregator checks both
// again against everything it holds; this answers the pushing system at once where it can.
//
// Thread safety: safe for concurrent use.
class PushAcceptance {
 public:
  // `registry` must outlive this object. At most `remembered_reports` report starts are kept
  // (the oldest are forgotten first; the aggregator still checks those).
  explicit PushAcceptance(const AgencyRegistry& registry, size_t remembered_reports = 100'000)
      : registry_(registry), capacity_(remembered_reports) {}

  absl::Status Check(const Event& event, absl::string_view caller_agency, absl::Time now) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const AgencyRegistry& registry_;
  const size_t capacity_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::Time> report_starts_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace homeward::ingest

#endif  // HOMEWARD_SERVICES_INGEST_DOMAIN_PUSH_ACCEPTANCE_H_
