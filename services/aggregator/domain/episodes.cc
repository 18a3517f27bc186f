#include "services/aggregator/domain/episodes.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace homeward::aggregator {
namespace {

std::string Day(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

// One source per agency record that reports an absence.
std::vector<EpisodeSource> CollectSources(const EntryList& entries) {
  std::map<std::pair<std::string, std::string>, EpisodeSource> by_record;  // ordered: deterministic
  std::map<std::pair<std::string, std::string>, absl::Time> grade_at;
  for (const ChronologyEntry& e : entries) {
    const auto key = std::make_pair(e.event.agency_id, e.event.source_record);
    if (const auto* m = std::get_if<MissingReported>(&e.event.payload)) {
      EpisodeSource& s = by_record[key];
      s.agency_id = e.event.agency_id;
      s.agency_kind = e.event.agency_kind;
      s.source_record = e.event.source_record;
      s.category = m->category;
      s.category_as_recorded = m->category_as_recorded;
      s.start = e.event.occurred_at;
      s.date_only = IsDateOnly(e.event);
      if (m->ended_at.has_value()) s.end = *m->ended_at;
      if (m->risk_grade != RiskGrade::kUnspecified) s.latest_grade = m->risk_grade;  // until re-graded
      s.highest_grade = std::max(s.highest_grade, m->risk_grade);
      s.amended |= !e.superseded_event_ids.empty();
      s.event_ids.push_back(e.event.event_id);
    }
  }
  for (const ChronologyEntry& e : entries) {
    auto it = by_record.find(std::make_pair(e.event.agency_id, e.event.source_record));
    if (it == by_record.end()) continue;
    EpisodeSource& s = it->second;
    if (std::holds_alternative<FoundReturned>(e.event.payload)) {
      if (e.event.occurred_at < s.start) {
        s.returned_before_start = e.event.occurred_at;
      } else {
        s.end = e.event.occurred_at;
      }
      s.event_ids.push_back(e.event.event_id);
      s.amended |= !e.superseded_event_ids.empty();
    } else if (const auto* r = std::get_if<RiskRegraded>(&e.event.payload)) {
      auto& at = grade_at[it->first];
      if (at <= e.event.occurred_at) {
        at = e.event.occurred_at;
        s.latest_grade = r->to_grade;
      }
      s.highest_grade = std::max(s.highest_grade, r->to_grade);
      s.event_ids.push_back(e.event.event_id);
    }
  }
  std::vector<EpisodeSource> sources;
  for (auto& [key, s] : by_record) {
    std::sort(s.event_ids.begin(), s.event_ids.end());
    sources.push_back(std::move(s));
  }
  std::sort(sources.begin(), sources.end(), [](const EpisodeSource& a, const EpisodeSource& b) {
    return std::tie(a.start, a.agency_id, a.source_record) < std::tie(b.start, b.agency_id, b.source_record);
  });
  return sources;
}

// Whether two sources describe the same absence.
bool SameAbsence(const EpisodeSource& a, const EpisodeSource& b, absl::Duration tolerance) {
  if (a.date_only || b.date_only) {  // compare by calendar day, a 903 period covering whole days
    const auto covers = [](const EpisodeSource& d, absl::Time t) {
      return t >= d.start - absl::Hours(12) && t < d.end.value_or(d.start) + absl::Hours(36);
    };
    return (a.date_only && covers(a, b.start)) || (b.date_only && covers(b, a.start));
  }
  if (absl::AbsDuration(a.start - b.start) <= tolerance) return true;
  const auto inside = [](const EpisodeSource& outer, absl::Time t) {
    return outer.end.has_value() && t >= outer.start && t <= *outer.end;
  };
  return inside(a, b.start) || inside(b, a.start);
}

void Flag(Episode& episode, const EpisodeOptions& options) {
  for (const auto& s : episode.sources) {
    if (!s.returned_before_start) continue;
    episode.impossible_times = true;
    episode.flags.push_back(absl::StrCat("impossible times: ", s.agency_id, " recorded the return at ",
                                         absl::FormatTime("%Y-%m-%d %H:%M UTC", *s.returned_before_start, absl::UTCTimeZone()),
                                         ", before its own report's start at ",
                                         absl::FormatTime("%Y-%m-%d %H:%M UTC", s.start, absl::UTCTimeZone())));
  }
  std::set<AbsenceCategory> categories;
  for (const auto& s : episode.sources) categories.insert(s.category);
  if (categories.size() == 1) {
    episode.category = *categories.begin();
  } else {
    episode.categories_differ = true;
    std::vector<std::string> parts;
    for (const auto& s : episode.sources) {
      parts.push_back(absl::StrCat(s.agency_id, " '", s.category_as_recorded, "' (", ToString(s.category), ")"));
    }
    episode.flags.push_back(absl::StrCat("categories differ: ", absl::StrJoin(parts, ", ")));
  }

  std::vector<const EpisodeSource*> timed;
  for (const auto& s : episode.sources) {
    if (!s.date_only) timed.push_back(&s);
  }
  if (timed.size() > 1) {
    auto [first, last] = std::minmax_element(timed.begin(), timed.end(),
                                             [](auto* a, auto* b) { return a->start < b->start; });
    if ((*last)->start - (*first)->start > options.tolerance) {
      episode.times_differ = true;
      episode.flags.push_back(absl::StrCat("start times differ by ", FormatSpan((*last)->start - (*first)->start),
                                           " (", (*first)->agency_id, " vs ", (*last)->agency_id, "; tolerance ",
                                           FormatSpan(options.tolerance), ")"));
    }
    std::vector<absl::Time> ends;
    for (auto* s : timed) {
      if (s->end) ends.push_back(*s->end);
    }
    if (ends.size() > 1) {
      auto [lo, hi] = std::minmax_element(ends.begin(), ends.end());
      if (*hi - *lo > options.tolerance) {
        episode.times_differ = true;
        episode.flags.push_back(absl::StrCat("end times differ by ", FormatSpan(*hi - *lo), " (tolerance ",
                                             FormatSpan(options.tolerance), ")"));
      }
    }
  }

  std::vector<std::string> open_agencies;
  for (const auto& s : episode.sources) {
    if (!s.end) open_agencies.push_back(s.agency_id);
  }
  if (open_agencies.size() == episode.sources.size()) {
    episode.flags.push_back("open: no agency has recorded a return");
  } else if (!open_agencies.empty()) {
    episode.flags.push_back(absl::StrCat("open in ", absl::StrJoin(open_agencies, ", "),
                                         " although other agencies recorded a return"));
  }

  std::map<std::string, int> per_agency;
  for (const auto& s : episode.sources) ++per_agency[s.agency_id];
  for (const auto& [agency, n] : per_agency) {
    if (n > 1) {
      episode.rule_574 = true;
      episode.flags.push_back(absl::StrCat(agency, " recorded ", n,
                                           " overlapping periods for one absence (SSDA903 rule 574)"));
    }
  }
}

}  // namespace

int EpisodesInWindow(const std::vector<Episode>& episodes, size_t k, absl::Duration window) {
  int n = 0;
  for (size_t j = k + 1; j-- > 0 && episodes[j].start >= episodes[k].start - window;) ++n;
  return n;
}

std::vector<Episode> ReconcileEpisodes(const EntryList& entries, const EpisodeOptions& options) {
  std::vector<EpisodeSource> sources = CollectSources(entries);
  std::vector<Episode> episodes;
  std::vector<bool> used(sources.size(), false);
  for (size_t i = 0; i < sources.size(); ++i) {
    if (used[i]) continue;
    // Grow the cluster to every source linked to it, directly or through another member.
    std::vector<size_t> cluster = {i};
    used[i] = true;
    for (size_t c = 0; c < cluster.size(); ++c) {
      for (size_t j = 0; j < sources.size(); ++j) {
        if (!used[j] && SameAbsence(sources[cluster[c]], sources[j], options.tolerance)) {
          used[j] = true;
          cluster.push_back(j);
        }
      }
    }
    std::sort(cluster.begin(), cluster.end());
    Episode e;
    for (size_t k : cluster) e.sources.push_back(sources[k]);
    e.episode_id = absl::StrCat(e.sources.front().agency_id, "/", e.sources.front().source_record);
    // A 903 date says which day, not when: the start comes from timed sources when there are any.
    const bool any_timed = std::any_of(e.sources.begin(), e.sources.end(), [](const auto& s) { return !s.date_only; });
    e.start = absl::InfiniteFuture();
    bool all_ended = true;
    for (const auto& s : e.sources) {
      if (!s.date_only || !any_timed) e.start = std::min(e.start, s.start);
      e.highest_grade = std::max(e.highest_grade, s.highest_grade);
      if (!s.end) {
        all_ended = false;
      } else if (!e.end || *s.end > *e.end) {
        e.end = s.end;
      }
    }
    if (!all_ended) e.end.reset();
    Flag(e, options);
    episodes.push_back(std::move(e));
  }

  // RHIs attach by the episode reference the provider gives; placements changed while an episode
  // is still open are flagged (903 rule 575: a period must end when the placement ends).
  for (Episode& ep : episodes) {
    std::set<std::string> records;
    for (const auto& s : ep.sources) records.insert(s.source_record);
    std::map<std::pair<std::string, std::string>, InterviewStatus> latest;
    for (const ChronologyEntry& entry : entries) {
      if (const auto* rhi = PayloadIf<ReturnInterview>(entry.event.payload)) {
        if (!records.contains(rhi->episode_ref)) continue;
        InterviewStatus& st = latest[{entry.event.agency_id, entry.event.source_record}];
        if (st.agency_id.empty() || entry.event.occurred_at >= st.at) {
          st = {entry.event.agency_id, entry.event.source_record, rhi->outcome, entry.event.occurred_at};
        }
      } else if (std::holds_alternative<PlacementChanged>(entry.event.payload) && !ep.end &&
                 entry.event.occurred_at > ep.start) {
        ep.rule_575 = true;
        ep.flags.push_back(absl::StrCat("still open although the placement changed on ", Day(entry.event.occurred_at),
                                        " (SSDA903 rule 575)"));
      }
    }
    for (auto& [key, st] : latest) ep.interviews.push_back(st);
  }
  std::sort(episodes.begin(), episodes.end(),
            [](const Episode& a, const Episode& b) { return std::tie(a.start, a.episode_id) < std::tie(b.start, b.episode_id); });
  return episodes;
}

}  // namespace homeward::aggregator
