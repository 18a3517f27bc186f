// Webhook delivery to a real HTTP receiver (cpp-httplib) on loopback: a receiver that fails twice
// and then succeeds gets the alert exactly once, and a restarted aggregator does not send it again.
#include <httplib.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/codec/event_codec.h"
#include "common/kafka/kafka_producer.h"
#include "common/kafka/mock_cluster.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/alerts/rules_file.h"
#include "tests/testing/scratch.h"
#include "tests/testing/events.h"
#include "tests/testing/eventually.h"
#include "tests/testing/kafka_harness.h"
#include "tests/testing/secure_stack.h"

namespace homeward {
namespace {

using ::homeward::testing::Eventually;
using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;

// A duty team's system: answers 500 to the first `failures` POSTs, then 200.
class Receiver {
 public:
  explicit Receiver(int failures) : failures_left_(failures) {
    server_.Post("/alerts", [this](const httplib::Request& req, httplib::Response& res) {
      absl::MutexLock lock(&mu_);
      ++attempts_;
      if (failures_left_ > 0) {
        --failures_left_;
        res.status = 500;
        return;
      }
      ++accepted_[req.get_header_value("Homeward-Alert-Id")];
      bodies_.push_back(req.body);
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return absl::StrCat("http://127.0.0.1:", port_, "/alerts"); }
  int attempts() {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }
  std::map<std::string, int> accepted() {
    absl::MutexLock lock(&mu_);
    return accepted_;
  }
  std::vector<std::string> bodies() {
    absl::MutexLock lock(&mu_);
    return bodies_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  int failures_left_;
  int attempts_ = 0;
  std::map<std::string, int> accepted_;
  std::vector<std::string> bodies_;
};

TEST(Webhooks, AReceiverThatFailsTwiceThenSucceedsGetsTheAlertExactlyOnce) {
  testing::KafkaHarness harness;
  ASSERT_TRUE(harness.Start(1).ok());
  const kafka::KafkaConfig& kafka = harness.config();
  auto rules = aggregator::LoadRulesFile(std::string(HOMEWARD_SOURCE_DIR) + "/config/rules.json");
  ASSERT_TRUE(rules.ok());
  const std::string state = testing::ScratchPath("webhook-test", ".db");
  std::filesystem::remove(state);
  Receiver receiver(/*failures=*/2);
  FakeClock clock(At("2026-11-21T00:00:00Z"));
  const aggregator::AggregatorOptions options = testing::Secure(
      {.kafka = kafka,
       .store = {.path = state},
       .rules = *rules,
       .webhooks = {{.id = "duty-team", .url = receiver.url(), .filter = {.team = "missing-children-duty"}}},
       .listen_address = "127.0.0.1:0"});
  auto aggregator = aggregator::Aggregator::Start(options, clock);
  ASSERT_TRUE(aggregator.ok()) << aggregator.status();

  // A high-risk report: one alert for the duty team (its early-help notification goes elsewhere).
  const Event report = MakeEvent("police.wm", "MP-1", "report", 1, {.nhs_number = "9990009996"}, At("2026-11-20T20:00:00Z"),
                                 MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh});
  ASSERT_TRUE(harness.Publish({report}).ok());

  ASSERT_TRUE(Eventually([&] { return !receiver.accepted().empty(); }));
  absl::SleepFor(absl::Seconds(1));  // any repeat would have come by now
  EXPECT_EQ(receiver.attempts(), 3);
  EXPECT_THAT(receiver.accepted(), ::testing::ElementsAre(::testing::Pair("high-risk:police.wm/MP-1", 1)));
  EXPECT_THAT(receiver.bodies()[0], ::testing::HasSubstr("\"rule_id\":\"high-risk\""));
  EXPECT_EQ((*aggregator)->webhooks()->failed_attempts(), 2);
  // The delivery disclosed the child's alert to the subscriber: it is on the access log, once.
  auto disclosed = (*aggregator)->access_log().Query({.child_ids = {"nhs:9990009996"}});
  ASSERT_TRUE(disclosed.ok()) << disclosed.status();
  ASSERT_EQ(disclosed->size(), 1u);
  EXPECT_EQ((*disclosed)[0].subject, "webhook:duty-team");
  EXPECT_EQ((*disclosed)[0].method, "webhook");
  EXPECT_THAT((*disclosed)[0].detail, ::testing::HasSubstr("high-risk:police.wm/MP-1 delivered to http"));

  (*aggregator)->Shutdown();
  aggregator->reset();
  auto restarted = aggregator::Aggregator::Start(options, clock);
  ASSERT_TRUE(restarted.ok());
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(receiver.attempts(), 3) << "a restart delivered the alert again";
}

}  // namespace
}  // namespace homeward
