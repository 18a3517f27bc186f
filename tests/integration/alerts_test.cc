// Scenarios S1-S5 (../shared/domain/rules-and-scenarios.md) end to end: events published to the
// mock cluster, the aggregator's rules on a fake clock, alerts read over gRPC. Also: the duty
// team's stream resumes from a cursor with no gap, and a timer open across a restart fires once.
#include <thread>

#include "tests/integration/alerts_fixture.h"
#include "tests/testing/manual_scheduler.h"

namespace homeward {
namespace {

using ::homeward::testing::AlertsTest;
using ::homeward::testing::At;
using ::homeward::testing::Child;
using ::homeward::testing::Eventually;
using ::homeward::testing::Found;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::Report;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

TEST_F(AlertsTest, S1RepeatAndNormalisedWhenTheDay39EpisodeIsReported) {
  Start();
  const ChildRef boy = Child("9990009015", 2011, Sex::kMale);
  const absl::Time d0 = At("2026-08-01T20:00:00Z");
  clock_.Set(d0 + absl::Hours(24 * 39 + 5));
  Publish({Report("police.wm", "MP-1", boy, d0, RiskGrade::kLow), Found("police.wm", "MP-1", boy, d0 + absl::Hours(5)),
           Report("police.wm", "MP-2", boy, d0 + absl::Hours(24 * 17), RiskGrade::kLow),
           Found("police.wm", "MP-2", boy, d0 + absl::Hours(24 * 17 + 6)),
           Report("police.wm", "MP-3", boy, d0 + absl::Hours(24 * 39), RiskGrade::kLow),
           Found("police.wm", "MP-3", boy, d0 + absl::Hours(24 * 39 + 4))});
  ASSERT_TRUE(Raised("nhs:9990009015", "repeat-missing"));
  ASSERT_TRUE(Raised("nhs:9990009015", "normalised-risk"));
  SettleAlerts();
  EXPECT_THAT(Rules("nhs:9990009015"), Not(Contains("long-missing")));
  for (const auto& a : Alerts("nhs:9990009015")) {
    if (a.rule_id() == "repeat-missing") {
      EXPECT_EQ(a.alert_id(), "repeat-missing:police.wm/MP-3");
      EXPECT_EQ(a.rule_version(), 1);
      EXPECT_EQ(a.cause_event_ids_size(), 6);
      EXPECT_EQ(a.team(), "missing-children-duty");
      EXPECT_THAT(a.recommended_action(), ::testing::HasSubstr("Trigger Plan"));
    }
  }
}

TEST_F(AlertsTest, S2YoungChildAndEarlyHelpNoRhiOverdue) {
  Start();
  const ChildRef girl = Child("9990009023", 2014, Sex::kFemale);
  const absl::Time start = At("2026-10-14T16:00:00Z"), found = start + absl::Hours(5);
  clock_.Set(start + absl::Minutes(31));
  Publish({Report("police.wm", "MP-1", girl, start, RiskGrade::kMedium)});
  ASSERT_TRUE(Raised("nhs:9990009023", "young-child"));
  // early-help waits the settling window: an earlier episode or a social-care record could follow.
  clock_.Set(start + absl::Minutes(31) + rules_.settle);
  ASSERT_TRUE(Raised("nhs:9990009023", "early-help"));
  clock_.Set(found + absl::Minutes(31));
  Publish({Found("police.wm", "MP-1", girl, found)});
  clock_.Set(found + absl::Hours(51));
  Publish({MakeEvent("rhi.cov", "R-1", "outcome", 1, girl, found + absl::Hours(50),
                     ReturnInterview{.outcome = InterviewOutcome::kCompleted, .episode_ref = "MP-1"})});
  clock_.Set(found + absl::Hours(100));
  SettleAlerts();
  EXPECT_THAT(Rules("nhs:9990009023"), ElementsAre("early-help", "young-child"));
}

TEST_F(AlertsTest, S3OutOfAreaToBothAuthoritiesThenLongMissingFromTheTimer) {
  Start();
  const ChildRef child = Child("9990009031", 2010, Sex::kFemale);
  const absl::Time report = At("2026-11-20T22:00:00Z");
  clock_.Set(report + absl::Minutes(31));
  Publish({MakeEvent("lcs.cov", "PL-1", "placement", 1, child, At("2026-09-14T12:00:00Z"),
                     PlacementChanged{.looked_after = true, .placing_authority = "coventry",
                                      .host_authority = "warwickshire", .social_care_open = true}),
           MakeEvent("home.brook", "BH-1", "absence", 1, child, report,
                     MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "MISSING"})});
  ASSERT_TRUE(Raised("nhs:9990009031", "out-of-area"));
  for (const auto& a : Alerts("nhs:9990009031")) {
    if (a.rule_id() == "out-of-area") EXPECT_THAT(a.authorities(), ElementsAre("coventry", "warwickshire"));
  }
  clock_.Set(report + absl::Hours(24) - absl::Seconds(1));
  SettleAlerts();
  EXPECT_THAT(Rules("nhs:9990009031"), Not(Contains("long-missing")));
  clock_.Set(report + absl::Hours(24));  // 22:00 the next day, no event: the timer fires
  ASSERT_TRUE(Raised("nhs:9990009031", "long-missing"));
}

TEST_F(AlertsTest, S4CategoryMismatchForOneEpisode) {
  Start();
  const ChildRef child = Child("9990009147", 2010, Sex::kMale);
  clock_.Set(At("2026-11-04T00:00:00Z"));
  Publish({Report("police.wm", "MP-1", child, At("2026-11-03T19:10:00Z"), RiskGrade::kNoApparentRisk,
                  AbsenceCategory::kAbsent),
           Found("police.wm", "MP-1", child, At("2026-11-03T23:40:00Z")),
           MakeEvent("home.oak", "OH-1", "absence", 1, child, At("2026-11-03T18:55:00Z"),
                     MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "MISSING"}),
           MakeEvent("home.oak", "OH-1", "return", 1, child, At("2026-11-03T23:30:00Z"), FoundReturned{})});
  ASSERT_TRUE(Raised("nhs:9990009147", "category-mismatch"));
  SettleAlerts();
  int mismatches = 0;
  for (const auto& a : Alerts("nhs:9990009147")) mismatches += a.rule_id() == "category-mismatch";
  EXPECT_EQ(mismatches, 1);  // one episode, one alert, whichever record arrived first
}

