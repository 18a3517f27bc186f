// File: aggregator_metrics.h
//
// What the aggregator's state says to an operator, read when the metrics are collected: the
// ingestor's counters (the same ones `homeward status` shows), its health, each partition's lag,
// and the alert book's census (docs/operations.md lists each metric). Counts made as things
// happen (batch commit times, RPCs, access decisions, alerts raised, deliveries) are kept by the
// components themselves.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_AGGREGATOR_METRICS_H_
#define HOMEWARD_SERVICES_AGGREGATOR_AGGREGATOR_METRICS_H_

#include <memory>

#include "common/metrics/http_endpoint.h"
#include "common/metrics/metrics.h"
#include "common/metrics/registry.h"

namespace homeward::aggregator {

class Aggregator;

// Sets the gauges and counters above from `aggregator` at each collection, until the result is
// destroyed (before the aggregator's members are).
std::unique_ptr<metrics::Collector> CollectAggregatorMetrics(metrics::Metrics& metrics, Aggregator& aggregator);

// The aggregator's readiness for its /readyz probe: not ready while it starts (replaying its
// store, with the progress the ingestor counts in `registry`, or reaching Kafka: `running` is
// null), nor while ingestion cannot progress (Aggregator::health(): a gap in the log, stalled
// commits, damaged events not yet read again). Ready otherwise.
metrics::Readiness AggregatorReadiness(Aggregator* running, const metrics::Registry& registry);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_AGGREGATOR_METRICS_H_
