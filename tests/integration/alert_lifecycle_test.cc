// Alerts a duty team can trust (issue 12), end to end on the mock cluster: history loaded late
// raises nothing that was never true and withdraws what later records disprove; alerts follow
// the child when a coordinator links records; lists come in pages, sorted and filtered; a
// follower starts from now; a new alerts topic (a fresh embedded Kafka) loses nothing.
#include "homeward/v1/chronology_service.grpc.pb.h"
#include "tests/integration/alerts_fixture.h"

namespace homeward {
namespace {

using ::homeward::testing::AlertsTest;
using ::homeward::testing::At;
using ::homeward::testing::Child;
using ::homeward::testing::Eventually;
using ::homeward::testing::Found;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::Report;
using ::homeward::testing::TestNhsNumber;
using ::testing::Contains;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::Not;

class AlertLifecycleTest : public AlertsTest {
 protected:
  Event Rhi(const ChildRef& child, const std::string& record, InterviewOutcome outcome, absl::Time at,
            const std::string& episode) {
    return MakeEvent("rhi.cov", record, "outcome", 1, child, at,
                     ReturnInterview{.outcome = outcome, .reason = "as recorded", .episode_ref = episode});
  }
  // Moves the clock past the settling window of what has just arrived.
  void PastTheSettlingWindow() {
    SettleAlerts();
    clock_.Set(clock_.Now() + rules_.settle + absl::Seconds(1));
    SettleAlerts();
  }
  // The note of the alert's `kind` step ("" if it has none).
  static std::string NoteOf(const v1::Alert& alert, v1::AlertTransition::Kind kind) {
    std::string note;
    for (const auto& t : alert.history()) {
      if (t.kind() == kind) note = t.note();
    }
    return note;
  }
  std::vector<std::string> OpenRules(const std::string& child) {
    std::vector<std::string> rules;
    for (const auto& a : OpenAlerts(child)) rules.push_back(a.rule_id());
    return rules;
  }
};

// Issue 12: a three-hour episode from months ago, loaded as its report and then its found
// record a second later, raised long-missing ("still missing after 1919 h").
TEST_F(AlertLifecycleTest, AReportThenItsFoundRecordASecondLaterRaisesNoLongMissing) {
  Start();
  const ChildRef child = Child(TestNhsNumber(9101), 2009, Sex::kMale);
  const absl::Time start = At("2026-07-01T20:00:00Z");
  clock_.Set(At("2026-10-20T12:00:00Z"));
  Publish({Report("police.wm", "MP-1", child, start, RiskGrade::kMedium)});
  clock_.Set(clock_.Now() + absl::Seconds(1));
  Publish({Found("police.wm", "MP-1", child, start + absl::Hours(3))});
  PastTheSettlingWindow();
  EXPECT_THAT(Rules("nhs:" + TestNhsNumber(9101)), Not(Contains("long-missing")));
}

// The same story with its RHI in another export loaded later: rhi-overdue was raised (nothing
// showed an interview) and is withdrawn when the RHI shows it was done in time; what the duty
// team was sent, and when, stays on the record.
TEST_F(AlertLifecycleTest, AnRhiLoadedLaterWithdrawsTheRhiOverdueItDisproves) {
  Start();
  const ChildRef child = Child(TestNhsNumber(9102), 2009, Sex::kFemale);
  const absl::Time start = At("2026-07-01T20:00:00Z"), back = start + absl::Hours(3);
  clock_.Set(At("2026-10-20T12:00:00Z"));
  Publish({Report("police.wm", "MP-1", child, start, RiskGrade::kMedium), Found("police.wm", "MP-1", child, back)});
  PastTheSettlingWindow();
  ASSERT_TRUE(Raised("nhs:" + TestNhsNumber(9102), "rhi-overdue"));
  const v1::Alert sent = *AlertOf("nhs:" + TestNhsNumber(9102), "rhi-overdue");
  clock_.Set(clock_.Now() + absl::Hours(2));
  Publish({Rhi(child, "R-1", InterviewOutcome::kCompleted, back + absl::Hours(40), "MP-1")});
  ASSERT_TRUE(Eventually([&] { return AlertOf("nhs:" + TestNhsNumber(9102), "rhi-overdue")->state() == v1::ALERT_STATE_WITHDRAWN; }));
  const v1::Alert withdrawn = *AlertOf("nhs:" + TestNhsNumber(9102), "rhi-overdue");
  EXPECT_EQ(withdrawn.raised_at().seconds(), sent.raised_at().seconds());
  EXPECT_EQ(withdrawn.reason(), sent.reason());
  EXPECT_THAT(NoteOf(withdrawn, v1::AlertTransition::KIND_WITHDRAW), HasSubstr("within 72 h"));
  EXPECT_THAT(OpenRules("nhs:" + TestNhsNumber(9102)), Not(Contains("rhi-overdue")));
}

// Issue 12: loaded in natural order (report, found, RHI within 72 h) in one import, rhi-overdue
// stayed raised after the RHI arrived.
TEST_F(AlertLifecycleTest, AStoryLoadedInOneImportRaisesOnlyWhatIsTrue) {
  Start();
  const ChildRef child = Child(TestNhsNumber(9103), 2009, Sex::kFemale);
  const absl::Time start = At("2026-07-01T20:00:00Z"), back = start + absl::Hours(3);
  clock_.Set(At("2026-10-20T12:00:00Z"));
  Publish({Report("police.wm", "MP-1", child, start, RiskGrade::kMedium)});
  Publish({Found("police.wm", "MP-1", child, back)});
  Publish({Rhi(child, "R-1", InterviewOutcome::kDeclined, back + absl::Hours(30), "MP-1")});
  PastTheSettlingWindow();
  EXPECT_THAT(Rules("nhs:" + TestNhsNumber(9103)), Not(Contains("rhi-overdue")));
  EXPECT_THAT(Rules("nhs:" + TestNhsNumber(9103)), Not(Contains("long-missing")));
}

// Issue 12: after a coordinator linked two records, each record's alerts stayed as duplicates
// and one child showed under several ids.
TEST_F(AlertLifecycleTest, AlertsFollowTheChildWhenACoordinatorLinksItsRecords) {
  Start();
  const absl::Time start = At("2026-11-20T19:00:00Z");
  clock_.Set(start + absl::Hours(6));
  // A police record (NHS number) and a children's home record (LA id only) of one absence.
  const ChildRef police_child = Child(TestNhsNumber(9104), 2014, Sex::kMale);
  const ChildRef home_child{.la_child_id = "LA-9104", .local_authority = "coventry", .given_name = "T",
                            .family_name = "S", .date_of_birth = absl::CivilDay(2014, 6, 1), .sex = Sex::kMale};
  Publish({Report("police.wm", "MP-1", police_child, start, RiskGrade::kMedium),
           Found("police.wm", "MP-1", police_child, start + absl::Hours(4)),
           MakeEvent("home.oak", "OH-1", "absence", 1, home_child, start - absl::Minutes(20),
                     MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "MISSING"}),
           MakeEvent("home.oak", "OH-1", "return", 1, home_child, start + absl::Hours(4), FoundReturned{})});
  ASSERT_TRUE(Raised("nhs:" + TestNhsNumber(9104), "young-child"));
  ASSERT_TRUE(Raised("la:coventry/LA-9104", "young-child"));
  PastTheSettlingWindow();
  ASSERT_TRUE(Raised("nhs:" + TestNhsNumber(9104), "early-help"));  // the police record alone: not known to social care