TEST_F(AlertsTest, S5RhiOverdueAtDayThreeThenTriggerPlanMissing) {
  Start();
  const ChildRef child = Child("9990009058", 2010, Sex::kFemale);
  const absl::Time back = At("2026-11-10T10:00:00Z");
  clock_.Set(back + absl::Hours(5));
  Publish({Report("police.wm", "MP-1", child, back - absl::Hours(12), RiskGrade::kMedium),
           Found("police.wm", "MP-1", child, back),
           MakeEvent("rhi.cov", "R-1", "offered", 1, child, back + absl::Hours(4),
                     ReturnInterview{.outcome = InterviewOutcome::kOffered, .episode_ref = "MP-1"})});
  clock_.Set(back + absl::Hours(72) - absl::Seconds(1));
  SettleAlerts();
  EXPECT_THAT(Rules("nhs:9990009058"), Not(Contains("rhi-overdue")));
  clock_.Set(back + absl::Hours(72));
  ASSERT_TRUE(Raised("nhs:9990009058", "rhi-overdue"));
  clock_.Set(back + absl::Hours(97));
  Publish({MakeEvent("lcs.cov", "SM-1", "meeting", 1, child, back + absl::Hours(96),
                     StrategyMeetingHeld{.trigger_plan_recorded = false})});
  ASSERT_TRUE(Raised("nhs:9990009058", "trigger-plan-missing"));
}

TEST_F(AlertsTest, TheStreamResumesFromACursorWithNoGapAndNoRepeat) {
  Start();
  clock_.Set(At("2026-11-21T00:00:00Z"));
  Publish({Report("police.wm", "MP-1", Child("9990009066", 2013, Sex::kMale), At("2026-11-20T20:00:00Z"), RiskGrade::kHigh)});
  ASSERT_TRUE(Raised("nhs:9990009066", "high-risk"));
  std::vector<std::string> first_seen;
  std::string cursor;
  {
    grpc::ClientContext context;
    testing::AddCaller(context, testing::CoordinatorToken(clock_.Now()), "test: alerts for coventry");
    auto reader = stub_->StreamAlerts(&context, v1::StreamAlertsRequest());
    v1::AlertUpdate update;
    while (first_seen.size() < 2 && reader->Read(&update)) {
      first_seen.push_back(update.alert().alert_id());
      cursor = update.cursor();
    }
    context.TryCancel();  // the duty team's connection drops
  }
  Publish({Report("police.wm", "MP-2", Child("9990009074", 2015, Sex::kMale), At("2026-11-20T21:00:00Z"), RiskGrade::kHigh)});
  ASSERT_TRUE(Raised("nhs:9990009074", "high-risk"));
  SettleAlerts();
  const size_t total = Alerts().size();
  grpc::ClientContext context;
  testing::AddCaller(context, testing::CoordinatorToken(clock_.Now()), "test: alerts for coventry");
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(3)));
  v1::StreamAlertsRequest resume;
  resume.set_cursor(cursor);
  auto reader = stub_->StreamAlerts(&context, resume);
  std::vector<std::string> after;
  v1::AlertUpdate update;
  while (first_seen.size() + after.size() < total && reader->Read(&update)) after.push_back(update.alert().alert_id());
  for (const auto& id : after) EXPECT_THAT(first_seen, Not(Contains(id))) << "repeated " << id;
  EXPECT_EQ(first_seen.size() + after.size(), total) << "a gap";
}

