#include "services/aggregator/domain/reports/report_engine.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {
namespace {

// Reading the live chronology while a batch lands: read again this many times, then rebuild.
constexpr int kLiveAttempts = 3;

// INVALID_ARGUMENT unless the registry or some record names `authority` (a typo would otherwise
// give a report of nothing, as if nothing had happened).
absl::Status CheckAuthority(const std::string& authority, const CityFacts& facts, const AgencyRegistry& registry,
                            const std::string& home) {
  std::set<std::string> known = {home};
  for (const auto& [id, entry] : registry.agencies()) {
    if (!entry.authority.empty()) known.insert(entry.authority);
  }
  for (const EpisodeFact& e : facts.episodes) {
    for (const std::string* a : {&e.authority, &e.placing_authority, &e.host_authority}) {
      if (!a->empty()) known.insert(*a);
    }
  }
  for (const AlertFact& a : facts.alerts) known.insert(a.authorities.begin(), a.authorities.end());
  if (authority.empty() || known.contains(authority)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("no record names the authority '", authority,
                                                 "'; the authorities the hub knows: ", absl::StrJoin(known, ", ")));
}

}  // namespace

absl::StatusOr<CityFacts> ReportEngine::FactsAsAt(const ReportRequest& request, bool with_alerts) {
  std::vector<Alert> alerts;
  if (with_alerts) {
    // Alerts due before the period still matter to nothing here; after it, neither.
    alerts = AlertsAsAt(alerts_.AlertsDue(request.Begin(), request.End()), request.as_at);
  }
  for (int attempt = 0; attempt < kLiveAttempts && live_.latest_recorded_at() <= request.as_at; ++attempt) {
    const size_t before = live_.event_count();
    CityFacts facts = GatherFacts(live_, alerts, registry_, options_.facts);
    if (live_.event_count() == before) {
      last_path_ = Path::kLive;
      return facts;
    }
  }
  ChronologyStore rebuilt(options_.episodes);
  absl::Status read = history_.ForEachEvent([&](const Event& e) {
    if (e.recorded_at <= request.as_at) rebuilt.Apply(e, e.recorded_at);
  });
  if (!read.ok()) return read;
  last_path_ = Path::kRebuilt;
  return GatherFacts(rebuilt, alerts, registry_, options_.facts);
}

absl::StatusOr<Report> ReportEngine::Run(const ReportRequest& request, absl::Time now) {
  if (absl::Status s = CheckRequest(request, now); !s.ok()) return s;
  const ReportInfo* info = FindReport(request.name);
  if (info->statutory) {
    return absl::InvalidArgumentError(request.name + " is a statutory return (it lists children): run it as one");
  }
  absl::StatusOr<CityFacts> facts = FactsAsAt(request, info->uses_alerts);
  if (!facts.ok()) return facts.status();
  if (absl::Status s = CheckAuthority(request.authority, *facts, registry_, options_.facts.home_authority); !s.ok()) {
    return s;
  }
  return BuildReport(*facts, options_.facts, request);
}

absl::StatusOr<StatutoryReturn> ReportEngine::RunReturn(const ReportRequest& request, absl::Time now) {
  if (absl::Status s = CheckRequest(request, now); !s.ok()) return s;
  if (!FindReport(request.name)->statutory) {
    return absl::InvalidArgumentError(request.name + " is a report, not a statutory return");
  }
  absl::StatusOr<CityFacts> facts = FactsAsAt(request, false);
  if (!facts.ok()) return facts.status();
  return BuildReturn(*facts, options_.facts, request);
}

}  // namespace homeward::aggregator::reports
