// File: metrics.h
//
// The port through which Homeward counts what it does, for operators (docs/operations.md lists
// every metric). Components take a `metrics::Metrics&` and ask it for their instruments once:
//
//   metrics::Counter& consumed = metrics.GetCounter("homeward_events_consumed_total",
//                                                  "Messages read from the events topic");
//   consumed.Increment(batch.size());
//
// Two implementations:
//  - metrics::Registry (registry.h): keeps every instrument and renders the Prometheus text
//    exposition format; the services serve it on /metrics (http_endpoint.h);
//  - metrics::Discard() (below): the no-op one, for components and tests that count into nothing.
// Domain code takes no metrics at all: the adapters around it count (docs/architecture.md).
//
// Names follow Prometheus conventions: `homeward_` prefix, base units (seconds, bytes), counters
// end in `_total`. Label values must never carry personal data: rule ids, RPC names, partitions,
// reasons and outcomes, never a child's or a person's id.
//
// Thread safety: every class here is safe for concurrent use. An instrument lives as long as the
// Metrics that handed it out.
#ifndef HOMEWARD_COMMON_METRICS_METRICS_H_
#define HOMEWARD_COMMON_METRICS_METRICS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace homeward::metrics {

// Label names and values, e.g. {{"rule", "repeat-missing"}}. The same names, in the same order,
// for every instrument of one metric.
using Labels = std::vector<std::pair<std::string, std::string>>;

// A count that only goes up (from zero at process start).
class Counter {
 public:
  // REQUIRES: by >= 0.
  void Increment(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  // Raises the counter to `total` if it is below: for counts a component already keeps itself
  // (IngestStats), copied when the metrics are collected. Never lowers it.
  void AdvanceTo(double total);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted into buckets by upper bound (Prometheus histogram: cumulative on output).
class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, ascending; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> counts;  // per bucket, not cumulative; one more than bounds (+Inf)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

// Upper bounds for durations of calls and commits, in seconds: 0.5 ms to 10 s.
std::vector<double> LatencyBuckets();
// Upper bounds for delivery delays, in seconds: 10 ms to an hour.
std::vector<double> DelayBuckets();

// Runs before every collection (Metrics::AddCollector) until destroyed; destroying it waits for
// a collection in progress to finish, so what its function reads may be destroyed after it.
class Collector {
 public:
  virtual ~Collector() = default;
};

// The port.
class Metrics {
 public:
  virtual ~Metrics() = default;

  // The instrument named `name` with `labels`, made on first use: the same object for the same
  // name and labels. `help` says what it counts (docs/operations.md repeats it). A name used
  // with another kind of instrument or other label names is a programming error: the process
  // stops (metric names are literals in the code; tests meet them first).
  virtual Counter& GetCounter(absl::string_view name, absl::string_view help, const Labels& labels = {}) = 0;
  virtual Gauge& GetGauge(absl::string_view name, absl::string_view help, const Labels& labels = {}) = 0;
  // `bounds` counts only when the histogram is made.
  virtual Histogram& GetHistogram(absl::string_view name, absl::string_view help, const std::vector<double>& bounds,
                                  const Labels& labels = {}) = 0;

  // `collect` runs before every collection (e.g. to set gauges from a component's state) until
  // the returned Collector is destroyed; it must outlive the Metrics. `collect` may call
  // Get*() but must not add or remove collectors.
  [[nodiscard]] virtual std::unique_ptr<Collector> AddCollector(std::function<void()> collect) = 0;
};

// The no-op Metrics: instruments that work but are never collected, shared by everyone who
// uses it. For components given no registry, and for tests.
Metrics& Discard();

}  // namespace homeward::metrics

#endif  // HOMEWARD_COMMON_METRICS_METRICS_H_
