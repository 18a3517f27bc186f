// Reports on a year of a synthetic city (issue 14, point 6): about 900 children and 2,000
// episodes recorded by every agency (tests/testing/synthetic_city.h). Target: each report in
// under 1 s. Run through `make bench` (BENCH_FILTER=Report to run these alone).
//   BM_Report/<report>          as at now: read from the live chronology (the usual case)
//   BM_ReportRebuilt/<report>   as at 1 July: the chronology rebuilt from every stored revision
//                               recorded by then, read back from the SQLite store (checksums,
//                               decoding) as the aggregator does
//   BM_StatutoryReturn          the SSDA903 Missing table for Coventry's collection year
//   BM_WhatIf                   the year replayed from the SQLite store under the shipped rules and
//                               a proposal (repeat-missing 3 in 30 days), compared (issue 16;
//                               target: under 5 s)
#include <benchmark/benchmark.h>

#include "common/codec/event_codec.h"
#include "services/aggregator/domain/reports/report_engine.h"
#include "services/aggregator/domain/reports/reports.h"
#include "services/aggregator/alerts/rules_file.h"
#include "services/aggregator/domain/rules/what_if.h"
#include "services/aggregator/store/stored_event_history.h"
#include "tests/testing/events.h"
#include "tests/testing/synthetic_city.h"

namespace homeward::bench {
namespace {

using aggregator::reports::ReportEngine;
using aggregator::reports::ReportRequest;

class NoAlerts final : public aggregator::reports::AlertSource {
 public:
  std::vector<aggregator::Alert> AlertsDue(absl::Time, absl::Time) const override { return {}; }
};

// The city, a live chronology of it, and its events in an in-memory SQLite store.
struct City {
  City() : city(testing::MakeSyntheticCity()) {
    auto opened = aggregator::SqliteEventStore::Open({.path = "", .integrity_key = std::string(32, 'k')});
    store = *std::move(opened);
    std::vector<aggregator::StoredEvent> rows;
    for (const Event& e : city.events) {
      live.Apply(e, e.recorded_at);
      rows.push_back({.event_id = e.event_id, .bytes = EncodeEvent(e), .received_at = e.recorded_at});
    }
    (void)store->Commit(rows, {}, {});
    history = std::make_unique<aggregator::StoredEventHistory>(*store);
    engine = std::make_unique<ReportEngine>(live, *history, alerts, city.registry,
                                            aggregator::reports::EngineOptions{.facts = {.home_authority = "coventry"}});
  }
  testing::SyntheticCity city;
  aggregator::ChronologyStore live;
  std::unique_ptr<aggregator::SqliteEventStore> store;
  std::unique_ptr<aggregator::StoredEventHistory> history;
  NoAlerts alerts;
  std::unique_ptr<ReportEngine> engine;
};

City& TheCity() {
  static auto* city = new City;
  return *city;
}

ReportRequest Request(const std::string& name, absl::Time as_at) {
  return {.name = name,
          .from = absl::CivilDay(2026, 1, 1),
          .to = absl::CivilDay(2026, 12, 31),
          .as_at = as_at,
          .zone = absl::UTCTimeZone(),
          .home_authority = "coventry"};
}

const absl::Time kNow = testing::At("2027-06-01T00:00:00Z");

void Run(benchmark::State& state, const std::string& name, absl::Time as_at, ReportEngine::Path path) {
  City& c = TheCity();
  for (auto _ : state) {
    absl::StatusOr<aggregator::reports::Report> r = c.engine->Run(Request(name, as_at), kNow);
    if (!r.ok() || c.engine->last_path() != path) state.SkipWithError("the report failed or took the other path");
    benchmark::DoNotOptimize(r);
  }
  state.counters["episodes"] = static_cast<double>(c.city.episodes.size());
  state.counters["events"] = static_cast<double>(c.city.events.size());
}

void RegisterAll() {
  for (const aggregator::reports::ReportInfo& info : aggregator::reports::Catalog()) {
    if (info.statutory) continue;
    benchmark::RegisterBenchmark(("BM_Report/" + info.name).c_str(), [name = info.name](benchmark::State& s) {
      Run(s, name, kNow, ReportEngine::Path::kLive);
    })->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_ReportRebuilt/" + info.name).c_str(), [name = info.name](benchmark::State& s) {
      Run(s, name, testing::At("2026-07-01T00:00:00Z"), ReportEngine::Path::kRebuilt);
    })->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("BM_StatutoryReturn/ssda903-missing", [](benchmark::State& s) {
    City& c = TheCity();
    ReportRequest r = Request("ssda903-missing", kNow);
    r.from = absl::CivilDay(2026, 4, 1);
    r.to = absl::CivilDay(2027, 3, 31);
    r.authority = "coventry";
    for (auto _ : s) benchmark::DoNotOptimize(c.engine->RunReturn(r, kNow));
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_WhatIf/repeat-missing-3-in-30", [](benchmark::State& s) {
    City& c = TheCity();
    absl::StatusOr<aggregator::RuleSet> shipped =
        aggregator::LoadRulesFile(std::string(HOMEWARD_SOURCE_DIR) + "/config/rules.json");
    if (!shipped.ok()) {
      s.SkipWithError(std::string(shipped.status().message()).c_str());
      return;
    }
    aggregator::RuleSet proposed = *shipped;
    for (aggregator::RuleConfig& r : proposed.rules) {
      if (r.id == "repeat-missing") r.params["window_days"] = 30, r.version = 2;
    }
    const aggregator::rules::WhatIfRequest request{.from = testing::At("2026-01-01T00:00:00Z"),
                                                  .to = testing::At("2027-01-01T00:00:00Z"),
                                                  .now = kNow};
    absl::StatusOr<aggregator::rules::WhatIfResult> result;
    for (auto _ : s) {
      result = aggregator::rules::RunWhatIf(*c.history, *shipped, proposed, request);
      if (!result.ok()) s.SkipWithError(std::string(result.status().message()).c_str());
    }
    if (!result.ok()) return;
    s.counters["events"] = static_cast<double>(result->events_replayed);
    s.counters["meetings_in_force"] = result->shipped_meeting_children;
    s.counters["meetings_proposed"] = result->proposed_meeting_children;
    for (const aggregator::rules::RuleComparison& r : result->rules) {
      if (r.rule_id != "repeat-missing") continue;
      s.counters["repeat_in_force"] = r.shipped_alerts;
      s.counters["repeat_proposed"] = r.proposed_alerts;
    }
  })->Unit(benchmark::kMillisecond)->Iterations(3);
}

const bool registered = (RegisterAll(), true);

}  // namespace
}  // namespace homeward::bench
