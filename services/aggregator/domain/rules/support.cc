#include "services/aggregator/domain/rules/support.h"

#include <algorithm>
#include <iterator>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/rule.h"

namespace homeward::aggregator::rules {
namespace {

bool InterviewDone(const InterviewStatus& i) {
  return i.outcome == InterviewOutcome::kCompleted || i.outcome == InterviewOutcome::kDeclined;
}

// Agencies whose record of a child means children's social care knows them.
bool SocialCareKind(AgencyKind kind) {
  return kind == AgencyKind::kSocialCare || kind == AgencyKind::kSsda903Return ||
         kind == AgencyKind::kResidentialHome || kind == AgencyKind::kFosterPlacement;
}

}  // namespace

Raiser::Raiser(const ChildFacts& child, const RuleSet& rules, absl::Time now) : child_(child), now_(now) {
  if (const PlacementChanged* p = PlacementAt(child, absl::InfiniteFuture()); p && !p->placing_authority.empty()) {
    authorities_ = {p->placing_authority};
  } else {
    authorities_ = {rules.default_authority};
  }
}

void Raiser::Raise(const RuleConfig& rule, const std::string& cause, absl::Time trigger_time,
                   std::vector<std::string> causes, std::string reason, Options options) {
  Alert a;
  a.alert_id = absl::StrCat(rule.id, ":", cause);
  a.child_id = child_.child_id;
  a.rule_id = rule.id;
  a.rule_version = rule.version;
  a.severity = rule.severity;
  a.anchor_event_ids = options.anchor.empty() ? causes : std::move(options.anchor);
  std::sort(a.anchor_event_ids.begin(), a.anchor_event_ids.end());
  a.more_causes = options.earlier_causes;
  if (causes.size() > kMaxCauseEventIds) {  // the latest causes: the trigger's own records
    a.more_causes += static_cast<int>(causes.size() - kMaxCauseEventIds);
    causes.erase(causes.begin(), causes.end() - kMaxCauseEventIds);
  }
  a.cause_event_ids = std::move(causes);
  a.recommended_action = rule.recommended_action;
  a.team = options.team.empty() ? rule.team : std::move(options.team);
  a.authorities = options.authorities.empty() ? authorities_ : std::move(options.authorities);
  a.raised_at = now_;
  a.triggered_by_event_time = trigger_time;
  a.due_at = options.due_at.value_or(trigger_time);
  a.reason = std::move(reason);
  alerts.push_back(std::move(a));
}

int CountParam(const RuleConfig& rule, const std::string& name) { return static_cast<int>(rule.params.at(name)); }
absl::Duration DaysParam(const RuleConfig& rule, const std::string& name) {
  return absl::Seconds(86400 * rule.params.at(name));
}
absl::Duration HoursParam(const RuleConfig& rule, const std::string& name) {
  return absl::Seconds(3600 * rule.params.at(name));
}

absl::Time AddWorkingDays(absl::Time t, int days) {
  while (days > 0) {
    t += absl::Hours(24);
    const absl::Weekday w = absl::GetWeekday(absl::ToCivilDay(t, absl::UTCTimeZone()));
    if (w != absl::Weekday::saturday && w != absl::Weekday::sunday) --days;
  }
  return t;
}

std::vector<std::string> SourceEvents(const Episode& e) {
  std::vector<std::string> ids;
  for (const auto& s : e.sources) ids.insert(ids.end(), s.event_ids.begin(), s.event_ids.end());
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string When(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone()); }
std::string Day(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

const PlacementChanged* PlacementAt(const ChildFacts& child, absl::Time at) {
  const PlacementChanged* found = nullptr;
  for (const ChronologyEntry& e : child.entries) {
    if (e.event.occurred_at > at) break;
    if (const auto* p = std::get_if<PlacementChanged>(&e.event.payload)) found = p;
  }
  return found;
}

std::optional<absl::CivilDay> DateOfBirth(const ChildFacts& child) {
  std::optional<absl::CivilDay> dob;
  absl::Time at = absl::InfinitePast();
  for (const ChronologyEntry& e : child.entries) {
    if (e.event.child->date_of_birth && e.event.recorded_at >= at) {
      dob = e.event.child->date_of_birth;
      at = e.event.recorded_at;
    }
  }
  return dob;
}

int AgeOn(absl::CivilDay dob, absl::CivilDay day) {
  int age = static_cast<int>(day.year() - dob.year());
  if (std::make_tuple(day.month(), day.day()) < std::make_tuple(dob.month(), dob.day())) --age;
  return age;
}

const InterviewStatus* FirstInterviewDone(const Episode& e) {
  const InterviewStatus* first = nullptr;
  for (const InterviewStatus& i : e.interviews) {
    if (InterviewDone(i) && (first == nullptr || i.at < first->at)) first = &i;
  }
  return first;
}

const ChronologyEntry* FirstSocialCareRecord(const ChildFacts& child) {
  for (const ChronologyEntry& e : child.entries) {  // chronology order
    const auto* p = std::get_if<PlacementChanged>(&e.event.payload);
    if (SocialCareKind(e.event.agency_kind) || (p != nullptr && (p->social_care_open || p->looked_after))) return &e;
  }
  return nullptr;
}

bool KnownToSocialCareAt(const ChildFacts& child, const Episode& episode) {
  if (std::any_of(episode.sources.begin(), episode.sources.end(),
                  [](const EpisodeSource& s) { return SocialCareKind(s.agency_kind); })) {
    return true;
  }
  const ChronologyEntry* first = FirstSocialCareRecord(child);
  return first != nullptr && first->event.occurred_at <= episode.start;
}

const Episode* EpisodeOf(const Alert& alert, const ChildFacts& child) {
  for (const Episode& e : child.episodes) {
    for (const EpisodeSource& s : e.sources) {
      for (const std::string& id : s.event_ids) {
        if (std::binary_search(alert.anchor_event_ids.begin(), alert.anchor_event_ids.end(), id)) return &e;
      }
    }
  }
  return nullptr;
}

std::vector<const Episode*> Window(const std::vector<Episode>& episodes, size_t k, absl::Duration window) {
  std::vector<const Episode*> in;
  for (size_t j = k + 1 - EpisodesInWindow(episodes, k, window); j <= k; ++j) in.push_back(&episodes[j]);
  return in;
}

namespace {

size_t SourceEventCount(const Episode& e) {
  size_t n = 0;
  for (const auto& s : e.sources) n += s.event_ids.size();
  return n;
}

}  // namespace

WindowCauses LatestCauses(const std::vector<const Episode*>& in) {
  // Only the latest episodes' ids are copied, enough for the kMaxCauseEventIds that Raise keeps
  // (it cuts the rest and counts them): a child missing often has windows of dozens of episodes,
  // each evaluated after every batch about the child. The earlier episodes' ids are counted.
  size_t from = in.size();
  for (size_t taken = 0; from > 0 && taken < kMaxCauseEventIds;) taken += SourceEventCount(*in[--from]);
  WindowCauses causes;
  for (size_t j = 0; j < from; ++j) causes.earlier += static_cast<int>(SourceEventCount(*in[j]));
  for (size_t j = from; j < in.size(); ++j) {
    std::vector<std::string> ids = SourceEvents(*in[j]);
    causes.latest.insert(causes.latest.end(), std::make_move_iterator(ids.begin()), std::make_move_iterator(ids.end()));
  }
  return causes;
}

void RaiseRepeats(const RuleConfig& rule, const ChildFacts& child, Raiser& raiser,
                  const std::function<bool(const std::vector<const Episode*>&)>& keep,
                  const std::function<std::string(const std::vector<const Episode*>&)>& reason) {
  const int count = CountParam(rule, "count");
  const absl::Duration window = DaysParam(rule, "window_days");
  const auto& episodes = child.episodes;
  for (size_t k = 0; k < episodes.size(); ++k) {
    const auto in = Window(episodes, k, window);
    if (static_cast<int>(in.size()) < count || !keep(in)) continue;
    WindowCauses causes = LatestCauses(in);
    raiser.Raise(rule, episodes[k].episode_id, episodes[k].start, std::move(causes.latest), reason(in),
                 {.anchor = SourceEvents(episodes[k]), .earlier_causes = causes.earlier});
  }
}

std::string RepeatNeverDue(const RuleConfig*, const Alert&, const ChildFacts&) {
  return "the episodes now recorded no longer meet the rule (records amended, or reports joined into one episode)";
}

}  // namespace homeward::aggregator::rules
