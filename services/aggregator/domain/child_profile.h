// File: child_profile.h
//
// What a coordinator needs on one screen about a child: who they are to each agency, whether
// they are looked after and where, and a current risk summary (audit rec. 6e; Annex A List 8
// items, brief §4). Derived from the child's chronology and episodes; pure.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHILD_PROFILE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHILD_PROFILE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/domain/agency_registry.h"
#include "common/domain/event.h"
#include "services/aggregator/domain/child_id.h"
#include "services/aggregator/domain/chronology_entry.h"
#include "services/aggregator/domain/episodes.h"

namespace homeward::aggregator {

struct LinkedRecord {
  std::string agency_id;
  AgencyKind agency_kind = AgencyKind::kUnspecified;
  int entries = 0;
};

struct ChildProfile {
  ChildId child_id;
  std::vector<std::string> identifiers;
  std::vector<std::string> names;  // "Given Family" as each agency recorded them, distinct
  std::optional<absl::CivilDay> date_of_birth;  // the most recent record's
  Sex sex = Sex::kUnspecified;
  std::vector<LinkedRecord> linked_records;  // per agency

  // The latest placement record, if social care has one.
  std::optional<PlacementChanged> placement;
  std::optional<absl::Time> placement_since;
  bool looked_after = false;
  bool placed_out_of_area = false;  // placing authority differs from host (audit rec. 7c)

  // Risk summary at `now`.
  int episodes_total = 0;
  // Episodes starting within the repeat window (ProfileOptions) up to and including the latest
  // episode's start: exactly what rule repeat-missing counts for that episode.
  int episodes_in_repeat_window = 0;
  absl::Duration repeat_window;
  int episodes_last_90_days = 0;  // starting in the 90 days up to `now`
  int episodes_last_12_months = 0;  // Annex A: episodes in the last 12 months
  bool currently_missing = false;   // the latest episode is open
  RiskGrade latest_grade = RiskGrade::kUnspecified;
  std::vector<std::string> exploitation_concerns;  // distinct types and indicators, as recorded
  std::optional<InterviewOutcome> last_interview_outcome;  // after the latest episode
  std::vector<std::string> data_quality_flags;  // episode flags, de-duplicated
};

// The local authorities whose coordinators may see the child (issue 6, need to know), said
// only by sources entitled to say it (issue 11, point 7): an authority's own social care (or
// 903 return) naming its child (child.local_authority), and the placements it records, whose
// host authority then shares the child (out-of-area placements concern both; audit rec. 7c).
// Sorted. `home_authority` (the hub's own, rules.json "default_authority") when no entitled
// source names one. Another agency's word — a police record naming an authority, a placement
// from anyone but the placing authority's social care — neither widens nor narrows the set.
std::vector<std::string> ChildAuthorities(const std::vector<const ChronologyEntry*>& entries,
                                          const std::string& home_authority, const AgencyRegistry& registry);

struct ProfileOptions {
  // Rule repeat-missing's window (config/rules.json), so that the profile counts the episodes
  // the rule counts.
  absl::Duration repeat_window = absl::Hours(24 * 90);
};

ChildProfile BuildProfile(const ChildId& child_id, const std::vector<std::string>& identifiers,
                          const EntryList& entries, const std::vector<Episode>& episodes,
                          absl::Time now, const ProfileOptions& options = {});

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHILD_PROFILE_H_
