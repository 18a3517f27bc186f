// File: philomena_watch.h
//
// The Philomena Protocol's release (issue 16; docs/philomena.md; domain/philomena.h): when a
// police force's missing report makes a child with a Philomena profile missing, the profile is
// released to that force, and when the force records the child found, the release closes. After
// each batch the children it touched are looked at again, and for each release that opened or
// closed since:
//  - the access log gets a "philomena-release" entry naming the child, the force, the episode
//    and the profile (a release is a disclosure decision, golden rule 7);
//  - the force's stream gets a notification: an alert of rule "philomena-release", severity
//    "notification", team = the force's agency id (a force's duty team subscribes to it), about
//    the child and routed to the child's authorities too, naming the profile and how to read it
//    (GetPhilomenaProfile). The alert carries no profile content: alerts travel to every reader
//    of the authority's alerts, the profile only to the force (AlertService.StreamAlerts adds it
//    to the force's own updates, ReleasedPhilomenaProfile). When the release closes, the hub
//    closes the alert, saying so.
// Nothing is released for a child with no profile; a profile that arrives during an open episode
// is released then. A release is notified only once it is on the access log. Start-up replay
// only primes what is known (those releases were logged when they happened).
//
// Thread safety: called from the ingestor's thread; safe to construct on any.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_AUDIT_PHILOMENA_WATCH_H_
#define HOMEWARD_SERVICES_AGGREGATOR_AUDIT_PHILOMENA_WATCH_H_

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/domain/agency_registry.h"
#include "common/publisher.h"
#include "services/aggregator/audit/access_log.h"
#include "services/aggregator/domain/alert.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/domain/philomena.h"
#include "services/aggregator/kafka/applied_sink.h"

namespace homeward::aggregator {

// The rule id, severity and alert id of release notifications.
inline constexpr char kPhilomenaReleaseRule[] = "philomena-release";
inline constexpr char kPhilomenaReleaseSeverity[] = "notification";
// "philomena-release:<force>/<the force's source record>": the same for a release however the
// episode grows, so replicas and redeliveries notify it once.
std::string PhilomenaReleaseAlertId(const PhilomenaRelease& release);

// The notification for `release` of `profile` (an entry holding a PhilomenaProfile) about
// `child_id`, routed to `authorities`, raised at `now`. Pure.
Alert PhilomenaReleaseAlert(const PhilomenaRelease& release, const ChronologyEntry& profile,
                            const ChildId& child_id, const std::vector<std::string>& authorities, absl::Time now);

class PhilomenaWatch final : public AppliedSink {
 public:
  // All must outlive this object. `publisher` takes the notifications (homeward.alerts.v1).
  PhilomenaWatch(const ChronologyStore& chronology, AccessLog& log, MessagePublisher& publisher,
                 const AgencyRegistry& registry, std::string home_authority, const Clock& clock)
      : chronology_(chronology), log_(log), publisher_(publisher), registry_(registry),
        home_authority_(std::move(home_authority)), clock_(clock) {}

  // Learns every release as it stands (after start-up replay), logging and notifying nothing.
  void Prime() ABSL_LOCKS_EXCLUDED(mu_);

  void OnEventsApplied(const std::vector<Event>& events) override ABSL_LOCKS_EXCLUDED(mu_);
  void OnAlertRecord(const StoredAlertRecord&) override {}

 private:
  enum class State { kOpen, kClosed };
  // The child's releases now, if they have a profile (else none), with the current profile.
  std::vector<PhilomenaRelease> ReleasesOf(const ChildId& child_id, const ChronologyEntry** profile,
                                           ChildFacts& facts) const;
  // Logs one change; false if it could not be logged (then it is neither notified nor learnt).
  bool Log(const ChildId& child_id, const std::string& detail) const;
  void Notify(OutboundMessage message) const;

  const ChronologyStore& chronology_;
  AccessLog& log_;
  MessagePublisher& publisher_;
  const AgencyRegistry& registry_;
  const std::string home_authority_;
  const Clock& clock_;
  absl::Mutex mu_;
  std::map<std::string, State> known_ ABSL_GUARDED_BY(mu_);  // alert id -> as last logged
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_AUDIT_PHILOMENA_WATCH_H_
