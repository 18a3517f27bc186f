#include "services/aggregator/audit/philomena_watch.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/access/access_policy.h"
#include "common/logging.h"
#include "services/aggregator/alerts/alert_codec.h"
#include "services/aggregator/domain/episodes.h"

namespace homeward::aggregator {
namespace {

std::string When(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone()); }

}  // namespace

std::string PhilomenaReleaseAlertId(const PhilomenaRelease& release) {
  return absl::StrCat(kPhilomenaReleaseRule, ":", release.force, "/", release.force_record);
}

Alert PhilomenaReleaseAlert(const PhilomenaRelease& release, const ChronologyEntry& profile,
                            const ChildId& child_id, const std::vector<std::string>& authorities, absl::Time now) {
  std::vector<std::string> causes = release.report_event_ids;
  causes.push_back(profile.event.event_id);
  std::sort(causes.begin(), causes.end());
  Alert a{.alert_id = PhilomenaReleaseAlertId(release),
          .child_id = child_id,
          .rule_id = kPhilomenaReleaseRule,
          .rule_version = 1,
          .severity = kPhilomenaReleaseSeverity,
          .cause_event_ids = causes,
          .recommended_action = absl::StrCat(
              "Read the child's Philomena profile now (homeward philomena ", child_id.value(),
              "; ChronologyService.GetPhilomenaProfile): description, photograph reference, phones, associates, places "
              "and medical needs, as the carer recorded them. It closes to new reads when the child is found."),
          .team = release.force,
          .authorities = authorities,
          .raised_at = now,
          .triggered_by_event_time = release.reported_at,
          .due_at = release.reported_at,
          .reason = absl::StrCat("Philomena profile ", profile.event.event_id, " (from ", profile.event.agency_id,
                                 ") released to ", release.force, ", the force handling missing episode ",
                                 release.episode_id, " (reported ", When(release.reported_at), ")"),
          .anchor_event_ids = {PhilomenaReleaseAlertId(release)}};
  return a;
}

std::vector<PhilomenaRelease> PhilomenaWatch::ReleasesOf(const ChildId& child_id, const ChronologyEntry** profile,
                                                         ChildFacts& facts) const {
  absl::StatusOr<ChildFacts> f = chronology_.FactsWithoutEpisodes(child_id.value());
  if (!f.ok()) return {};
  facts = *std::move(f);
  *profile = CurrentPhilomenaProfile(facts.entries);
  // Nothing to release: most children, whose episodes are then not reconciled at all (this ran
  // for every child a batch touched, a rebuild's every batch included).
  if (*profile == nullptr) return {};
  facts.episodes = ReconcileEpisodes(facts.entries, chronology_.episode_options());
  return PhilomenaReleases(facts.episodes);
}

void PhilomenaWatch::Prime() {
  std::map<std::string, State> known;
  for (const ChildId& child : chronology_.Children()) {
    const ChronologyEntry* profile = nullptr;
    ChildFacts facts;
    for (const PhilomenaRelease& r : ReleasesOf(child, &profile, facts)) {
      known[PhilomenaReleaseAlertId(r)] = r.closed_at.has_value() ? State::kClosed : State::kOpen;
    }
  }
  absl::MutexLock lock(&mu_);
  known_ = std::move(known);
}

bool PhilomenaWatch::Log(const ChildId& child_id, const std::string& detail) const {
  AccessEntry entry{.at = clock_.Now(),
                    .subject = "homeward-aggregator",
                    .client = "homeward-aggregator",
                    .action = std::string(access::ActionName(access::Action::kReleasePhilomenaProfile)),
                    .method = "ApplyEvents",
                    .child_id = child_id.value(),
                    .detail = detail,
                    .purpose = "Philomena Protocol: the profile goes to the police force handling the child's missing "
                               "report, while the child is missing (brief §4)",
                    .lawful_basis = "dpa2018-sch1-para18",
                    .outcome = "OK"};
  if (absl::StatusOr<AccessEntry> logged = log_.Append(std::move(entry)); !logged.ok()) {
    log::Error("a Philomena release is not on the access log, so it is not notified: {}", logged.status().ToString());
    return false;
  }
  return true;
}

void PhilomenaWatch::Notify(OutboundMessage message) const {
  publisher_.PublishAsync({std::move(message)}, [](std::vector<absl::Status> results) {
    for (const absl::Status& s : results) {
      if (!s.ok()) log::Error("a Philomena release notification was not published: {}", s.ToString());
    }
  });
}

void PhilomenaWatch::OnEventsApplied(const std::vector<Event>& events) {
  std::set<ChildId> touched;
  for (const Event& e : events) {
    if (auto child = chronology_.ChildOf(e)) touched.insert(*child);
  }
  absl::MutexLock lock(&mu_);
  for (const ChildId& child : touched) {
    const ChronologyEntry* profile = nullptr;
    ChildFacts facts;
    const std::vector<PhilomenaRelease> releases = ReleasesOf(child, &profile, facts);
    if (releases.empty()) continue;
    std::vector<std::string> authorities;
    if (auto scope = chronology_.ScopeOf(child.value(), home_authority_, registry_); scope.ok()) authorities = scope->authorities;
    for (const PhilomenaRelease& r : releases) {
      const std::string id = PhilomenaReleaseAlertId(r);
      const auto it = known_.find(id);
      const bool closed = r.closed_at.has_value();
      if (it == known_.end() && closed) {
        known_[id] = State::kClosed;  // history: the episode had ended before the hub saw it open
        continue;
      }
      if (it == known_.end()) {
        if (!Log(facts.child_id, absl::StrCat("Philomena profile ", profile->event.event_id, " released to ", r.force,
                                              " for missing episode ", r.episode_id, " (its report ",
                                              absl::StrJoin(r.report_event_ids, ", "), ")"))) {
          continue;  // tried again with the child's next records
        }
        known_[id] = State::kOpen;
        Notify(AlertRecordMessage(PhilomenaReleaseAlert(r, *profile, facts.child_id, authorities, clock_.Now())));
        continue;
      }
      if (it->second == State::kOpen && closed) {
        const std::string why = absl::StrCat("the child was found (", When(*r.closed_at), "): the release of the "
                                             "Philomena profile to ", r.force, " for missing episode ", r.episode_id,
                                             " is closed to new reads");
        if (!Log(facts.child_id, why)) continue;
        it->second = State::kClosed;
        Notify(AlertRecordMessage(
            AlertTransition{.alert_id = id, .kind = TransitionKind::kClose, .by = kHubActor, .at = clock_.Now(), .note = why}));
      }
    }
  }
}

}  // namespace homeward::aggregator
