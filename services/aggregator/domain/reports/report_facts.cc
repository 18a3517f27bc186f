#include "services/aggregator/domain/reports/report_facts.h"

#include <algorithm>
#include <map>
#include <set>

namespace homeward::aggregator::reports {
namespace {

bool IsPolice(const EpisodeSource& s) { return s.agency_kind == AgencyKind::kPolice; }
bool IsSocialCare(const EpisodeSource& s) {
  return s.agency_kind == AgencyKind::kSocialCare || s.agency_kind == AgencyKind::kSsda903Return;
}

// A placement as its placing authority's own social care recorded it, from when.
struct PlacementAt {
  absl::Time at;
  PlacementChanged placement;
};

RhiFact InterviewsOf(const Episode& episode, const EntryList& entries) {
  std::set<std::string> records;
  for (const EpisodeSource& s : episode.sources) records.insert(s.source_record);
  RhiFact rhi;
  std::optional<absl::Time> not_offered_at;
  for (const ChronologyEntry& e : entries) {  // chronology order: the first of each is the earliest
    const auto* i = PayloadIf<ReturnInterview>(e.event.payload);
    if (i == nullptr || !records.contains(i->episode_ref)) continue;
    if (!rhi.any_record) rhi.provider = e.event.agency_id;
    rhi.any_record = true;
    const absl::Time at = e.event.occurred_at;
    switch (i->outcome) {
      case InterviewOutcome::kOffered:
        if (!rhi.offered_at) rhi.offered_at = at;
        break;
      case InterviewOutcome::kCompleted:
        if (!rhi.completed_at) rhi.completed_at = at;
        break;
      case InterviewOutcome::kDeclined:
        if (!rhi.declined_at) {
          rhi.declined_at = at;
          rhi.declined_reason = i->reason;
        }
        break;
      case InterviewOutcome::kNotOffered:
        if (!not_offered_at) not_offered_at = at;
        break;
      case InterviewOutcome::kUnspecified:
        break;
    }
  }
  if (rhi.completed_at) {  // a refusal, then an interview after all: it was completed
    rhi.declined_at.reset();
    rhi.declined_reason.clear();
  }
  // A completion or refusal means an offer was made, when or before it was.
  for (const auto& implied : {rhi.completed_at, rhi.declined_at}) {
    if (implied && (!rhi.offered_at || *implied < *rhi.offered_at)) rhi.offered_at = implied;
  }
  rhi.not_offered = not_offered_at.has_value() && !rhi.offered_at;
  return rhi;
}

void DescribeSources(const Episode& episode, const AgencyRegistry& registry, EpisodeFact& f) {
  const EpisodeSource* police = nullptr;
  const EpisodeSource* social_care = nullptr;
  for (const EpisodeSource& s : episode.sources) {
    if (IsPolice(s)) {
      f.police = true;
      f.police_grade = std::max(f.police_grade, s.highest_grade);
      if (police == nullptr || (police->date_only && !s.date_only)) police = &s;
    } else if (IsSocialCare(s)) {
      f.social_care = true;
      if (s.agency_kind == AgencyKind::kSsda903Return) {
        if (const AgencyEntry* a = registry.Find(s.agency_id)) f.return_903_authority = a->authority;
      }
      // The LA's case record before its 903 return (which has dates, not times).
      if (social_care == nullptr || (social_care->date_only && !s.date_only)) social_care = &s;
    } else if (s.agency_kind == AgencyKind::kResidentialHome) {
      f.residential_home = true;
      if (std::find(f.residential_homes.begin(), f.residential_homes.end(), s.agency_id) == f.residential_homes.end()) {
        f.residential_homes.push_back(s.agency_id);
      }
    }
  }
  if (police != nullptr) f.police_category = police->category;
  if (social_care != nullptr) f.social_care_category = social_care->category;
  if (police != nullptr && social_care != nullptr && !police->date_only && !social_care->date_only) {
    f.start_difference = absl::AbsDuration(police->start - social_care->start);
    if (police->end && social_care->end) f.end_difference = absl::AbsDuration(*police->end - *social_care->end);
  }
}

}  // namespace

FactOptions FactOptionsFromRules(const RuleSet& rules, absl::TimeZone zone) {
  FactOptions o{.home_authority = rules.default_authority, .escalate_after = rules.escalate_after, .zone = zone};
  const auto param = [&](const char* rule, const char* name) -> std::optional<double> {
    const RuleConfig* r = rules.Find(rule);
    if (r == nullptr) return std::nullopt;
    const auto it = r->params.find(name);
    return it == r->params.end() ? std::nullopt : std::optional<double>(it->second);
  };
  const auto days = [](double d) { return absl::Hours(24) * d; };
  if (auto v = param("repeat-missing", "count")) o.repeat_count = static_cast<int>(*v);
  if (auto v = param("repeat-missing", "window_days")) o.repeat_window = days(*v);
  if (auto v = param("normalised-risk", "count")) o.normalised_count = static_cast<int>(*v);
  if (auto v = param("normalised-risk", "window_days")) o.normalised_window = days(*v);
  if (auto v = param("rhi-overdue", "hours")) o.rhi_due = absl::Hours(*v);
  return o;
}

int AgeOn(absl::CivilDay born, absl::CivilDay day) {
  int years = static_cast<int>(day.year() - born.year());
  if (day.month() < born.month() || (day.month() == born.month() && day.day() < born.day())) --years;
  return years;
}

std::vector<Alert> AlertsAsAt(const std::vector<Alert>& alerts, absl::Time as_at) {
  std::vector<Alert> out;
  for (const Alert& a : alerts) {
    if (a.raised_at > as_at) continue;
    Alert copy = a;
    std::erase_if(copy.history, [&](const AlertTransition& t) { return t.at > as_at; });
    out.push_back(std::move(copy));
  }
  return out;
}

CityFacts GatherFacts(const ChronologyStore& store, const std::vector<Alert>& alerts, const AgencyRegistry& registry,
                      const FactOptions& options) {
  CityFacts city;
  std::map<std::string, size_t> child_index;  // by child id and by every identifier
  for (const ChildId& child_id : store.Children()) {
    absl::StatusOr<ChildFacts> facts = store.Facts(child_id.value());
    if (!facts.ok()) continue;  // linked into another child since Children(): counted there
    const size_t index = city.children.size();
    child_index[child_id.value()] = index;
    for (const std::string& identifier : facts->identifiers) child_index.emplace(identifier, index);
    ChildFact child{.hub_id = child_id.value()};
    std::vector<PlacementAt> placements;
    std::string named_authority;
    absl::Time dob_recorded = absl::InfinitePast();
    for (const ChronologyEntry& entry : facts->entries) {
      const Event& e = entry.event;
      if (e.agency_id == kIdentityAgency) continue;
      if (e.child->date_of_birth && e.recorded_at >= dob_recorded) {
        child.date_of_birth = e.child->date_of_birth;
        dob_recorded = e.recorded_at;
      }
      if (e.child->sex != Sex::kUnspecified) child.sex = e.child->sex;
      if (registry.SpeaksFor(e.agency_id, e.child->local_authority)) {
        named_authority = e.child->local_authority;
        if (!e.child->la_child_id.empty()) child.la_child_ids[e.child->local_authority] = e.child->la_child_id;
      }
      if (const auto* m = std::get_if<StrategyMeetingHeld>(&e.payload)) {
        child.meetings.push_back({e.occurred_at, m->trigger_plan_recorded});
      } else if (const auto* r = std::get_if<RiskRegraded>(&e.payload); r && e.agency_kind == AgencyKind::kPolice) {
        child.regrades.push_back({e.occurred_at, r->from_grade, r->to_grade});
      } else if (const auto* p = std::get_if<PlacementChanged>(&e.payload);
                 p && registry.SpeaksFor(e.agency_id, p->placing_authority)) {
        placements.push_back({e.occurred_at, *p});
      }
    }
    for (size_t k = 0; k < facts->episodes.size(); ++k) {
      const Episode& episode = facts->episodes[k];
      EpisodeFact f{.child = index,
                    .start = episode.start,
                    .end = episode.end,
                    .impossible_times = episode.impossible_times,
                    .category = episode.category,
                    .categories_differ = episode.categories_differ,
                    .rule_574 = episode.rule_574,
                    .rule_575 = episode.rule_575,
                    .in_repeat_window = EpisodesInWindow(facts->episodes, k, options.repeat_window),
                    .in_normalised_window = EpisodesInWindow(facts->episodes, k, options.normalised_window),
                    .sex = child.sex};
      f.date_only = std::all_of(episode.sources.begin(), episode.sources.end(),
                                [](const EpisodeSource& s) { return s.date_only; });
      DescribeSources(episode, registry, f);
      f.rhi = InterviewsOf(episode, facts->entries);
      if (child.date_of_birth) f.age = AgeOn(*child.date_of_birth, absl::ToCivilDay(episode.start, options.zone));
      const PlacementAt* in_force = nullptr;
      for (const PlacementAt& p : placements) {
        if (p.at <= episode.start) in_force = &p;  // chronology order: the latest wins
      }
      if (in_force != nullptr) {
        const PlacementChanged& p = in_force->placement;
        f.looked_after = p.looked_after;
        f.placing_authority = p.placing_authority;
        f.host_authority = p.host_authority.empty() ? p.placing_authority : p.host_authority;
        f.placement_type = p.placement_type;
        f.placement_ref = p.placement_ref;
        f.allocated_team = p.allocated_team;
        f.authority = p.placing_authority;
      } else {
        f.authority = named_authority.empty() ? options.home_authority : named_authority;
      }
      child.episodes.push_back(city.episodes.size());
      city.episodes.push_back(std::move(f));
    }
    city.children.push_back(std::move(child));
  }

  for (const Alert& a : alerts) {
    AlertFact f{.rule_id = a.rule_id,
                .severity = a.severity,
                .team = a.team,
                .authorities = a.authorities,
                .due_at = a.due_at,
                .raised_at = a.raised_at};
    for (const AlertTransition& t : a.history) {  // sorted by time: the first of each is the earliest
      switch (t.kind) {
        case TransitionKind::kAcknowledge:
          if (!f.acknowledged_at) f.acknowledged_at = t.at;
          break;
        case TransitionKind::kEscalate: f.escalated = true; break;
        case TransitionKind::kClose:
          if (!f.closed_at) f.closed_at = t.at;
          break;
        case TransitionKind::kMerge:
          f.merged = true;
          if (!f.closed_at) f.closed_at = t.at;
          break;
        case TransitionKind::kWithdraw: f.withdrawn = true; break;
        case TransitionKind::kAction:
          // The event time of what did it (the strategy meeting, the plan update).
          if (!f.actioned_at) f.actioned_at = t.at;
          break;
        case TransitionKind::kRekey: break;
      }
    }
    for (const std::string& cause : a.cause_event_ids) {
      if (std::optional<ChildId> child = store.ChildOfEvent(cause)) {
        if (auto it = child_index.find(child->value()); it != child_index.end()) f.child = it->second;
        break;
      }
    }
    if (!f.child && !a.child_id.empty()) {
      if (auto it = child_index.find(a.child_id.value()); it != child_index.end()) f.child = it->second;
    }
    city.alerts.push_back(std::move(f));
  }
  return city;
}

}  // namespace homeward::aggregator::reports
