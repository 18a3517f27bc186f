// File: episodes.h
//
// Reconciles the agencies' reports of a child's absences into episodes (audit rec. 7b:
// consistent episode recording between police and social care; rules-and-scenarios.md,
// "Conventions" and scenario S4). Pure and order-independent: the same entries give the same
// episodes.
//
// Each agency record (agency + source record) that reports an absence is one *source*, kept as
// received: its own category wording, its start (the report's event time), its end (that
// record's found/returned event, or a 903 MIS_END), its latest risk grade. Sources are the same
// episode when their starts are within the tolerance, or one starts inside another's closed
// period. The episode states what the sources agree on and flags where they differ.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_EPISODES_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_EPISODES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/aggregator/domain/chronology_entry.h"

namespace homeward::aggregator {

struct EpisodeOptions {
  // How far apart two agencies' times for the same absence may be and still agree (rule
  // `category-mismatch`, T = 2 h).
  absl::Duration tolerance = absl::Hours(2);
};

struct EpisodeSource {
  std::string agency_id;
  AgencyKind agency_kind = AgencyKind::kUnspecified;
  std::string source_record;
  AbsenceCategory category = AbsenceCategory::kUnspecified;
  std::string category_as_recorded;
  absl::Time start;
  std::optional<absl::Time> end;
  bool date_only = false;  // the 903 return records dates, not times
  RiskGrade latest_grade = RiskGrade::kUnspecified;
  RiskGrade highest_grade = RiskGrade::kUnspecified;  // over the report and every re-grading
  bool amended = false;  // a revision of this record superseded an earlier one
  // The record's found/returned event is dated before its own report's start (issue 11,
  // point 5: possible only when the found record arrived first). That end is not used.
  std::optional<absl::Time> returned_before_start;
  std::vector<std::string> event_ids;
};

struct InterviewStatus {
  std::string agency_id;
  std::string source_record;
  InterviewOutcome outcome = InterviewOutcome::kUnspecified;  // the latest recorded
  absl::Time at;
};

struct Episode {
  std::string episode_id;  // "<agency>/<record>" of its earliest source: stable for the episode
  absl::Time start;        // the earliest start a source gives (a timed one, if there is one)
  std::optional<absl::Time> end;  // the latest end, once every source has ended
  // The category the sources agree on; kUnspecified when they differ (see flags).
  AbsenceCategory category = AbsenceCategory::kUnspecified;
  // The highest grade any agency gave during the episode (a later downgrade does not undo
  // it: rule high-risk fires on "any agency grades the child high during an episode").
  RiskGrade highest_grade = RiskGrade::kUnspecified;
  std::vector<EpisodeSource> sources;  // ordered by start, then agency and record
  std::vector<InterviewStatus> interviews;  // RHIs whose episode_ref names one of the sources
  bool categories_differ = false;
  bool times_differ = false;  // starts or ends further apart than the tolerance
  // A source's return is dated before its own start: the episode's times cannot be trusted,
  // so time-based rules (long-missing, rhi-overdue) leave it to rule `impossible-times`.
  bool impossible_times = false;
  // SSDA903 validation rules the episode breaks (brief §4): 574, one agency recorded overlapping
  // periods for it; 575, it is still open although the child's placement changed after it began.
  bool rule_574 = false;
  bool rule_575 = false;
  // Readable data-quality flags, e.g. "categories differ: police.wm 'ABSENT' (absent), ...".
  std::vector<std::string> flags;
};

// How many of `episodes` (oldest first) start within `window` up to and including the start of
// episodes[k]: what rules repeat-missing and normalised-risk count for episode k, and what the
// child's profile shows for the latest episode.
int EpisodesInWindow(const std::vector<Episode>& episodes, size_t k, absl::Duration window);

// The child's episodes, oldest first. `entries` is the child's chronology (any order).
std::vector<Episode> ReconcileEpisodes(const EntryList& entries,
                                       const EpisodeOptions& options = {});

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_EPISODES_H_
