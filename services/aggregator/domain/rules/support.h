// File: support.h
//
// What several rules read from a child's records: the episode an alert is about, the placement
// at a time, age, interviews, whether social care knew the child. Pure.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_SUPPORT_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_SUPPORT_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/aggregator/domain/alert.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/domain/rules/rule.h"

namespace homeward::aggregator::rules {

// The events of every source of the episode, sorted.
std::vector<std::string> SourceEvents(const Episode& e);

// "2026-03-01 14:00 UTC" and "2026-03-01".
std::string When(absl::Time t);
std::string Day(absl::Time t);

// The latest placement recorded at or before `at`, or null.
const PlacementChanged* PlacementAt(const ChildFacts& child, absl::Time at);

// The date of birth the latest record giving one gives.
std::optional<absl::CivilDay> DateOfBirth(const ChildFacts& child);
int AgeOn(absl::CivilDay dob, absl::CivilDay day);

// The first completed or declined interview of the episode, or null.
const InterviewStatus* FirstInterviewDone(const Episode& e);

// The earliest record saying children's social care knows the child, or null: a record from
// social care, the SSDA903 return, a children's home or foster placement, or a placement saying
// the child is looked after or has an open social-care case.
const ChronologyEntry* FirstSocialCareRecord(const ChildFacts& child);
// Whether children's social care knew the child when `episode` began: a social-care record dated
// at or before its start, or a source of the episode itself from social care or a placement.
bool KnownToSocialCareAt(const ChildFacts& child, const Episode& episode);

// The episode an alert is about (the one holding its anchor's events), or null.
const Episode* EpisodeOf(const Alert& alert, const ChildFacts& child);

// Episodes starting within `window` up to and including episodes[k].
std::vector<const Episode*> Window(const std::vector<Episode>& episodes, size_t k, absl::Duration window);
// The events of a window's episodes, episode by episode (each episode's sorted): those of the
// latest episodes, at least the kMaxCauseEventIds an alert keeps (Raise cuts the rest), and
// how many the earlier episodes hold (for Raise's earlier_causes).
struct WindowCauses {
  std::vector<std::string> latest;
  int earlier = 0;
};
WindowCauses LatestCauses(const std::vector<const Episode*>& in);

// The repeat rules (repeat-missing, normalised-risk): for each episode that is at least the
// rule's `count`-th starting within `window_days` and whose window `keep` accepts, an alert
// anchored on that episode, caused by the window's episodes, with `reason(window)`.
void RaiseRepeats(const RuleConfig& rule, const ChildFacts& child, Raiser& raiser,
                  const std::function<bool(const std::vector<const Episode*>&)>& keep,
                  const std::function<std::string(const std::vector<const Episode*>&)>& reason);
// Why a repeat rule's alert was never due.
std::string RepeatNeverDue(const RuleConfig*, const Alert&, const ChildFacts&);

}  // namespace homeward::aggregator::rules

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_RULES_SUPPORT_H_