  // A duty worker acknowledges the home's alert before anyone links the records.
  const v1::Alert home_alert = *AlertOf("la:coventry/LA-9104", "young-child");
  {
    grpc::ClientContext context;
    testing::AddCaller(context, testing::DutyToken(clock_.Now()), "test: duty response");
    v1::AlertActionRequest ack;
    ack.set_alert_id(home_alert.alert_id());
    v1::Alert acked;
    ASSERT_TRUE(stub_->AcknowledgeAlert(&context, ack, &acked).ok());
  }
  auto identity = v1::IdentityService::NewStub(testing::SecureChannel(aggregator_->port()));
  v1::DecideMatchRequest link;
  link.set_identifier_a("nhs:" + TestNhsNumber(9104));
  link.set_identifier_b("la:coventry/LA-9104");
  link.set_decision(v1::IdentityDecision::DECISION_LINK);
  link.set_reason("confirmed with the home");
  {
    grpc::ClientContext context;
    testing::AddCaller(context, testing::AdminToken(clock_.Now()), "test: identity decision");
    v1::DecideMatchResponse decided;
    const grpc::Status status = identity->DecideMatch(&context, link, &decided);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(decided.children_size(), 2);
  }
  ASSERT_TRUE(Eventually([&] {
    const std::vector<std::string> open = OpenRules("nhs:" + TestNhsNumber(9104));
    return std::count(open.begin(), open.end(), "young-child") == 1 &&
           std::count(open.begin(), open.end(), "early-help") == 0;
  })) << "still open: " << ::testing::PrintToString(OpenRules("nhs:" + TestNhsNumber(9104)));
  const std::string child_id = aggregator_->chronology().ResolveChild("nhs:" + TestNhsNumber(9104)).value().value();
  std::vector<std::string> children;
  for (const auto& a : Alerts("la:coventry/LA-9104")) children.push_back(a.child_id());
  EXPECT_THAT(children, Each(child_id)) << "one child, one id";
  for (const auto& a : Alerts("nhs:" + TestNhsNumber(9104))) {
    if (a.rule_id() == "young-child" && a.state() != v1::ALERT_STATE_CLOSED) {
      EXPECT_EQ(a.acknowledged_by(), "duty-1") << "the acknowledgement of the same occasion carries over";
    }
    if (a.rule_id() == "young-child" && a.state() == v1::ALERT_STATE_CLOSED) {
      EXPECT_FALSE(a.merged_into().empty());
    }
    if (a.rule_id() == "early-help") {
      EXPECT_EQ(a.state(), v1::ALERT_STATE_WITHDRAWN);
      EXPECT_THAT(NoteOf(a, v1::AlertTransition::KIND_WITHDRAW), HasSubstr("known to children's social care"));
    }
  }
  // The profile shows every open alert of the child, whichever record raised it.
  auto chronology = v1::ChronologyService::NewStub(testing::SecureChannel(aggregator_->port()));
  grpc::ClientContext profile_context;
  testing::AddCaller(profile_context, testing::CoordinatorToken(clock_.Now()), "test: profile");
  v1::GetChildProfileRequest ask;
  ask.set_child("la:coventry/LA-9104");
  v1::ChildProfile profile;
  ASSERT_TRUE(chronology->GetChildProfile(&profile_context, ask, &profile).ok());
  EXPECT_EQ(profile.open_alerts_size() + profile.more_open_alerts(), static_cast<int>(OpenAlerts("nhs:" + TestNhsNumber(9104)).size()));
  // Linking again records nothing, and says so.
  grpc::ClientContext again_context;
  testing::AddCaller(again_context, testing::AdminToken(clock_.Now()), "test: identity decision");
  v1::DecideMatchResponse again;
  const grpc::Status status = identity->DecideMatch(&again_context, link, &again);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(status.error_message(), HasSubstr("already one child"));
}

// Issue 12: `alerts --open` failed after a large import (a 128 MB reply). Every list is paged,
// sorted by severity then time, and filtered.
TEST_F(AlertLifecycleTest, ListsComeInPagesMostUrgentFirst) {
  Start();
  const absl::Time start = At("2026-11-20T19:00:00Z");
  clock_.Set(start + absl::Hours(1));
  std::vector<Event> events;
  for (int i = 0; i < 60; ++i) {  // young, high risk, first episode: three alerts each
    events.push_back(Report("police.wm", absl::StrCat("MP-", i), Child(TestNhsNumber(92100 + i), 2014, Sex::kMale),
                            start + absl::Seconds(i), RiskGrade::kHigh));
  }
  Publish(events);
  PastTheSettlingWindow();
  ASSERT_TRUE(Eventually([&] { return Page({}).total() >= 180; }));
  v1::ListAlertsRequest request;
  request.set_page_size(50);
  std::vector<v1::Alert> all;
  int pages = 0;
  do {
    const v1::ListAlertsResponse page = Page(request);
    EXPECT_EQ(page.total(), 180);
    EXPECT_LE(page.alerts_size(), 50);
    all.insert(all.end(), page.alerts().begin(), page.alerts().end());
    request.set_page_token(page.next_page_token());
    ++pages;
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 4);
  ASSERT_EQ(all.size(), 180u);
  std::set<std::string> ids;
  for (const auto& a : all) ids.insert(a.alert_id());
  EXPECT_EQ(ids.size(), 180u) << "an alert on two pages";
  for (size_t i = 1; i < all.size(); ++i) {
    const int before = aggregator::SeverityRank(all[i - 1].severity()), after = aggregator::SeverityRank(all[i].severity());
    EXPECT_LE(before, after) << "not sorted by severity at " << i;
    if (before == after) {
      EXPECT_GE(all[i - 1].raised_at().seconds(), all[i].raised_at().seconds());
    }
  }
  v1::ListAlertsRequest filtered;
  filtered.add_rule_ids("early-help");
  EXPECT_EQ(Page(filtered).total(), 60);
  filtered.Clear();
  filtered.add_severities("strategy meeting");
  EXPECT_EQ(Page(filtered).total(), 120);
  filtered.Clear();
  filtered.set_team("early-help");
  EXPECT_EQ(Page(filtered).total(), 60);
  filtered.Clear();
  filtered.add_states(v1::ALERT_STATE_WITHDRAWN);
  EXPECT_EQ(Page(filtered).total(), 0);
  filtered.Clear();
  filtered.set_page_size(501);
  grpc::ClientContext context;
  testing::AddCaller(context, testing::CoordinatorToken(clock_.Now()), "test: alerts for coventry");
  v1::ListAlertsResponse refused;
  EXPECT_EQ(stub_->ListAlerts(&context, filtered, &refused).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// Issue 12: `alerts --follow` replayed every alert from the beginning on each start.
TEST_F(AlertLifecycleTest, AFollowerStartsFromTheListsFeedCursor) {
  Start();
  clock_.Set(At("2026-11-21T00:00:00Z"));
  Publish({Report("police.wm", "MP-1", Child(TestNhsNumber(9301), 2013, Sex::kMale), At("2026-11-20T20:00:00Z"), RiskGrade::kHigh)});
  ASSERT_TRUE(Raised("nhs:" + TestNhsNumber(9301), "high-risk"));
  SettleAlerts();
  const std::string now = Page({}).feed_cursor();
  ASSERT_FALSE(now.empty());
  Publish({Report("police.wm", "MP-2", Child(TestNhsNumber(9302), 2013, Sex::kMale), At("2026-11-20T21:00:00Z"), RiskGrade::kHigh)});
  ASSERT_TRUE(Raised("nhs:" + TestNhsNumber(9302), "high-risk"));
  grpc::ClientContext context;
  testing::AddCaller(context, testing::CoordinatorToken(clock_.Now()), "test: alerts for coventry");
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(3)));
  v1::StreamAlertsRequest request;
  request.set_cursor(now);
  auto reader = stub_->StreamAlerts(&context, request);
  std::vector<std::string> children;
  v1::AlertUpdate update;
  while (reader->Read(&update)) children.push_back(update.alert().child_id());
  ASSERT_FALSE(children.empty());
  EXPECT_THAT(children, Not(Contains(aggregator_->chronology().ResolveChild("nhs:" + TestNhsNumber(9301)).value().value())));
}

// With the embedded Kafka every start is a new, empty alerts topic whose positions begin at 0
// again: its records were ignored as already stored, and an old cursor hid new alerts.
TEST_F(AlertLifecycleTest, ANewAlertsTopicLosesNothingAndHidesNothing) {
  Start();
  clock_.Set(At("2026-11-21T00:00:00Z"));
  Publish({Report("police.wm", "MP-1", Child(TestNhsNumber(9401), 2013, Sex::kMale), At("2026-11-20T20:00:00Z"), RiskGrade::kHigh)});
  ASSERT_TRUE(Raised("nhs:" + TestNhsNumber(9401), "high-risk"));
  SettleAlerts();
  const std::string before = Page({}).feed_cursor();
  const size_t held = Alerts().size();
  Stop();
  ASSERT_TRUE(kafka_.Start(1).ok());  // a fresh, empty cluster
  published_ = 0;
  Start();
  Publish({Report("police.wm", "MP-2", Child(TestNhsNumber(9402), 2013, Sex::kMale), At("2026-11-20T21:00:00Z"), RiskGrade::kHigh)});
  ASSERT_TRUE(Raised("nhs:" + TestNhsNumber(9402), "high-risk"));
  SettleAlerts();
  EXPECT_GT(Alerts().size(), held);
  {  // the old cursor resumes with the new topic's alerts
    grpc::ClientContext context;
    testing::AddCaller(context, testing::CoordinatorToken(clock_.Now()), "test: alerts for coventry");
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(3)));
    v1::StreamAlertsRequest request;
    request.set_cursor(before);
    auto reader = stub_->StreamAlerts(&context, request);
    std::set<std::string> rules;
    v1::AlertUpdate update;
    while (reader->Read(&update)) rules.insert(update.alert().alert_id());
    EXPECT_THAT(rules, Contains("high-risk:police.wm/MP-2"));
    EXPECT_THAT(rules, Not(Contains("high-risk:police.wm/MP-1")));
  }
  const size_t now_held = Alerts().size();
  Stop();
  Start();  // the same cluster: everything replayed from the store, the new topic's too
  SettleAlerts();
  EXPECT_EQ(Alerts().size(), now_held);
  EXPECT_TRUE(AlertOf("nhs:" + TestNhsNumber(9402), "high-risk").has_value());
}

}  // namespace
}  // namespace homeward
