#include "services/aggregator/aggregator_metrics.h"

#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/aggregator/aggregator.h"

namespace homeward::aggregator {
namespace {

// The last collection's alert series, so that one no longer held goes back to zero.
struct AlertSeries {
  std::set<std::pair<AlertState, std::string>> seen;
};

void CollectIngest(metrics::Metrics& m, Aggregator& a) {
  const IngestStats s = a.stats();
  m.GetCounter("homeward_events_consumed_total", "Messages read from the events topic").AdvanceTo(s.consumed);
  constexpr char kApplied[] = "homeward_events_applied_total";
  constexpr char kAppliedHelp[] = "Events committed to the store and applied to the chronology, by outcome";
  m.GetCounter(kApplied, kAppliedHelp, {{"outcome", "added"}}).AdvanceTo(s.added);
  m.GetCounter(kApplied, kAppliedHelp, {{"outcome", "duplicate"}}).AdvanceTo(s.duplicates);
  m.GetCounter(kApplied, kAppliedHelp, {{"outcome", "superseded"}}).AdvanceTo(s.superseded);
  m.GetCounter(kApplied, kAppliedHelp, {{"outcome", "stale"}}).AdvanceTo(s.stale);
  m.GetCounter(kApplied, kAppliedHelp, {{"outcome", "purge"}}).AdvanceTo(s.purges);
  constexpr char kDead[] = "homeward_events_dead_lettered_total";
  constexpr char kDeadHelp[] = "Messages of the events topic refused and sent to the dead-letter topic, by reason";
  m.GetCounter(kDead, kDeadHelp, {{"reason", "oversized"}}).AdvanceTo(s.rejected_oversized);
  m.GetCounter(kDead, kDeadHelp, {{"reason", "invalid"}}).AdvanceTo(s.rejected_invalid);
  m.GetCounter(kDead, kDeadHelp, {{"reason", "unregistered"}}).AdvanceTo(s.rejected_unregistered);
  m.GetCounter(kDead, kDeadHelp, {{"reason", "conflict"}}).AdvanceTo(s.rejected_conflicts);
  m.GetCounter(kDead, kDeadHelp, {{"reason", "impossible"}}).AdvanceTo(s.rejected_impossible);
  m.GetCounter("homeward_dead_letters_by_reference_total",
               "Dead letters too large to travel whole, sent by reference (first 4 KiB, size, SHA-256, position)")
      .AdvanceTo(s.dead_letters_by_reference);
  m.GetCounter("homeward_batches_total", "Batches committed to the store").AdvanceTo(s.batches);
  m.GetCounter("homeward_batch_commit_failures_total", "Batches that could not be committed (each retried)")
      .AdvanceTo(s.commit_failures);
  m.GetCounter("homeward_log_gaps_total", "Gaps found in the log since start (records removed before they were read)")
      .AdvanceTo(s.log_gaps);
  m.GetGauge("homeward_store_quarantined_events", "Stored events that failed their checksum at the last start")
      .Set(static_cast<double>(s.quarantined));
  const SqliteEventStore::CheckpointCounts c = a.store_checkpoints();
  constexpr char kCheckpoints[] = "homeward_store_wal_checkpoints_total";
  constexpr char kCheckpointsHelp[] =
      "WAL checkpoints of the event store: by its own thread, or inside a commit that found the WAL at its limit";
  m.GetCounter(kCheckpoints, kCheckpointsHelp, {{"where", "background"}}).AdvanceTo(c.background);
  m.GetCounter(kCheckpoints, kCheckpointsHelp, {{"where", "in_commit"}}).AdvanceTo(c.in_commit);

  const IngestHealth h = a.health();
  m.GetGauge("homeward_ingest_serving", "1 while ingestion progresses (health SERVING), 0 when it cannot")
      .Set(h.serving ? 1 : 0);
  m.GetGauge("homeward_log_gaps_open", "Gaps in the log not yet accepted by an administrator (their partitions wait)")
      .Set(static_cast<double>(h.open_gaps.size()));
  m.GetGauge("homeward_batch_consecutive_failures", "Failed attempts to commit the current batch, in a row")
      .Set(h.consecutive_failures);
  for (const auto& [tp, lag] : a.ingestor().lag()) {
    m.GetGauge("homeward_consumer_lag_messages",
               "Messages a partition holds that this aggregator has not read yet (the log's end as last fetched)",
               {{"topic", tp.topic}, {"partition", absl::StrCat(tp.partition)}})
        .Set(static_cast<double>(lag));
  }
}

void CollectAlerts(metrics::Metrics& m, Aggregator& a, AlertSeries& series) {
  const AlertCensus census = a.alerts().Census();
  constexpr char kAlerts[] = "homeward_alerts";
  constexpr char kAlertsHelp[] = "Alerts in this replica's book, by state and severity";
  for (const auto& [state, severity] : series.seen) {
    if (!census.by_state_and_severity.contains({state, severity})) {
      m.GetGauge(kAlerts, kAlertsHelp, {{"state", ToString(state)}, {"severity", severity}}).Set(0);
    }
  }
  for (const auto& [key, n] : census.by_state_and_severity) {
    m.GetGauge(kAlerts, kAlertsHelp, {{"state", ToString(key.first)}, {"severity", key.second}}).Set(n);
    series.seen.insert(key);
  }
  m.GetGauge("homeward_alert_oldest_unacknowledged_seconds",
             "Age of the oldest alert no duty worker has acknowledged yet (0 when there is none)")
      .Set(census.oldest_unacknowledged.has_value()
               ? absl::ToDoubleSeconds(absl::Now() - *census.oldest_unacknowledged)
               : 0);
  m.GetGauge("homeward_alerts_escalated_open", "Open alerts escalated because nobody acknowledged them in time")
      .Set(census.escalated_open);
}

}  // namespace

std::unique_ptr<metrics::Collector> CollectAggregatorMetrics(metrics::Metrics& metrics, Aggregator& aggregator) {
  return metrics.AddCollector([&metrics, &aggregator, series = std::make_shared<AlertSeries>()] {
    CollectIngest(metrics, aggregator);
    CollectAlerts(metrics, aggregator, *series);
  });
}

metrics::Readiness AggregatorReadiness(Aggregator* running, const metrics::Registry& registry) {
  if (running != nullptr) {
    const IngestHealth h = running->health();
    return {.ready = h.serving, .reason = h.reason};
  }
  if (registry.Value("homeward_replaying").value_or(0) > 0) {
    return {.ready = false,
            .reason = absl::StrCat("starting: replaying the store (",
                                   static_cast<int64_t>(registry.Value("homeward_replay_events_done").value_or(0)),
                                   " of ",
                                   static_cast<int64_t>(registry.Value("homeward_replay_events_expected").value_or(0)),
                                   " events)")};
  }
  return {.ready = false, .reason = "starting: opening the store, reaching Kafka"};
}

}  // namespace homeward::aggregator
