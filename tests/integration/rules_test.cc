// Issue 16, point 1, through Kafka and gRPC: what-if over the hub's log, and the rules history.
#include "absl/strings/match.h"
#include "common/codec/event_codec.h"
#include "homeward/v1/rules_service.grpc.pb.h"
#include "tests/integration/security_fixture.h"

namespace homeward::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class RulesServiceTest : public SecurityTest {
 protected:
  // Two more children with two low-graded episodes each (under the shipped 3 in 90 days, no
  // strategy meeting): one of Coventry's (police records only), and Warwickshire's child.
  void SetUp() override {
    SecurityTest::SetUp();
    if (HasFatalFailure()) return;
    const ChildRef coventry2{.nhs_number = TestNhsNumber(301)};
    std::vector<Event> events;
    const auto episode = [&](const ChildRef& child, const std::string& record, absl::Time start) {
      events.push_back(MakeEvent("police.test", record, "report", 1, child, start,
                                 MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kLow}));
      events.push_back(MakeEvent("police.test", record, "found", 1, child, start + absl::Hours(2), FoundReturned{}));
    };
    episode(coventry2, "MP-11", At("2026-10-01T20:00:00Z"));
    episode(coventry2, "MP-12", At("2026-11-01T20:00:00Z"));
    episode(kWarwickshireChild, "MP-13", At("2026-11-05T20:00:00Z"));
    // Found two hours after the fixture's report: not long missing.
    events.push_back(MakeEvent("police.test", "MP-2", "found", 1, kWarwickshireChild, At("2026-11-20T22:00:00Z"),
                               FoundReturned{}));
    Publish(events);
    coventry2_ = aggregator_->chronology().ResolveChild("nhs:" + TestNhsNumber(301)).value().value();
  }

  grpc::Status WhatIf(const std::string& token, const std::string& proposed, v1::WhatIfResponse* out,
                      const std::string& purpose = "test: reviewing thresholds") {
    v1::WhatIfRequest request;
    request.set_proposed_rules(proposed);
    request.mutable_from()->set_year(2026);
    request.mutable_from()->set_month(1);
    request.mutable_from()->set_day(1);
    request.mutable_to()->set_year(2026);
    request.mutable_to()->set_month(12);
    request.mutable_to()->set_day(31);
    return As(token, [&](grpc::ClientContext& c) { return v1::RulesService::NewStub(channel_)->WhatIf(&c, request, out); },
              purpose);
  }
  grpc::Status History(v1::GetRulesHistoryResponse* out) {
    return As(coordinator(), [&](grpc::ClientContext& c) {
      return v1::RulesService::NewStub(channel_)->GetRulesHistory(&c, {}, out);
    });
  }
  // The shipped rules with repeat-missing at `count` episodes (version 2).
  aggregator::RuleSet RepeatAt(int count, int version = 2) {
    aggregator::RuleSet set = rules_;
    for (aggregator::RuleConfig& r : set.rules) {
      if (r.id == "repeat-missing") {
        r.version = version;
        r.params["count"] = count;
      }
    }
    return set;
  }
  static const v1::RuleOutcome& Row(const v1::WhatIfResponse& r, const std::string& id) {
    for (const v1::RuleOutcome& o : r.rules()) {
      if (o.rule_id() == id) return o;
    }
    std::abort();
  }

  std::string coventry2_;
};

