// File: security_fixture.h
//
// The locked-down aggregator on the mock cluster that the security tests (security_test.cc,
// trust_test.cc) call as its real callers do: mutual TLS, people's tokens, purposes. Two
// children: one of Coventry's, one that Warwickshire's own social care says is theirs.
#ifndef HOMEWARD_TESTS_INTEGRATION_SECURITY_FIXTURE_H_
#define HOMEWARD_TESTS_INTEGRATION_SECURITY_FIXTURE_H_

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "homeward/v1/account_service.grpc.pb.h"
#include "homeward/v1/alert_service.grpc.pb.h"
#include "homeward/v1/audit_service.grpc.pb.h"
#include "homeward/v1/chronology_service.grpc.pb.h"
#include "homeward/v1/report_service.grpc.pb.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/alerts/rules_file.h"
#include "tests/testing/scratch.h"
#include "tests/testing/alert_pages.h"
#include "tests/testing/events.h"
#include "tests/testing/eventually.h"
#include "tests/testing/kafka_harness.h"
#include "tests/testing/secure_stack.h"

namespace homeward::testing {

using Code = grpc::StatusCode;

inline const ChildRef kCoventryChild{.nhs_number = "9990000107", .given_name = "Ash", .family_name = "Testchild"};
inline const ChildRef kWarwickshireChild{.la_child_id = "W-1", .local_authority = "warwickshire",
                                         .nhs_number = "9990000204"};

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(kafka_.Start(1).ok());
    auto rules = aggregator::LoadRulesFile(std::string(HOMEWARD_SOURCE_DIR) + "/config/rules.json");
    ASSERT_TRUE(rules.ok()) << rules.status();
    rules_ = *rules;
    dir_ = testing::ScratchPath("security");
    std::filesystem::remove_all(dir_);
    Start();
    const absl::Time t = At("2026-11-20T20:00:00Z");
    Publish({MakeEvent("police.test", "MP-1", "report", 1, kCoventryChild, t,
                       MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh}),
             MakeEvent("rhi.test", "RHI-1", "interview", 1, kCoventryChild, t + absl::Hours(30),
                       ReturnInterview{.outcome = InterviewOutcome::kCompleted,
                                       .childs_own_words = "I went to my cousin's"}),
             MakeEvent("health.test", "ED-1", "note", 1, kCoventryChild, t + absl::Hours(40),
                       ChronologyNote{.kind = "unscheduled-care", .summary = "treated for a cut hand"}),
             MakeEvent("police.test", "MP-2", "report", 1, kWarwickshireChild, t,
                       MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kLow}),
             // Warwickshire's own social care says the child is theirs (the police record alone
             // could not).
             MakeEvent("lcs.warwickshire", "PL-W1", "placement", 1, kWarwickshireChild, t - absl::Hours(24 * 30),
                       PlacementChanged{.looked_after = true, .placing_authority = "warwickshire"})});
    // The health and RHI events come from agencies of those kinds. Past the settling window of
    // their arrival, every alert these records call for is raised (early-help waits for it).
    clock_.Set(clock_.Now() + rules_.settle + absl::Seconds(1));
    ASSERT_TRUE(Eventually([&] { return !testing::AllAlerts(aggregator_->alerts(), {.team = "early-help"}).empty(); }));
  }
  void TearDown() override {
    aggregator_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Start() {
    auto options = testing::Secure({.kafka = kafka_.config(),
                                    .store = {.path = dir_ + "/aggregator.db"},
                                    .rules = rules_,
                                    .tick_interval = absl::Milliseconds(50),
                                    .listen_address = "127.0.0.1:0"});
    options.access_log_path = dir_ + "/access-log.db";
    options.retention = retention_;
    auto a = aggregator::Aggregator::Start(options, clock_);
    ASSERT_TRUE(a.ok()) << a.status();
    aggregator_ = *std::move(a);
    channel_ = testing::SecureChannel(aggregator_->port());
  }
  void Stop() {
    aggregator_->Shutdown();
    aggregator_.reset();
  }

  void Publish(std::vector<Event> events) {
    for (Event& e : events) {
      if (e.agency_id == "rhi.test") e.agency_kind = AgencyKind::kRhiProvider;
      if (e.agency_id == "health.test") e.agency_kind = AgencyKind::kHealth;
    }
    const size_t before = aggregator_->stats().consumed;
    ASSERT_TRUE(kafka_.Publish(events).ok());
    ASSERT_TRUE(Eventually([&] { return aggregator_->stats().consumed >= before + events.size(); }));
  }

  // Calls `rpc` as the holder of `token` (none: "") through the CLI's certificate.
  template <typename Rpc>
  grpc::Status As(const std::string& token, Rpc rpc, const std::string& purpose = "test: safeguarding check") {
    grpc::ClientContext context;
    testing::AddCaller(context, token, purpose);
    return rpc(context);
  }

  grpc::Status Chronology(const std::string& token, const std::string& child, v1::GetChronologyResponse* out = nullptr) {
    v1::GetChronologyResponse ignored;
    v1::GetChronologyRequest request;
    request.set_child(child);
    return As(token, [&](grpc::ClientContext& c) {
      return v1::ChronologyService::NewStub(channel_)->GetChronology(&c, request, out ? out : &ignored);
    });
  }
  grpc::Status Alerts(const std::string& token, const std::string& team, v1::ListAlertsResponse* out) {
    v1::ListAlertsRequest request;
    request.set_team(team);
    return As(token, [&](grpc::ClientContext& c) { return v1::AlertService::NewStub(channel_)->ListAlerts(&c, request, out); });
  }
  grpc::Status Access(const std::string& token, const std::string& child, v1::ListAccessResponse* out) {
    v1::ListAccessRequest request;
    request.set_child(child);
    return As(token, [&](grpc::ClientContext& c) { return v1::AuditService::NewStub(channel_)->ListAccess(&c, request, out); });
  }
  v1::VerifyAccessLogResponse Verify() {
    v1::VerifyAccessLogResponse response;
    EXPECT_TRUE(As(testing::AuditorToken(clock_.Now()), [&](grpc::ClientContext& c) {
                  return v1::AuditService::NewStub(channel_)->VerifyAccessLog(&c, {}, &response);
                }).ok());
    return response;
  }

  std::string coordinator() { return testing::CoordinatorToken(clock_.Now()); }
  std::string duty() { return testing::DutyToken(clock_.Now()); }
  std::string auditor() { return testing::AuditorToken(clock_.Now()); }
  std::string admin() { return testing::AdminToken(clock_.Now()); }

  FakeClock clock_{At("2026-11-23T00:00:00Z")};
  testing::KafkaHarness kafka_;
  aggregator::RuleSet rules_;
  std::string dir_;
  absl::Duration retention_ = absl::ZeroDuration();
  std::unique_ptr<aggregator::Aggregator> aggregator_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_INTEGRATION_SECURITY_FIXTURE_H_
