#include "services/aggregator/domain/reports/report_engine.h"

#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {
namespace {

// Reading the live chronology while a batch lands: read again this many times, then rebuild.
constexpr int kLiveAttempts = 3;

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