TEST_F(RulesServiceTest, WhatIfComparesAProposalWithTheRulesInForceAndNamesOnlyTheCoordinatorsChildren) {
  const size_t alerts_before = AllAlerts(aggregator_->alerts()).size();
  const size_t consumed_before = aggregator_->stats().consumed;

  v1::WhatIfResponse r;
  ASSERT_TRUE(WhatIf(coordinator(), aggregator::FormatRulesFile(RepeatAt(2)), &r).ok());
  EXPECT_EQ(r.events_replayed(), 12);  // the fixture's five and these seven
  ASSERT_EQ(r.changes_size(), 2);
  EXPECT_EQ(r.changes(1).change(), "count 3 -> 2");
  const v1::RuleOutcome& repeat = Row(r, "repeat-missing");
  EXPECT_EQ(repeat.alerts_in_force(), 0);
  EXPECT_EQ(repeat.alerts_proposed(), 2);
  EXPECT_EQ(repeat.children_proposed(), 2);
  // The Coventry child with a high-risk episode has a strategy meeting under both; the two
  // children with two low-graded episodes each only under the proposal.
  EXPECT_EQ(r.meeting_children_in_force(), 1);
  EXPECT_EQ(r.meeting_children_proposed(), 3);
  EXPECT_EQ(r.meeting_only_in_force_count(), 0);
  EXPECT_EQ(r.meeting_only_proposed_count(), 2);
  // The coordinator of Coventry, with a purpose, is told which of Coventry's children; not
  // Warwickshire's.
  ASSERT_EQ(r.meeting_only_proposed_size(), 1);
  EXPECT_EQ(r.meeting_only_proposed(0).child_id(), coventry2_);
  EXPECT_EQ(r.meeting_only_proposed(0).rule_id(), "repeat-missing");
  EXPECT_THAT(r.not_named_because(), HasSubstr("1 child(ren) not named"));

  // Nothing was published, raised or applied.
  EXPECT_EQ(AllAlerts(aggregator_->alerts()).size(), alerts_before);
  EXPECT_EQ(aggregator_->stats().consumed, consumed_before);

  // A report viewer gets the same counts and no child.
  const std::string viewer = TokenFor(access::Role::kReportViewer, "analyst-1", clock_.Now(), "");
  v1::WhatIfResponse aggregate;
  ASSERT_TRUE(WhatIf(viewer, aggregator::FormatRulesFile(RepeatAt(2)), &aggregate, "").ok());
  EXPECT_EQ(aggregate.meeting_only_proposed_count(), 2);
  EXPECT_THAT(aggregate.meeting_only_proposed(), IsEmpty());
  EXPECT_THAT(aggregate.DebugString(), Not(HasSubstr(coventry2_)));
  // So does a coordinator who gives no purpose.
  v1::WhatIfResponse no_purpose;
  ASSERT_TRUE(WhatIf(coordinator(), aggregator::FormatRulesFile(RepeatAt(2)), &no_purpose, "").ok());
  EXPECT_THAT(no_purpose.meeting_only_proposed(), IsEmpty());
  EXPECT_THAT(no_purpose.not_named_because(), HasSubstr("purpose"));

  // A duty team may not; a proposal that is not a rules file is refused with the field named.
  EXPECT_EQ(WhatIf(duty(), aggregator::FormatRulesFile(RepeatAt(2)), &r).error_code(), Code::PERMISSION_DENIED);
  const grpc::Status bad = WhatIf(coordinator(), aggregator::FormatRulesFile(RepeatAt(0)), &r);
  EXPECT_EQ(bad.error_code(), Code::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("proposed rules: rules[0] (repeat-missing): params.count"));

  // Each run is on the access log, with the children it named.
  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "", &log).ok());
  int runs = 0;
  bool named_logged = false;
  for (const auto& e : log.entries()) {
    if (e.method() != "WhatIf") continue;
    ++runs;
    named_logged |= e.subject() == "cw-1" && absl::StrContains(e.detail(), absl::StrCat("named 1 child(ren): ", coventry2_));
  }
  EXPECT_EQ(runs, 5);
  EXPECT_TRUE(named_logged);
}

TEST_F(RulesServiceTest, TheRulesHistoryKeepsEachRuleSetAndRefusesAnUnversionedChange) {
  v1::GetRulesHistoryResponse history;
  ASSERT_TRUE(History(&history).ok());
  ASSERT_EQ(history.revisions_size(), 1);
  EXPECT_EQ(history.revisions(0).changes(0).change(), "added (version 1)");

  // The partnership adopts 2 in 90 days: a new version, a new revision, and alerts of version 2.
  Stop();
  rules_ = RepeatAt(2);
  Start();
  ASSERT_TRUE(History(&history).ok());
  ASSERT_EQ(history.revisions_size(), 2);
  std::vector<std::string> changes;
  for (const v1::RuleChange& c : history.revisions(1).changes()) changes.push_back(c.rule_id() + ": " + c.change());
  EXPECT_THAT(changes, ElementsAre("repeat-missing: version 1 -> 2", "repeat-missing: count 3 -> 2"));
  ASSERT_TRUE(Eventually([&] {
    return !AllAlerts(aggregator_->alerts(), {.child_ids = {coventry2_}, .rule_ids = {"repeat-missing"}}).empty();
  }));
  EXPECT_EQ(AllAlerts(aggregator_->alerts(), {.child_ids = {coventry2_}, .rule_ids = {"repeat-missing"}})[0].rule_version, 2);

  // The same again (a restart) is no new revision.
  Stop();
  Start();
  ASSERT_TRUE(History(&history).ok());
  EXPECT_EQ(history.revisions_size(), 2);

  // A threshold changed under the same version is refused at start.
  Stop();
  auto options = Secure({.kafka = kafka_.config(), .store = {.path = dir_ + "/aggregator.db"}, .rules = RepeatAt(4),
                         .listen_address = "127.0.0.1:0"});
  options.access_log_path = dir_ + "/access-log.db";
  auto refused = aggregator::Aggregator::Start(options, clock_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("repeat-missing: count 2 -> 4 but the version is still 2"));
  Start();  // the rules of revision 2 still start
}

}  // namespace
}  // namespace homeward::testing

