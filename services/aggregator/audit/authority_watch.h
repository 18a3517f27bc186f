// File: authority_watch.h
//
// Which authorities a child belongs to decides whose coordinators may read the child's record
// (ChildAuthorities), so every change to it is on the access log (issue 11, point 7): after each
// batch, the children it touched are looked at again, and where their authorities differ from
// before, an "authority-change" entry names the child, the authorities before and after, and
// the agency whose record made the difference. Start-up replay only primes what is known (those
// changes were logged when they happened).
//
// Thread safety: called from the ingestor's thread; safe to construct on any.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_AUDIT_AUTHORITY_WATCH_H_
#define HOMEWARD_SERVICES_AGGREGATOR_AUDIT_AUTHORITY_WATCH_H_

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/domain/agency_registry.h"
#include "services/aggregator/audit/access_log.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/kafka/applied_sink.h"

namespace homeward::aggregator {

class AuthorityWatch final : public AppliedSink {
 public:
  // All must outlive this object.
  AuthorityWatch(const ChronologyStore& chronology, AccessLog& log, const AgencyRegistry& registry,
                 std::string home_authority, const Clock& clock)
      : chronology_(chronology), log_(log), registry_(registry), home_authority_(std::move(home_authority)),
        clock_(clock) {}

  // Learns every child's authorities as they stand (after start-up replay), logging nothing.
  void Prime() ABSL_LOCKS_EXCLUDED(mu_);

  void OnEventsApplied(const std::vector<Event>& events) override ABSL_LOCKS_EXCLUDED(mu_);
  void OnAlertRecord(const StoredAlertRecord&) override {}

 private:
  const ChronologyStore& chronology_;
  AccessLog& log_;
  const AgencyRegistry& registry_;
  const std::string home_authority_;
  const Clock& clock_;
  absl::Mutex mu_;
  std::map<ChildId, std::vector<std::string>> known_ ABSL_GUARDED_BY(mu_);  // child -> authorities
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_AUDIT_AUTHORITY_WATCH_H_