// Provisional delivery (docs/alerts.md): a stream that asks for it gets a new alert once as
// provisional, the moment it is raised, and once confirmed when the topic holds it; the
// provisional update's cursor is the stream's position before it, so resuming from it brings
// the confirmed update and nothing twice. A stream that does not ask sees only confirmed ones.
TEST_F(AlertsTest, AProvisionalAlertIsSentOnceThenConfirmedOnce) {
  Start();
  clock_.Set(At("2026-11-21T00:00:00Z"));
  const std::string alert_id = "high-risk:police.wm/MP-1";
  struct Seen {
    std::string alert_id;
    bool provisional;
    std::string cursor;
  };
  const auto follow = [&](bool provisional, const std::string& cursor, size_t confirmed_wanted) {
    grpc::ClientContext context;
    testing::AddCaller(context, testing::CoordinatorToken(clock_.Now()), "test: alerts for coventry");
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    v1::StreamAlertsRequest request;
    request.set_provisional(provisional);
    request.set_cursor(cursor);
    auto reader = stub_->StreamAlerts(&context, request);
    std::vector<Seen> seen;
    size_t confirmed = 0;
    v1::AlertUpdate update;
    while (confirmed < confirmed_wanted && reader->Read(&update)) {
      seen.push_back({update.alert().alert_id(), update.provisional(), update.cursor()});
      confirmed += !update.provisional();
    }
    context.TryCancel();
    return seen;
  };
  std::vector<Seen> live;
  std::thread watcher([&] { live = follow(/*provisional=*/true, "", /*confirmed_wanted=*/1); });
  absl::SleepFor(absl::Milliseconds(300));  // subscribed before the alert is raised
  // One high-risk report of a child known to social care: high-risk alone is raised at once.
  const ChildRef child = Child("9990009104", 2010, Sex::kMale);
  Publish({MakeEvent("lcs.cov", "PL-1", "placement", 1, child, At("2026-09-01T00:00:00Z"),
                     PlacementChanged{.looked_after = false, .placing_authority = "coventry",
                                      .host_authority = "coventry", .social_care_open = true}),
           Report("police.wm", "MP-1", child, At("2026-11-20T20:00:00Z"), RiskGrade::kHigh)});
  watcher.join();
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0].alert_id, alert_id);
  EXPECT_TRUE(live[0].provisional);
  EXPECT_EQ(live[1].alert_id, alert_id);
  EXPECT_FALSE(live[1].provisional);
  EXPECT_NE(live[0].cursor, live[1].cursor) << "a provisional update does not move the stream's position";
  ASSERT_TRUE(Raised("nhs:9990009104", "high-risk"));

  // Resuming from the provisional update's cursor brings the confirmed update, once.
  const std::vector<Seen> resumed = follow(/*provisional=*/true, live[0].cursor, /*confirmed_wanted=*/1);
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(resumed[0].alert_id, alert_id);
  EXPECT_FALSE(resumed[0].provisional) << "the topic holds it now: not provisional again";
  // A stream that did not ask for provisional updates never gets one.
  for (const Seen& s : follow(/*provisional=*/false, "", Alerts().size())) EXPECT_FALSE(s.provisional) << s.alert_id;
}