namespace homeward::testing {
namespace {

// Issue 16, point 3, through Kafka and gRPC: an interview's findings become a planning task for
// the child's allocated team; it escalates when overdue; social care's plan update marks it done.
TEST_F(SecurityTest, InterviewFindingsBecomeAPlanningTaskForTheAllocatedTeam) {
  const absl::Time interviewed = At("2026-11-22T10:00:00Z");  // a Sunday: due the next Friday
  Publish({MakeEvent("lcs.cov", "PL-7", "placement", 1, kCoventryChild, At("2026-09-01T09:00:00Z"),
                     PlacementChanged{.placing_authority = "coventry", .allocated_team = "cs-north", .social_care_open = true}),
           MakeEvent("rhi.test", "RHI-7", "interview", 1, kCoventryChild, interviewed,
                     ReturnInterview{.outcome = InterviewOutcome::kCompleted,
                                     .pull_factors = {"older friends at the station"},
                                     .childs_own_words = "they give me things"})});
  std::string worker = TokenFor(access::Role::kDutyTeam, "sw-north", clock_.Now(), "coventry", "cs-north");
  v1::ListAlertsResponse tasks;
  ASSERT_TRUE(Eventually([&] {
    return Alerts(worker, "cs-north", &tasks).ok() && tasks.alerts_size() == 1;
  })) << tasks.DebugString();
  const v1::Alert& task = tasks.alerts(0);
  EXPECT_EQ(task.rule_id(), "rhi-findings");
  EXPECT_EQ(task.severity(), "planning task");
  EXPECT_EQ(FromProtoTime(task.due_at()), At("2026-11-27T10:00:00Z"));
  EXPECT_THAT(task.reason(), HasSubstr("pull factors: older friends at the station"));
  EXPECT_THAT(task.reason(), HasSubstr("they give me things"));
  EXPECT_FALSE(task.escalated());

  // Not done by Friday: escalated, with the reason.
  clock_.Set(At("2026-11-27T10:00:01Z"));
  worker = TokenFor(access::Role::kDutyTeam, "sw-north", clock_.Now(), "coventry", "cs-north");  // a new day's token
  ASSERT_TRUE(Eventually([&] {
    return Alerts(worker, "cs-north", &tasks).ok() && tasks.alerts_size() == 1 && tasks.alerts(0).escalated();
  })) << tasks.DebugString();
  // The next day social care records the plan update: done, late.
  clock_.Set(At("2026-11-28T12:00:00Z"));
  worker = TokenFor(access::Role::kDutyTeam, "sw-north", clock_.Now(), "coventry", "cs-north");
  Publish({MakeEvent("lcs.cov", "N-7", "note", 1, kCoventryChild, At("2026-11-28T09:00:00Z"),
                     ChronologyNote{.kind = "plan-updated", .summary = "RHI findings in the care plan"})});
  ASSERT_TRUE(Eventually([&] {
    return Alerts(worker, "cs-north", &tasks).ok() && tasks.alerts_size() == 1 &&
           tasks.alerts(0).state() == v1::ALERT_STATE_ACTIONED;
  })) << tasks.DebugString();
  const auto& history = tasks.alerts(0).history();
  ASSERT_FALSE(history.empty());
  EXPECT_THAT(history.rbegin()->note(), HasSubstr("recorded in the plan"));
  EXPECT_THAT(history.rbegin()->note(), HasSubstr("late"));
}

}  // namespace
}  // namespace homeward::testing
