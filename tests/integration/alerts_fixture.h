// File: alerts_fixture.h
//
// The alert tests' stack: the mock cluster, an aggregator with the shipped rules on a fake
// clock, and the alert service over mutual TLS, as a coordinator of Coventry calls it.
#ifndef HOMEWARD_TESTS_INTEGRATION_ALERTS_FIXTURE_H_
#define HOMEWARD_TESTS_INTEGRATION_ALERTS_FIXTURE_H_

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/kafka/kafka_producer.h"
#include "common/kafka/mock_cluster.h"
#include "homeward/v1/alert_service.grpc.pb.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/alerts/rules_file.h"
#include "tests/testing/scratch.h"
#include "tests/testing/events.h"
#include "tests/testing/eventually.h"
#include "tests/testing/kafka_harness.h"
#include "tests/testing/secure_stack.h"

namespace homeward::testing {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;

inline ChildRef Child(const std::string& nhs, int born_year, Sex sex) {
  return {.nhs_number = nhs, .given_name = "T", .family_name = "S", .date_of_birth = absl::CivilDay(born_year, 6, 1),
          .sex = sex};
}

inline Event Report(const std::string& agency, const std::string& record, const ChildRef& child, absl::Time at,
             RiskGrade grade, AbsenceCategory category = AbsenceCategory::kMissing) {
  return MakeEvent(agency, record, "report", 1, child, at,
                   MissingReported{.category = category, .category_as_recorded = "as recorded", .risk_grade = grade});
}
inline Event Found(const std::string& agency, const std::string& record, const ChildRef& child, absl::Time at) {
  return MakeEvent(agency, record, "found", 1, child, at, FoundReturned{});
}

class AlertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(kafka_.Start(1).ok());
    auto rules = aggregator::LoadRulesFile(std::string(HOMEWARD_SOURCE_DIR) + "/config/rules.json");
    ASSERT_TRUE(rules.ok()) << rules.status();
    rules_ = *rules;
    state_ = testing::ScratchPath("alerts", ".db");
    std::filesystem::remove(state_);
  }
  void TearDown() override {
    if (aggregator_ != nullptr) Stop();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(state_ + suffix);
  }

  // `scheduler`: runs the aggregator's timer (null: its own thread, every 20 ms).
  void Start(Scheduler* scheduler = nullptr) {
    auto a = aggregator::Aggregator::Start(testing::Secure({.kafka = kafka_.config(),
                                                            .store = {.path = state_},
                                                            .rules = rules_,
                                                            .tick_interval = absl::Milliseconds(20),
                                                            .scheduler = scheduler,
                                                            .listen_address = "127.0.0.1:0"}),
                                           clock_);
    ASSERT_TRUE(a.ok()) << a.status();
    aggregator_ = *std::move(a);
    stub_ = v1::AlertService::NewStub(testing::SecureChannel(aggregator_->port()));
  }
  void Stop() {
    aggregator_->Shutdown();
    aggregator_.reset();
  }

  void Publish(const std::vector<Event>& events) {
    ASSERT_TRUE(kafka_.Publish(events).ok());
    const int64_t expected = published_ += static_cast<int64_t>(events.size());
    ASSERT_TRUE(Eventually([&] { return aggregator_->chronology().event_count() >= static_cast<size_t>(expected); }));
  }

  // One page, as a coordinator of Coventry asks for it.
  v1::ListAlertsResponse Page(const v1::ListAlertsRequest& request) {
    grpc::ClientContext context;
    testing::AddCaller(context, testing::CoordinatorToken(clock_.Now()), "test: alerts for coventry");
    v1::ListAlertsResponse response;
    const grpc::Status status = stub_->ListAlerts(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  // Every alert matching `request`, through all its pages.
  std::vector<v1::Alert> AllPages(v1::ListAlertsRequest request) {
    std::vector<v1::Alert> all;
    do {
      v1::ListAlertsResponse page = Page(request);
      all.insert(all.end(), page.alerts().begin(), page.alerts().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return all;
  }
  std::vector<v1::Alert> Alerts(const std::string& child = "") {
    v1::ListAlertsRequest request;
    request.set_child(child);
    return AllPages(request);
  }
  // The child's alerts a duty team still has to act on.
  std::vector<v1::Alert> OpenAlerts(const std::string& child) {
    v1::ListAlertsRequest request;
    request.set_child(child);
    request.set_open_only(true);
    return AllPages(request);
  }
  std::optional<v1::Alert> AlertOf(const std::string& child, const std::string& rule) {
    for (const auto& a : Alerts(child)) {
      if (a.rule_id() == rule) return a;
    }
    return std::nullopt;
  }
  std::vector<std::string> Rules(const std::string& child) {
    std::vector<std::string> ids;
    for (const auto& a : Alerts(child)) ids.push_back(a.rule_id());
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  // Waits until `rule` has an alert for `child`.
  bool Raised(const std::string& child, const std::string& rule) {
    return Eventually([&] {
      const auto ids = Rules(child);
      return std::find(ids.begin(), ids.end(), rule) != ids.end();
    });
  }
  void SettleAlerts() { absl::SleepFor(absl::Milliseconds(300)); }  // anything more would have arrived

  FakeClock clock_{At("2026-08-01T00:00:00Z")};
  testing::KafkaHarness kafka_;
  aggregator::RuleSet rules_;
  std::string state_;
  int64_t published_ = 0;
  std::unique_ptr<aggregator::Aggregator> aggregator_;
  std::unique_ptr<v1::AlertService::Stub> stub_;
};

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_INTEGRATION_ALERTS_FIXTURE_H_
