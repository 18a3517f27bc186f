// File: registry.h
//
// The Metrics that keeps what it hands out and renders it in the Prometheus text exposition
// format, version 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/): what a
// service serves on /metrics (http_endpoint.h). Pure: no HTTP here, so tests read it directly.
//
//   metrics::Registry registry;
//   registry.GetCounter("homeward_events_consumed_total", "Messages read").Increment(3);
//   registry.Render();  // "# HELP homeward_events_consumed_total Messages read\n# TYPE ..."
//
// Thread safety: safe for concurrent use.
#ifndef HOMEWARD_COMMON_METRICS_REGISTRY_H_
#define HOMEWARD_COMMON_METRICS_REGISTRY_H_

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics/metrics.h"

namespace homeward::metrics {

class Registry final : public Metrics {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Metrics
  Counter& GetCounter(absl::string_view name, absl::string_view help, const Labels& labels = {}) override;
  Gauge& GetGauge(absl::string_view name, absl::string_view help, const Labels& labels = {}) override;
  Histogram& GetHistogram(absl::string_view name, absl::string_view help, const std::vector<double>& bounds,
                          const Labels& labels = {}) override;
  std::unique_ptr<Collector> AddCollector(std::function<void()> collect) override ABSL_LOCKS_EXCLUDED(collect_mu_);

  // Runs the collectors, then writes every metric, sorted by name and labels: "# HELP", "# TYPE"
  // and one line per series (a histogram's cumulative buckets, _sum and _count).
  std::string Render() ABSL_LOCKS_EXCLUDED(mu_, collect_mu_);

  // The current value of a counter or gauge, or a histogram's count, without running the
  // collectors; nullopt if there is no such series. For tests and readiness probes.
  std::optional<double> Value(absl::string_view name, const Labels& labels = {}) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  struct Series {
    Labels labels;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
  };
  struct Family {
    Kind kind;
    std::string help;
    std::vector<std::string> label_names;
    std::map<Labels, Series> series;
  };
  class Registration;

  // The series, made (with its instrument) on first use. Aborts on misuse (metrics.h).
  Series& Find(absl::string_view name, absl::string_view help, Kind kind, const Labels& labels,
               const std::vector<double>& bounds) ABSL_LOCKS_EXCLUDED(mu_);
  void Remove(int id) ABSL_LOCKS_EXCLUDED(collect_mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Family, std::less<>> families_ ABSL_GUARDED_BY(mu_);
  // Collectors run under collect_mu_ (never under mu_: they call Get*()).
  absl::Mutex collect_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  std::map<int, std::function<void()>> collectors_ ABSL_GUARDED_BY(collect_mu_);
  int next_collector_ ABSL_GUARDED_BY(collect_mu_) = 0;
};

// The exposition format's escaping: a label value's \ " and newline; a help text's \ and newline.
std::string EscapeLabelValue(absl::string_view value);
std::string EscapeHelp(absl::string_view help);
// A sample value as the format writes it: integers exactly, "+Inf", "-Inf", "NaN".
std::string FormatValue(double value);

}  // namespace homeward::metrics

#endif  // HOMEWARD_COMMON_METRICS_REGISTRY_H_