// The timer is a scheduled callback (common/scheduler.h): with the test's own scheduler, an
// absence rule falls due only when the scheduler runs the timer, not when the clock passes 24 h.
TEST_F(AlertsTest, LongMissingIsRaisedWhenTheScheduledTimerRuns) {
  testing::ManualScheduler scheduler;
  Start(&scheduler);
  EXPECT_THAT(scheduler.Names(), ::testing::IsSupersetOf({"alert-timer", "health", "access-log-anchor"}));
  const ChildRef child = Child("9990009112", 2010, Sex::kFemale);
  const absl::Time report = At("2026-11-20T22:00:00Z");
  clock_.Set(report + absl::Hours(1));
  Publish({Report("home.brook", "BH-1", child, report, RiskGrade::kMedium)});
  clock_.Set(report + absl::Hours(24));  // long-missing is due, by the clock
  SettleAlerts();
  EXPECT_THAT(Rules("nhs:9990009112"), Not(Contains("long-missing"))) << "nothing ran the timer";
  scheduler.Advance(absl::Milliseconds(20));  // one tick
  EXPECT_EQ(scheduler.Runs("alert-timer"), 1);
  ASSERT_TRUE(Raised("nhs:9990009112", "long-missing"));
  Stop();
  scheduler.Advance(absl::Seconds(1));  // after shutdown, the scheduler's tasks do nothing
}

TEST_F(AlertsTest, ATimerThatFellDueWhileDownFiresOnceOnStart) {
  Start();
  const ChildRef child = Child("9990009082", 2010, Sex::kFemale);
  const absl::Time report = At("2026-11-20T22:00:00Z");
  clock_.Set(report + absl::Hours(1));
  Publish({Report("home.brook", "BH-1", child, report, RiskGrade::kMedium)});
  SettleAlerts();
  EXPECT_THAT(Rules("nhs:9990009082"), Not(Contains("long-missing")));
  Stop();
  clock_.Set(report + absl::Hours(30));  // due at +24 h, while nothing was running
  Start();
  // It first waits the settling window that follows a start: the backlog waiting on the log
  // (a found record published while the hub was down) may show it was never due.
  SettleAlerts();
  EXPECT_THAT(Rules("nhs:9990009082"), Not(Contains("long-missing")));
  clock_.Set(report + absl::Hours(30) + rules_.settle);
  ASSERT_TRUE(Raised("nhs:9990009082", "long-missing"));
  Stop();
  Start();  // and again: replayed from the store, not raised a second time
  SettleAlerts();
  int long_missing = 0;
  for (const auto& a : Alerts("nhs:9990009082")) long_missing += a.rule_id() == "long-missing";
  EXPECT_EQ(long_missing, 1);
}

TEST_F(AlertsTest, ADutyWorkerAcknowledgesAndClosesAndAMeetingActionsIt) {
  Start();
  const ChildRef child = Child("9990009090", 2010, Sex::kMale);
  clock_.Set(At("2026-11-21T00:00:00Z"));
  Publish({Report("police.wm", "MP-1", child, At("2026-11-20T20:00:00Z"), RiskGrade::kHigh)});
  ASSERT_TRUE(Raised("nhs:9990009090", "high-risk"));
  grpc::ClientContext ack_context;
  testing::AddCaller(ack_context, testing::DutyToken(clock_.Now()), "test: duty response");
  v1::AlertActionRequest ack;
  ack.set_alert_id("high-risk:police.wm/MP-1");
  ack.set_by("someone-else");  // ignored: the authenticated caller acts
  v1::Alert after;
  ASSERT_TRUE(stub_->AcknowledgeAlert(&ack_context, ack, &after).ok());
  EXPECT_EQ(after.state(), v1::ALERT_STATE_ACKNOWLEDGED);
  clock_.Set(At("2026-11-21T11:00:00Z"));
  Publish({MakeEvent("lcs.cov", "SM-1", "meeting", 1, child, At("2026-11-21T10:00:00Z"),
                     StrategyMeetingHeld{.trigger_plan_recorded = true})});
  ASSERT_TRUE(Eventually([&] {
    for (const auto& a : Alerts("nhs:9990009090")) {
      if (a.rule_id() == "high-risk") return a.state() == v1::ALERT_STATE_ACTIONED && a.acknowledged_by() == "duty-1";
    }
    return false;
  }));
  grpc::ClientContext unknown_context;
  testing::AddCaller(unknown_context, testing::DutyToken(clock_.Now()), "test: duty response");
  ack.set_alert_id("no-such-alert");
  EXPECT_EQ(stub_->AcknowledgeAlert(&unknown_context, ack, &after).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace homeward
