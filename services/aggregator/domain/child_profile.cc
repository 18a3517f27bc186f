#include "services/aggregator/domain/child_profile.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"

namespace homeward::aggregator {
namespace {

template <typename T>
void AddDistinct(std::vector<T>& v, const T& item) {
  if (std::find(v.begin(), v.end(), item) == v.end()) v.push_back(item);
}

}  // namespace

std::vector<std::string> ChildAuthorities(const std::vector<const ChronologyEntry*>& entries,
                                          const std::string& home_authority, const AgencyRegistry& registry) {
  std::set<std::string> found;
  for (const ChronologyEntry* entry : entries) {
    const Event& e = entry->event;
    if (registry.SpeaksFor(e.agency_id, e.child->local_authority)) found.insert(e.child->local_authority);
    if (const auto* p = std::get_if<PlacementChanged>(&e.payload); p && registry.SpeaksFor(e.agency_id, p->placing_authority)) {
      found.insert(p->placing_authority);
      if (!p->host_authority.empty()) found.insert(p->host_authority);
    }
  }
  if (found.empty()) return {home_authority};
  return {found.begin(), found.end()};
}

ChildProfile BuildProfile(const ChildId& child_id, const std::vector<std::string>& identifiers,
                          const EntryList& entries, const std::vector<Episode>& episodes,
                          absl::Time now, const ProfileOptions& options) {
  ChildProfile p{.child_id = child_id, .identifiers = identifiers};
  std::map<std::string, LinkedRecord> agencies;
  absl::Time dob_at = absl::InfinitePast();
  for (const ChronologyEntry& e : entries) {  // chronology order: later records win
    const Event& ev = e.event;
    if (ev.agency_id == kIdentityAgency) continue;
    LinkedRecord& r = agencies[ev.agency_id];
    r.agency_id = ev.agency_id;
    r.agency_kind = ev.agency_kind;
    ++r.entries;
    const std::string name = absl::StrCat(ev.child->given_name, ev.child->given_name.empty() ? "" : " ", ev.child->family_name);
    if (!ev.child->family_name.empty()) AddDistinct(p.names, name);
    if (ev.child->date_of_birth && ev.recorded_at >= dob_at) {
      p.date_of_birth = ev.child->date_of_birth;
      dob_at = ev.recorded_at;
    }
    if (ev.child->sex != Sex::kUnspecified) p.sex = ev.child->sex;
    if (const auto* pl = std::get_if<PlacementChanged>(&ev.payload)) {
      p.placement = *pl;
      p.placement_since = ev.occurred_at;
    } else if (const auto* x = std::get_if<ExploitationConcern>(&ev.payload)) {
      AddDistinct(p.exploitation_concerns,
                  absl::StrCat(ToString(x->type), x->indicator.empty() ? "" : ": ", x->indicator));
    } else if (const auto* i = PayloadIf<ReturnInterview>(ev.payload)) {
      for (const std::string& indicator : i->exploitation_indicators) {
        AddDistinct(p.exploitation_concerns, absl::StrCat("RHI: ", indicator));
      }
    }
  }
  for (auto& [id, r] : agencies) p.linked_records.push_back(r);
  if (p.placement) {
    p.looked_after = p.placement->looked_after;
    p.placed_out_of_area = p.placement->looked_after && !p.placement->host_authority.empty() &&
                           p.placement->host_authority != p.placement->placing_authority;
  }

  p.episodes_total = static_cast<int>(episodes.size());
  for (const Episode& ep : episodes) {
    if (ep.start >= now - absl::Hours(24 * 90)) ++p.episodes_last_90_days;
    if (ep.start >= now - absl::Hours(24 * 365)) ++p.episodes_last_12_months;
    for (const std::string& flag : ep.flags) AddDistinct(p.data_quality_flags, flag);
  }
  p.repeat_window = options.repeat_window;
  if (!episodes.empty()) {
    p.episodes_in_repeat_window = EpisodesInWindow(episodes, episodes.size() - 1, options.repeat_window);
    const Episode& latest = episodes.back();
    p.currently_missing = !latest.end.has_value();
    for (const auto& s : latest.sources) p.latest_grade = std::max(p.latest_grade, s.latest_grade);
    absl::Time at = absl::InfinitePast();
    for (const auto& i : latest.interviews) {
      if (i.at >= at) {
        at = i.at;
        p.last_interview_outcome = i.outcome;
      }
    }
  }
  return p;
}

}  // namespace homeward::aggregator
