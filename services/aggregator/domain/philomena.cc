#include "services/aggregator/domain/philomena.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace homeward::aggregator {
namespace {

std::string When(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone()); }

bool IsCarer(AgencyKind kind) {
  return kind == AgencyKind::kResidentialHome || kind == AgencyKind::kFosterPlacement || kind == AgencyKind::kSocialCare;
}

bool OpenAt(const PhilomenaRelease& r, absl::Time at) { return !r.closed_at.has_value() || *r.closed_at > at; }

}  // namespace

std::vector<PhilomenaRelease> PhilomenaReleases(const std::vector<Episode>& episodes) {
  std::vector<PhilomenaRelease> out;
  for (const Episode& e : episodes) {
    // One release per force, however many of its records the episode joins.
    std::map<std::string, PhilomenaRelease> by_force;
    std::map<std::string, bool> all_ended;
    for (const EpisodeSource& s : e.sources) {
      if (s.agency_kind != AgencyKind::kPolice) continue;
      auto it = by_force.try_emplace(s.agency_id, PhilomenaRelease{.episode_id = e.episode_id,
                                                                           .force = s.agency_id,
                                                                           .force_record = s.source_record,
                                                                           .reported_at = s.start}).first;
      PhilomenaRelease& r = it->second;
      if (s.start < r.reported_at) {
        r.reported_at = s.start;
        r.force_record = s.source_record;
      }
      r.report_event_ids.insert(r.report_event_ids.end(), s.event_ids.begin(), s.event_ids.end());
      bool& ended = all_ended.try_emplace(s.agency_id, true).first->second;
      ended = ended && s.end.has_value();
      if (s.end.has_value() && (!r.closed_at.has_value() || *s.end > *r.closed_at)) r.closed_at = s.end;
    }
    for (auto& [force, r] : by_force) {
      if (!all_ended[force]) r.closed_at.reset();  // one of the force's records is still open
      std::sort(r.report_event_ids.begin(), r.report_event_ids.end());
      out.push_back(std::move(r));
    }
  }
  return out;
}

absl::StatusOr<PhilomenaGrant> MayReadPhilomenaProfile(const PhilomenaReader& reader,
                                                       const std::vector<Episode>& episodes, absl::Time at) {
  if (IsCarer(reader.agency_kind)) return PhilomenaGrant{.carer = true};
  if (reader.agency_kind != AgencyKind::kPolice) {
    return absl::PermissionDeniedError(absl::StrCat(
        "a Philomena profile is for the child's carers, and for the police force handling an open missing episode; ",
        reader.agency.empty() ? "the reader names no agency" : absl::StrCat("not for ", reader.agency),
        reader.agency_kind == AgencyKind::kUnspecified ? "" : absl::StrCat(" (", ToString(reader.agency_kind), ")")));
  }
  const std::vector<PhilomenaRelease> releases = PhilomenaReleases(episodes);
  std::optional<PhilomenaRelease> closed;  // the force's latest closed release, to say so
  std::vector<std::string> other_forces;   // forces the profile is released to now
  for (const PhilomenaRelease& r : releases) {
    if (r.force != reader.agency) {
      if (OpenAt(r, at)) other_forces.push_back(r.force);
      continue;
    }
    if (OpenAt(r, at)) return PhilomenaGrant{.release = r};
    if (!closed.has_value() || *r.closed_at > *closed->closed_at) closed = r;
  }
  if (closed.has_value()) {
    return absl::PermissionDeniedError(absl::StrCat("the release to ", reader.agency, " for episode ", closed->episode_id,
                                                    " closed when the child was found (", When(*closed->closed_at),
                                                    "): no new reads"));
  }
  if (!other_forces.empty()) {
    std::sort(other_forces.begin(), other_forces.end());
    other_forces.erase(std::unique(other_forces.begin(), other_forces.end()), other_forces.end());
    return absl::PermissionDeniedError(absl::StrCat("released to ", absl::StrJoin(other_forces, ", "),
                                                    " (the force handling the missing episode), not to ", reader.agency));
  }
  return absl::PermissionDeniedError(
      absl::StrCat("not released to ", reader.agency,
                   ": the child has no open missing episode that a police force reports (released only when the child "
                   "is reported missing)"));
}

const ChronologyEntry* CurrentPhilomenaProfile(const EntryList& entries) {
  const ChronologyEntry* current = nullptr;
  for (const ChronologyEntry& e : entries) {
    if (PayloadIf<PhilomenaProfile>(e.event.payload) == nullptr) continue;
    if (current == nullptr || std::tie(current->event.occurred_at, current->event.event_id) <
                                  std::tie(e.event.occurred_at, e.event.event_id)) {
      current = &e;
    }
  }
  return current;
}

}  // namespace homeward::aggregator
