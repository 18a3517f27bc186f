#include "common/metrics/metrics.h"

#include <algorithm>

namespace homeward::metrics {

void Counter::AdvanceTo(double total) {
  double now = value_.load(std::memory_order_relaxed);
  while (now < total && !value_.compare_exchange_weak(now, total, std::memory_order_relaxed)) {
  }
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double value) {
  // The first bucket whose upper bound is at least the value (le: "less than or equal").
  const size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s{.bounds = bounds_, .sum = sum_.load(std::memory_order_relaxed)};
  s.counts.reserve(bounds_.size() + 1);
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    s.counts.push_back(counts_[i].load(std::memory_order_relaxed));
    s.count += s.counts.back();
  }
  return s;
}

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::vector<double> DelayBuckets() { return {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600}; }

namespace {

class NoCollector final : public Collector {};

class DiscardMetrics final : public Metrics {
 public:
  Counter& GetCounter(absl::string_view, absl::string_view, const Labels&) override { return counter_; }
  Gauge& GetGauge(absl::string_view, absl::string_view, const Labels&) override { return gauge_; }
  Histogram& GetHistogram(absl::string_view, absl::string_view, const std::vector<double>&, const Labels&) override {
    return histogram_;
  }
  std::unique_ptr<Collector> AddCollector(std::function<void()>) override { return std::make_unique<NoCollector>(); }

 private:
  Counter counter_;
  Gauge gauge_;
  Histogram histogram_{{}};
};

}  // namespace

Metrics& Discard() {
  static auto* discard = new DiscardMetrics();
  return *discard;
}

}  // namespace homeward::metrics
