// The metrics port's registry renders the Prometheus text format (version 0.0.4) exactly, and
// the no-op Metrics takes every call; no HTTP is needed to test what a component counts.
#include "common/metrics/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace homeward::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Registry, RendersCountersAndGaugesWithHelpTypeAndLabels) {
  Registry registry;
  registry.GetCounter("homeward_events_consumed_total", "Messages read").Increment(3);
  registry.GetGauge("homeward_alerts", "Alerts held", {{"state", "raised"}, {"severity", "strategy-meeting"}}).Set(2);
  EXPECT_EQ(registry.Render(),
            "# HELP homeward_alerts Alerts held\n"
            "# TYPE homeward_alerts gauge\n"
            "homeward_alerts{state=\"raised\",severity=\"strategy-meeting\"} 2\n"
            "# HELP homeward_events_consumed_total Messages read\n"
            "# TYPE homeward_events_consumed_total counter\n"
            "homeward_events_consumed_total 3\n");
}

TEST(Registry, TheSameNameAndLabelsAreTheSameInstrument) {
  Registry registry;
  Counter& a = registry.GetCounter("homeward_x_total", "x", {{"rule", "r1"}});
  Counter& b = registry.GetCounter("homeward_x_total", "x", {{"rule", "r1"}});
  Counter& other = registry.GetCounter("homeward_x_total", "x", {{"rule", "r2"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
  a.Increment();
  b.Increment(2);
  EXPECT_EQ(registry.Value("homeward_x_total", {{"rule", "r1"}}), 3);
  EXPECT_EQ(registry.Value("homeward_x_total", {{"rule", "r2"}}), 0);
  EXPECT_EQ(registry.Value("homeward_x_total", {{"rule", "r3"}}), std::nullopt);
}

TEST(Registry, HistogramsAreCumulativeWithSumAndCount) {
  Registry registry;
  Histogram& h = registry.GetHistogram("homeward_commit_seconds", "Commit time", {0.1, 1}, {{"store", "events"}});
  h.Observe(0.125 - 0.0625);
  h.Observe(0.1);  // on a bound: counted in it ("le")
  h.Observe(0.4375);
  h.Observe(7);
  EXPECT_THAT(registry.Render(), HasSubstr("homeward_commit_seconds_bucket{store=\"events\",le=\"0.1\"} 2\n"
                                           "homeward_commit_seconds_bucket{store=\"events\",le=\"1\"} 3\n"
                                           "homeward_commit_seconds_bucket{store=\"events\",le=\"+Inf\"} 4\n"
                                           "homeward_commit_seconds_sum{store=\"events\"} 7.6\n"
                                           "homeward_commit_seconds_count{store=\"events\"} 4\n"));
  EXPECT_EQ(registry.Value("homeward_commit_seconds", {{"store", "events"}}), 4);
}

TEST(Registry, LabelValuesAndHelpAreEscaped) {
  Registry registry;
  registry.GetGauge("homeward_g", "a \\ help\nline", {{"reason", "say \"no\"\\\n"}}).Set(1);
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# HELP homeward_g a \\\\ help\\nline\n"));
  EXPECT_THAT(text, HasSubstr("homeward_g{reason=\"say \\\"no\\\"\\\\\\n\"} 1\n"));
}

TEST(Registry, ValuesAreWrittenExactlyAndInfinitiesByName) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(123456789012), "123456789012");
  EXPECT_EQ(FormatValue(-2), "-2");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(1.0 / 0.0), "+Inf");
  EXPECT_EQ(FormatValue(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(FormatValue(0.0 / 0.0), "NaN");
}

TEST(Registry, CollectorsRunBeforeEachRenderUntilDestroyed) {
  Registry registry;
  int runs = 0;
  auto collector = registry.AddCollector([&] {
    ++runs;
    registry.GetGauge("homeward_sessions", "Sessions").Set(runs * 10);
  });
  EXPECT_THAT(registry.Render(), HasSubstr("homeward_sessions 10\n"));
  EXPECT_THAT(registry.Render(), HasSubstr("homeward_sessions 20\n"));
  collector.reset();
  EXPECT_THAT(registry.Render(), HasSubstr("homeward_sessions 20\n"));  // kept, no longer set
  EXPECT_EQ(runs, 2);
}

TEST(Registry, ACounterAdvancedToATotalNeverGoesBack) {
  Counter c;
  c.AdvanceTo(5);
  c.AdvanceTo(3);
  EXPECT_EQ(c.value(), 5);
  c.Increment();
  EXPECT_EQ(c.value(), 6);
}

TEST(Registry, InstrumentsCountFromManyThreads) {
  Registry registry;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        registry.GetCounter("homeward_n_total", "n").Increment();
        registry.GetHistogram("homeward_h", "h", LatencyBuckets()).Observe(0.001);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(registry.Value("homeward_n_total"), 40000);
  EXPECT_EQ(registry.Value("homeward_h"), 40000);
}

TEST(Registry, AMisusedNameStopsTheProcess) {
  Registry registry;
  registry.GetCounter("homeward_c_total", "c");
  EXPECT_DEATH(registry.GetGauge("homeward_c_total", "c"), "is a counter, asked for as a gauge");
  EXPECT_DEATH(registry.GetCounter("homeward_c_total", "c", {{"rule", "x"}}), "other label names");
  EXPECT_DEATH(registry.GetCounter("2bad", "c"), "is not a metric name");
}

TEST(Discard, TakesEveryCallAndCollectsNothing) {
  Metrics& m = Discard();
  m.GetCounter("anything", "x", {{"a", "b"}}).Increment();
  m.GetGauge("anything_else", "x").Set(3);
  m.GetHistogram("h", "x", {1, 2}).Observe(1.5);
  bool ran = false;
  auto collector = m.AddCollector([&] { ran = true; });
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace homeward::metrics
