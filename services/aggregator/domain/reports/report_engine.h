// File: report_engine.h
//
// Runs reports as at a time (issue 14, point 2). The events recorded by then (Event.recorded_at,
// the agencies' own time, so every replica agrees) are the log as at then; a report is built
// from a chronology of exactly those:
//  - when nothing the live chronology holds was recorded after the as-at time (the usual case: a
//    report "as at now"), it is the live chronology itself, read child by child; if events
//    arrive while it is read, it is read again;
//  - otherwise a chronology is rebuilt from every stored revision recorded by then (an amendment
//    recorded later is not yet in force; a late record recorded earlier is), from EventHistory.
// Alerts are those raised by then, with the transitions made by then (AlertsAsAt).
//
// Ports: EventHistory (every stored event, every revision: the SQLite store, or a vector in
// tests) and AlertSource (the alerts: the AlertCoordinator, or a vector). Pure.
//
// Thread safety: Run and RunReturn may be called from several threads at once.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORT_ENGINE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORT_ENGINE_H_

#include <atomic>
#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/agency_registry.h"
#include "common/domain/event.h"
#include "services/aggregator/domain/alert.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/domain/reports/report.h"
#include "services/aggregator/domain/reports/report_facts.h"

namespace homeward::aggregator::reports {

class EventHistory {
 public:
  virtual ~EventHistory() = default;
  // Calls `visit` for every event held, every revision, in any order. An event that cannot be
  // read is an error (the report is not run), never skipped.
  virtual absl::Status ForEachEvent(const std::function<void(const Event&)>& visit) = 0;
};

class AlertSource {
 public:
  virtual ~AlertSource() = default;
  // Every alert whose due_at is in [from, to), with its history.
  virtual std::vector<Alert> AlertsDue(absl::Time from, absl::Time to) const = 0;
};

struct EngineOptions {
  FactOptions facts;
  EpisodeOptions episodes;  // as the live chronology reconciles them
};

class ReportEngine {
 public:
  // Every argument must outlive the engine.
  ReportEngine(const ChronologyStore& live, EventHistory& history, const AlertSource& alerts,
               const AgencyRegistry& registry, EngineOptions options)
      : live_(live), history_(history), alerts_(alerts), registry_(registry), options_(std::move(options)) {}

  // Errors: CheckRequest's; whatever reading the history gives.
  absl::StatusOr<Report> Run(const ReportRequest& request, absl::Time now);
  absl::StatusOr<StatutoryReturn> RunReturn(const ReportRequest& request, absl::Time now);

  // How the last run read the log (tests, metrics): the live chronology, or a rebuild.
  enum class Path { kNone, kLive, kRebuilt };
  Path last_path() const { return last_path_.load(); }

  const EngineOptions& options() const { return options_; }

 private:
  absl::StatusOr<CityFacts> FactsAsAt(const ReportRequest& request, bool with_alerts);

  const ChronologyStore& live_;
  EventHistory& history_;
  const AlertSource& alerts_;
  const AgencyRegistry& registry_;
  const EngineOptions options_;
  std::atomic<Path> last_path_{Path::kNone};  // of whichever run finished last
};

}  // namespace homeward::aggregator::reports

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORT_ENGINE_H_
