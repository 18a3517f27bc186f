// File: philomena.h
//
// The Philomena Protocol's sharing rule (brief §4; docs/philomena.md). A child's carer (the
// children's home, the foster carer, or social care) completes a profile of the child before any
// episode; it "is given to the police only when the child is reported missing". In the hub:
//  - the child's carers (residential home, foster placement and social care agencies) may read
//    it at any time, as far as they may see the child at all (the authority check is the
//    caller's, access_policy.h CanSeeChild);
//  - a police force may read it while it handles an open missing episode of the child: the
//    episode has a missing report from that force (its record is a source of the episode), and
//    that record is not yet closed by a found/returned record. Another force may not, and once
//    the child is found the force may not read it again (what it read stays on the access log);
//  - nobody else (health, education, RHI providers, readers of no registered agency) reads it.
// A missing report from the carer alone releases nothing: no force handles the episode yet.
//
// Pure: decides from the child's reconciled episodes (episodes.h) and chronology entries.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_PHILOMENA_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_PHILOMENA_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/aggregator/domain/chronology_entry.h"
#include "services/aggregator/domain/episodes.h"

namespace homeward::aggregator {

// Who asks, as the rule sees them: their agency and its registered kind (kUnspecified when the
// reader names no agency, or one the hub does not know: denied, as masks deny by default).
struct PhilomenaReader {
  std::string agency;
  AgencyKind agency_kind = AgencyKind::kUnspecified;
};

// A profile released to a force for one episode: from the force's missing report until its
// record of the episode is closed (the child found).
struct PhilomenaRelease {
  std::string episode_id;
  std::string force;  // the police agency id whose report is a source of the episode
  // The force's own record of the episode (its earliest, if several): with `force`, names the
  // release however the episode grows (other agencies' records joining it change its id).
  std::string force_record;
  absl::Time reported_at;  // the start the force's report gives
  // The latest end of the force's records of the episode, once every one of them has ended.
  std::optional<absl::Time> closed_at;
  std::vector<std::string> report_event_ids;  // the force's events of the episode, sorted

  bool operator==(const PhilomenaRelease&) const = default;
};

// Why a read is allowed.
struct PhilomenaGrant {
  bool carer = false;  // the child's carers' own record
  std::optional<PhilomenaRelease> release;  // a police reader: the release they read under
};

// Every release the child's episodes make (oldest episode first, then by force), open or
// closed: one per episode and police force reporting it.
std::vector<PhilomenaRelease> PhilomenaReleases(const std::vector<Episode>& episodes);

// Whether `reader` may read the child's Philomena profile at `at`, given the child's episodes.
// PERMISSION_DENIED, saying why in words fit for the access log:
//  - a police reader with no release: the child has no missing episode the force reports, or
//    only other forces' ("released to police.a, not to police.b");
//  - a police reader whose release is closed ("closed: the child was found at ...");
//  - an agency of any other kind, or no registered agency.
absl::StatusOr<PhilomenaGrant> MayReadPhilomenaProfile(const PhilomenaReader& reader,
                                                       const std::vector<Episode>& episodes, absl::Time at);

// The child's current Philomena profile: of the entries holding one (each the latest revision of
// its record), the one completed most recently (event time, then event id); nullptr if none.
// A child who moves placement can have one from each carer; the newest is the one in use.
const ChronologyEntry* CurrentPhilomenaProfile(const EntryList& entries);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_PHILOMENA_H_
