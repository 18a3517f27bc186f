#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "services/aggregator/alerts/rules_file.h"
#include "services/aggregator/domain/alerts.h"
#include "services/aggregator/domain/chronology_store.h"
#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const std::string kRoot = HOMEWARD_SOURCE_DIR;

RuleSet Shipped() {
  auto rules = LoadRulesFile(kRoot + "/config/rules.json");
  EXPECT_TRUE(rules.ok()) << rules.status();
  return *rules;
}

ChildRef Child(int age_years_on_2026_11_01, Sex sex = Sex::kMale) {
  return {.la_child_id = "LA-1", .local_authority = "cov", .nhs_number = "999", .given_name = "T",
          .family_name = "S", .date_of_birth = absl::CivilDay(2026 - age_years_on_2026_11_01, 6, 1), .sex = sex};
}

class RulesTest : public ::testing::Test {
 protected:
  void Police(const std::string& record, absl::Time start, std::optional<absl::Time> end, RiskGrade grade,
              const ChildRef& child, AbsenceCategory category = AbsenceCategory::kMissing) {
    Add(MakeEvent("police.wm", record, "report", 1, child, start,
                  MissingReported{.category = category, .category_as_recorded = "X", .risk_grade = grade}));
    if (end) Add(MakeEvent("police.wm", record, "found", 1, child, *end, FoundReturned{}));
  }
  void Add(Event e) { store_->Apply(e, At("2026-11-01T00:00:00Z")); }
  void Reset() { store_ = std::make_unique<ChronologyStore>(); }

  ChildFacts Facts() {
    auto page = store_->Query({.child = "nhs:999", .page_size = 1000});
    EXPECT_TRUE(page.ok()) << page.status();
    return {.child_id = page->child_id, .entries = page->entries, .episodes = *store_->Episodes("nhs:999")};
  }
  // Rule ids of the alerts the rules call for at `now`.
  std::vector<std::string> Fired(absl::Time now) {
    std::vector<std::string> ids;
    for (const Alert& a : EvaluateRules(rules_, Facts(), now)) ids.push_back(a.rule_id);
    return ids;
  }
  std::vector<Alert> Alerts(absl::Time now) { return EvaluateRules(rules_, Facts(), now); }

  RuleSet rules_ = Shipped();
  std::unique_ptr<ChronologyStore> store_ = std::make_unique<ChronologyStore>();
};

// ---- the five worked scenarios (rules-and-scenarios.md) ----

TEST_F(RulesTest, S1RepeatAndNormalisedAtTheThirdEpisodeAndNoLongMissing) {
  const ChildRef boy = Child(15);
  const absl::Time day0 = At("2026-08-01T20:00:00Z");
  Police("MP-1", day0, day0 + absl::Hours(5), RiskGrade::kLow, boy);
  Police("MP-2", day0 + absl::Hours(24 * 17), day0 + absl::Hours(24 * 17 + 6), RiskGrade::kLow, boy);
  std::vector<std::string> before = Fired(day0 + absl::Hours(24 * 30));
  EXPECT_THAT(before, ::testing::Not(::testing::Contains("repeat-missing")));
  EXPECT_THAT(before, ::testing::Not(::testing::Contains("normalised-risk")));
  Police("MP-3", day0 + absl::Hours(24 * 39), day0 + absl::Hours(24 * 39 + 4), RiskGrade::kLow, boy);
  std::vector<std::string> fired = Fired(day0 + absl::Hours(24 * 39 + 1));
  EXPECT_THAT(fired, ::testing::Contains("repeat-missing"));
  EXPECT_THAT(fired, ::testing::Contains("normalised-risk"));
  EXPECT_THAT(fired, ::testing::Not(::testing::Contains("long-missing")));
  for (const Alert& a : Alerts(day0 + absl::Hours(24 * 40))) {
    if (a.rule_id == "repeat-missing") {
      EXPECT_EQ(a.alert_id, "repeat-missing:police.wm/MP-3");  // fired by the day-39 episode
      EXPECT_EQ(a.cause_event_ids.size(), 6u);
      EXPECT_THAT(a.recommended_action, HasSubstr("Missing from Home Assessment and Trigger Plan"));
      EXPECT_EQ(a.severity, "strategy meeting");
    }
  }
}

TEST_F(RulesTest, S2YoungChildAndEarlyHelpButNoRhiOverdue) {
  const ChildRef girl = Child(12, Sex::kFemale);
  const absl::Time start = At("2026-10-14T16:00:00Z"), found = start + absl::Hours(5);
  Police("MP-1", start, found, RiskGrade::kMedium, girl);
  Add(MakeEvent("rhi.cov", "R-1", "outcome", 1, girl, found + absl::Hours(50),
                ReturnInterview{.outcome = InterviewOutcome::kCompleted, .episode_ref = "MP-1"}));
  EXPECT_THAT(Fired(found + absl::Hours(100)), UnorderedElementsAre("young-child", "early-help"));
}

TEST_F(RulesTest, S3OutOfAreaOnTheReportToBothAuthoritiesAndLongMissingFromTheTimer) {
  const ChildRef child = Child(15, Sex::kFemale);
  Add(MakeEvent("lcs.cov", "PL-1", "placement", 1, child, At("2026-09-14T12:00:00Z"),
                PlacementChanged{.looked_after = true, .placing_authority = "coventry", .host_authority = "warwickshire",
                                 .social_care_open = true}));
  const absl::Time report = At("2026-11-20T22:00:00Z");
  Add(MakeEvent("home.brook", "BH-1", "absence", 1, child, report,
                MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "MISSING"}));
  std::vector<Alert> now = Alerts(report + absl::Minutes(1));
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].rule_id, "out-of-area");
  EXPECT_THAT(now[0].authorities, ElementsAre("coventry", "warwickshire"));
  EXPECT_EQ(NextDue(rules_, Facts(), report + absl::Minutes(1)), report + absl::Hours(24));
  EXPECT_THAT(Fired(report + absl::Hours(24)), UnorderedElementsAre("out-of-area", "long-missing"));
}

TEST_F(RulesTest, S4CategoryMismatchForOneEpisodeWithTwoSources) {
  const ChildRef child = Child(15);
  Police("MP-1", At("2026-11-03T19:10:00Z"), At("2026-11-03T23:40:00Z"), RiskGrade::kNoApparentRisk, child,
         AbsenceCategory::kAbsent);
  Add(MakeEvent("home.oak", "OH-1", "absence", 1, child, At("2026-11-03T18:55:00Z"),
                MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "MISSING"}));
  Add(MakeEvent("home.oak", "OH-1", "return", 1, child, At("2026-11-03T23:30:00Z"), FoundReturned{}));
  std::vector<Alert> alerts = Alerts(At("2026-11-04T00:00:00Z"));
  // Only category-mismatch: a children's home reporting the absence is caring for the child, so
  // the child is known to social care and early-help (first episode, not known) does not apply.
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].rule_id, "category-mismatch");
  EXPECT_THAT(alerts[0].reason, HasSubstr("categories differ"));
  EXPECT_EQ(alerts[0].cause_event_ids.size(), 4u);
}

TEST_F(RulesTest, S5RhiOverdueAtExactlyThreeDaysThenTriggerPlanMissing) {
  const ChildRef child = Child(15, Sex::kFemale);
  const absl::Time back = At("2026-11-10T10:00:00Z");
  Police("MP-1", back - absl::Hours(12), back, RiskGrade::kMedium, child);
  Add(MakeEvent("rhi.cov", "R-1", "offered", 1, child, back + absl::Hours(4),
                ReturnInterview{.outcome = InterviewOutcome::kOffered, .episode_ref = "MP-1"}));
  EXPECT_THAT(Fired(back + absl::Hours(72) - absl::Seconds(1)), ::testing::Not(::testing::Contains("rhi-overdue")));
  EXPECT_EQ(NextDue(rules_, Facts(), back + absl::Hours(1)), back + absl::Hours(72));
  EXPECT_THAT(Fired(back + absl::Hours(72)), ::testing::Contains("rhi-overdue"));
  Add(MakeEvent("lcs.cov", "SM-1", "meeting", 1, child, back + absl::Hours(100),
                StrategyMeetingHeld{.trigger_plan_recorded = false}));
  EXPECT_THAT(Fired(back + absl::Hours(101)), ::testing::Contains("trigger-plan-missing"));
}

// ---- boundaries ----

TEST_F(RulesTest, RepeatMissingCountsExactlyNInDDaysButNotOneDayMore) {
  const ChildRef boy = Child(15);
  const absl::Time t0 = At("2026-06-01T20:00:00Z");
  Police("MP-1", t0, t0 + absl::Hours(2), RiskGrade::kMedium, boy);
  Police("MP-2", t0 + absl::Hours(24 * 45), t0 + absl::Hours(24 * 45 + 2), RiskGrade::kMedium, boy);
  Police("MP-3", t0 + absl::Hours(24 * 90), t0 + absl::Hours(24 * 90 + 2), RiskGrade::kMedium, boy);  // day 90
  EXPECT_THAT(Fired(t0 + absl::Hours(24 * 100)), ::testing::Contains("repeat-missing"));
  Reset();
  Police("MP-1", t0, t0 + absl::Hours(2), RiskGrade::kMedium, boy);
  Police("MP-2", t0 + absl::Hours(24 * 45), t0 + absl::Hours(24 * 45 + 2), RiskGrade::kMedium, boy);
  Police("MP-3", t0 + absl::Hours(24 * 91), t0 + absl::Hours(24 * 91 + 2), RiskGrade::kMedium, boy);  // day 91
  EXPECT_THAT(Fired(t0 + absl::Hours(24 * 100)), ::testing::Not(::testing::Contains("repeat-missing")));
}

// An alert keeps at most kMaxCauseEventIds causes: the latest, i.e. the window's episodes in
// order, each episode's records sorted, less the earliest, which more_causes counts.
TEST_F(RulesTest, ARepeatAlertKeepsTheLatestCausesAndCountsTheEarlierOnes) {
  const ChildRef boy = Child(15);
  const absl::Time t0 = At("2026-06-01T20:00:00Z");
  constexpr int kEpisodes = 40;  // two records each, all within 90 days
  std::vector<std::string> records;  // in episode order
  for (int j = 0; j < kEpisodes; ++j) {
    const std::string record = absl::StrCat("MP-", j);
    Police(record, t0 + absl::Hours(24 * j), t0 + absl::Hours(24 * j + 2), RiskGrade::kMedium, boy);
    records.push_back(absl::StrCat("police.wm/", record, "/found@1"));
    records.push_back(absl::StrCat("police.wm/", record, "/report@1"));
  }
  std::map<std::string, Alert> repeats;
  for (Alert& a : Alerts(t0 + absl::Hours(24 * 50))) {
    if (a.rule_id == "repeat-missing") repeats.emplace(a.alert_id, std::move(a));
  }
  ASSERT_EQ(repeats.size(), static_cast<size_t>(kEpisodes - 2));  // from the third episode on
  // The episode whose window holds k + 1 episodes, 2(k + 1) records.
  auto check = [&](int k) {
    SCOPED_TRACE(k);
    const Alert& a = repeats.at(absl::StrCat("repeat-missing:police.wm/MP-", k));
    const size_t all = 2 * (k + 1);
    const size_t kept = std::min(all, kMaxCauseEventIds);
    EXPECT_EQ(a.cause_event_ids, std::vector<std::string>(records.begin() + (all - kept), records.begin() + all));
    EXPECT_EQ(a.more_causes, static_cast<int>(all - kept));
    EXPECT_THAT(a.anchor_event_ids, ElementsAre(records[2 * k], records[2 * k + 1]));
  };
  check(2);   // 6 causes
  check(31);  // 64: all kept
  check(32);  // 66: the first episode's two counted, not kept
  check(kEpisodes - 1);  // 80: the first eight episodes' counted
}

// Three records an episode: the latest episodes' records overshoot the limit, and the earliest
// of them are cut and counted too (22 episodes, 66 records: 64 kept, 2 counted).
TEST_F(RulesTest, ARepeatAlertCutsWithinAnEpisodeAtTheLimit) {
  const ChildRef boy = Child(15);
  const absl::Time t0 = At("2026-06-01T20:00:00Z");
  constexpr int kEpisodes = 22;
  std::vector<std::string> records;  // in episode order, each episode's sorted
  for (int j = 0; j < kEpisodes; ++j) {
    const std::string record = absl::StrCat("MP-", j);
    const absl::Time start = t0 + absl::Hours(24 * j);
    Police(record, start, start + absl::Hours(2), RiskGrade::kMedium, boy);
    Add(MakeEvent("police.wm", record, "regrade", 1, boy, start + absl::Hours(1),
                  RiskRegraded{.from_grade = RiskGrade::kMedium, .to_grade = RiskGrade::kLow}));
    for (const char* facet : {"found", "regrade", "report"}) {
      records.push_back(absl::StrCat("police.wm/", record, "/", facet, "@1"));
    }
  }
  const Alert* last = nullptr;
  const std::vector<Alert> alerts = Alerts(t0 + absl::Hours(24 * 30));
  for (const Alert& a : alerts) {
    if (a.alert_id == absl::StrCat("repeat-missing:police.wm/MP-", kEpisodes - 1)) last = &a;
  }
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->cause_event_ids, std::vector<std::string>(records.begin() + 2, records.end()));
  EXPECT_EQ(last->more_causes, 2);
}

TEST_F(RulesTest, LongMissingFiresAtExactlyHHoursNotOneSecondBefore) {
  const absl::Time start = At("2026-11-20T22:00:00Z");
  Police("MP-1", start, std::nullopt, RiskGrade::kMedium, Child(15));
  EXPECT_THAT(Fired(start + absl::Hours(24) - absl::Seconds(1)), ::testing::Not(::testing::Contains("long-missing")));
  EXPECT_THAT(Fired(start + absl::Hours(24)), ::testing::Contains("long-missing"));
  EXPECT_THAT(Fired(start + absl::Hours(24) + absl::Seconds(1)), ::testing::Contains("long-missing"));
}

TEST_F(RulesTest, AnEpisodeThatEndedJustBeforeHHoursIsNotLongMissing) {
  const absl::Time start = At("2026-11-20T22:00:00Z");
  Police("MP-1", start, start + absl::Hours(24) - absl::Seconds(1), RiskGrade::kMedium, Child(15));
  EXPECT_THAT(Fired(start + absl::Hours(48)), ::testing::Not(::testing::Contains("long-missing")));
}

TEST_F(RulesTest, AnInterviewOneSecondLateStillCountsAsOverdue) {
  const ChildRef child = Child(15);
  const absl::Time back = At("2026-11-10T10:00:00Z");
  Police("MP-1", back - absl::Hours(3), back, RiskGrade::kLow, child);
  Add(MakeEvent("rhi.cov", "R-1", "outcome", 1, child, back + absl::Hours(72) + absl::Seconds(1),
                ReturnInterview{.outcome = InterviewOutcome::kCompleted, .episode_ref = "MP-1"}));
  EXPECT_THAT(Fired(back + absl::Hours(80)), ::testing::Contains("rhi-overdue"));
}

TEST_F(RulesTest, YoungChildIsThirteenOrUnder) {
  Police("MP-1", At("2026-11-01T20:00:00Z"), At("2026-11-01T22:00:00Z"), RiskGrade::kLow, Child(13));
  EXPECT_THAT(Fired(At("2026-11-02T00:00:00Z")), ::testing::Contains("young-child"));
  Reset();
  Police("MP-1", At("2026-11-01T20:00:00Z"), At("2026-11-01T22:00:00Z"), RiskGrade::kLow, Child(14));
  EXPECT_THAT(Fired(At("2026-11-02T00:00:00Z")), ::testing::Not(::testing::Contains("young-child")));
}

TEST_F(RulesTest, HighRiskAndExploitationFireOnTheirRecords) {
  const ChildRef child = Child(16);
  Police("MP-1", At("2026-11-01T20:00:00Z"), std::nullopt, RiskGrade::kMedium, child);
  Add(MakeEvent("police.wm", "MP-1", "regrade-1", 1, child, At("2026-11-01T23:00:00Z"),
                RiskRegraded{.from_grade = RiskGrade::kMedium, .to_grade = RiskGrade::kHigh}));
  Add(MakeEvent("police.wm", "MP-1", "marker-cce", 1, child, At("2026-11-01T20:00:00Z"),
                ExploitationConcern{.type = ExploitationType::kCce}));
  std::vector<Alert> alerts = Alerts(At("2026-11-02T00:00:00Z"));
  std::vector<std::string> ids;
  for (const Alert& a : alerts) ids.push_back(a.alert_id);
  EXPECT_THAT(ids, ::testing::IsSupersetOf({"high-risk:police.wm/MP-1", "exploitation:police.wm/MP-1/marker-cce"}));
}

TEST_F(RulesTest, TheSameCauseAlwaysGivesTheSameAlertId) {
  Police("MP-1", At("2026-11-01T20:00:00Z"), std::nullopt, RiskGrade::kHigh, Child(16));
  const auto first = Alerts(At("2026-11-03T00:00:00Z"));
  const auto later = Alerts(At("2026-11-09T00:00:00Z"));
  ASSERT_EQ(first.size(), later.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].alert_id, later[i].alert_id);
}

// Issue 11, point 5: a return that arrived before its own report is flagged and raises a
// data-quality alert, never a negative-length episode, a long-missing or an rhi-overdue.
TEST_F(RulesTest, AReturnDatedBeforeItsReportRaisesImpossibleTimesOnly) {
  Add(MakeEvent("police.wm", "MP-1", "found", 1, Child(15), At("2026-10-01T08:00:00Z"), FoundReturned{}));
  Add(MakeEvent("police.wm", "MP-1", "report", 1, Child(15), At("2026-10-01T10:00:00Z"),
                MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "X",
                                .risk_grade = RiskGrade::kLow}));
  const std::vector<Alert> alerts = Alerts(At("2026-11-01T00:00:00Z"));
  std::vector<std::string> rules;
  for (const Alert& a : alerts) rules.push_back(a.rule_id);
  EXPECT_THAT(rules, ::testing::Contains("impossible-times"));
  EXPECT_THAT(rules, ::testing::Not(::testing::Contains("long-missing")));
  EXPECT_THAT(rules, ::testing::Not(::testing::Contains("rhi-overdue")));
  for (const Alert& a : alerts) {
    if (a.rule_id == "impossible-times") EXPECT_THAT(a.reason, HasSubstr("before its own report's start"));
  }
}

// ---- configuration ----

TEST(RulesFile, TheShippedFileConfiguresTheElevenRulesAndTheDataQualityChecks) {
  EXPECT_EQ(Shipped().rules.size(), 14u);  // and the RHI findings planning task (issue 16)
  EXPECT_NE(Shipped().Find("impossible-times"), nullptr);
  EXPECT_NE(Shipped().Find("log-gap"), nullptr);
  EXPECT_EQ(Shipped().Find("repeat-missing")->params.at("window_days"), 90);
}

TEST(RulesFile, ABadConfigurationNamesTheRuleAndField) {
  EXPECT_THAT(ParseRulesFile(R"({"default_authority": "x", "rules": [{"id": "repeat-missing", "version": 1,
      "severity": "strategy meeting", "team": "t", "recommended_action": "a", "params": {"count": 3}}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rules[0] (repeat-missing): params.window_days")));
  EXPECT_THAT(ParseRulesFile(R"({"default_authority": "x", "rules": [{"id": "moon-phase", "version": 1}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rules[0] (moon-phase): id: not a known rule")));
  EXPECT_THAT(ParseRulesFile(R"({"default_authority": "x", "rules": [{"id": "high-risk", "version": 1,
      "severity": "urgent", "team": "t", "recommended_action": "a"}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("(high-risk): severity")));
  EXPECT_THAT(ParseRulesFile(R"({"default_authority": "x", "rules": [{"id": "high-risk", "version": 1,
      "severity": "compliance", "team": "t", "recommended_action": "a", "params": {"hours": 2}}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("params.hours: not a parameter of this rule")));
}

// ---- the alert book ----

TEST(RulesFile, ValuesOfTheWrongTypeAreErrorsNotCrashes) {
  // nlohmann-json's value() and get<>() threw on these and aborted the aggregator at start.
  for (const char* text : {
           R"({"default_authority": 5, "rules": []})",
           R"({"default_authority": "c", "escalate_after_minutes": "soon", "rules": []})",
           R"({"default_authority": "c", "rules": [{"id": 7, "version": 1}]})",
           R"({"default_authority": "c", "rules": [{"id": "high-risk", "version": "1"}]})",
           R"({"default_authority": "c", "rules": [{"id": "high-risk", "version": 1, "enabled": "yes"}]})",
           R"({"default_authority": "c", "rules": [{"id": "high-risk", "version": 1, "severity": 3}]})",
           R"({"default_authority": "c", "rules": [{"id": "long-missing", "version": 1, "severity": "compliance",
               "team": "t", "recommended_action": "a", "params": []}]})",
           R"({"default_authority": "c", "rules": [{"id": "long-missing", "version": 1, "severity": "compliance",
               "team": "t", "recommended_action": "a", "params": {"hours": "24"}}]})",
       }) {
    EXPECT_THAT(ParseRulesFile(text), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_)) << text;
  }
}

TEST(AlertBook, RecordsInAnyOrderGiveTheSameAlert) {
  const Alert raised{.alert_id = "high-risk:x", .raised_at = At("2026-11-01T00:00:00Z")};
  const AlertTransition ack{.alert_id = "high-risk:x", .kind = TransitionKind::kAcknowledge, .by = "duty-1",
                            .at = At("2026-11-01T00:05:00Z")};
  const AlertTransition esc{.alert_id = "high-risk:x", .kind = TransitionKind::kEscalate, .by = "homeward",
                            .at = At("2026-11-01T00:30:00Z")};
  AlertBook in_order, reversed;
  in_order.Raise(raised);
  in_order.Apply(ack);
  in_order.Apply(esc);
  reversed.Apply(esc);
  reversed.Apply(ack);
  EXPECT_TRUE(reversed.Raise(raised));
  EXPECT_FALSE(reversed.Raise(raised));  // a copy from another replica changes nothing
  for (const AlertBook* book : {&in_order, &reversed}) {
    const Alert* a = book->Find("high-risk:x");
    EXPECT_EQ(a->state, AlertState::kAcknowledged);
    EXPECT_EQ(a->acknowledged_by, "duty-1");
    EXPECT_TRUE(a->escalated);
    EXPECT_EQ(a->history.size(), 2u);
  }
}

// The census, kept as alerts change, is what counting every alert held says, through raises,
// every kind of transition (in and out of order, repeated, re-recorded earlier) and drops.
TEST(AlertBook, TheCensusKeptAsAlertsChangeIsWhatCountingThemSays) {
  const auto recount = [](const AlertBook& book) {
    AlertCensus c;
    book.ForEach([&](const Alert& a) {
      ++c.by_state_and_severity[{a.state, a.severity}];
      if (IsOpen(a) && a.escalated) ++c.escalated_open;
      if (a.state == AlertState::kRaised && (!c.oldest_unacknowledged || a.raised_at < *c.oldest_unacknowledged)) {
        c.oldest_unacknowledged = a.raised_at;
      }
    });
    return c;
  };
  const absl::Time t0 = At("2026-11-01T00:00:00Z");
  std::mt19937 random(11);
  AlertBook book;
  constexpr TransitionKind kKinds[] = {TransitionKind::kAcknowledge, TransitionKind::kAction, TransitionKind::kClose,
                                       TransitionKind::kEscalate, TransitionKind::kWithdraw, TransitionKind::kMerge};
  for (int step = 0; step < 5'000; ++step) {
    const std::string id = absl::StrCat("rule:", random() % 200);
    switch (random() % 4) {
      case 0:
        book.Raise(Alert{.alert_id = id,
                         .severity = random() % 2 == 0 ? "strategy meeting" : "escalation",
                         .raised_at = t0 + absl::Minutes(random() % 1000)});
        break;
      case 1:
        book.Forget(id);
        break;
      default:
        book.Apply(AlertTransition{.alert_id = id,
                                   .kind = kKinds[random() % 6],
                                   .by = random() % 2 == 0 ? "homeward" : "duty-1",
                                   .at = t0 + absl::Minutes(random() % 1000),
                                   .merged_into = absl::StrCat("rule:", random() % 200)});
    }
    if (step % 100 == 0 || step == 4'999) {
      const AlertCensus kept = book.census(), counted = recount(book);
      ASSERT_EQ(kept.by_state_and_severity, counted.by_state_and_severity) << "step " << step;
      ASSERT_EQ(kept.escalated_open, counted.escalated_open) << "step " << step;
      ASSERT_EQ(kept.oldest_unacknowledged, counted.oldest_unacknowledged) << "step " << step;
    }
  }
  EXPECT_GT(book.size(), 0u);
}

TEST(AlertBook, UnacknowledgedAlertsEscalateAfterTheConfiguredTime) {
  AlertBook book;
  book.Raise({.alert_id = "a", .raised_at = At("2026-11-01T00:00:00Z")});
  EXPECT_THAT(book.DueForEscalation(absl::Minutes(30), At("2026-11-01T00:29:59Z")), IsEmpty());
  EXPECT_EQ(book.DueForEscalation(absl::Minutes(30), At("2026-11-01T00:30:00Z")).size(), 1u);
}

}  // namespace
}  // namespace homeward::aggregator

namespace homeward::aggregator {
namespace {

// An alert is a call to act now: a trigger older than the horizon is history (shown in the
// chronology), not an alert, so a replica rebuilding years of log raises no storm.
TEST(AlertHorizon, ARuleDoesNotFireForATriggerOlderThanTheHorizon) {
  RuleSet rules = *LoadRulesFile(std::string(HOMEWARD_SOURCE_DIR) + "/config/rules.json");
  rules.alert_horizon = absl::Hours(24 * 30);
  ChronologyStore store;
  const absl::Time reported = testing::At("2026-06-01T20:00:00Z");
  store.Apply(testing::MakeEvent("police.test", "MP-1", "report", 1, testing::PoliceChild("PP-1"), reported,
                                 MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh}),
              reported);
  const auto fired = [&](absl::Time now) {
    std::vector<std::string> ids;
    for (const Alert& a : AlertsToRaise(rules, *store.Facts("police:test-force/PP-1"), now)) ids.push_back(a.rule_id);
    return ids;
  };
  EXPECT_THAT(fired(reported + absl::Hours(24 * 30) - absl::Seconds(1)), ::testing::Contains("high-risk"));
  EXPECT_THAT(fired(reported + absl::Hours(24 * 30) + absl::Seconds(1)), ::testing::Not(::testing::Contains("high-risk")));
}

TEST(AlertHorizon, TheRulesFileSetsIt) {
  auto rules = ParseRulesFile(R"({"default_authority": "x", "alert_horizon_days": 7, "settle_seconds": 90, "rules": []})");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->alert_horizon, absl::Hours(24 * 7));
  EXPECT_EQ(rules->settle, absl::Seconds(90));
  EXPECT_FALSE(ParseRulesFile(R"({"default_authority": "x", "settle_seconds": -1, "rules": []})").ok());
  EXPECT_FALSE(ParseRulesFile(R"({"default_authority": "x", "alert_horizon_days": 0, "rules": []})").ok());
}

}  // namespace
}  // namespace homeward::aggregator

// ---- history loaded late, and each rule's closing conditions (docs/alerts.md) ----

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::testing::HasSubstr;

class ClosingTest : public RulesTest {
 protected:
  // The alert of `rule` the records call for at `now` (it must be there).
  Alert Raised(const std::string& rule, absl::Time now) {
    for (Alert& a : Alerts(now)) {
      if (a.rule_id == rule) return a;
    }
    ADD_FAILURE() << rule << " is not due at " << now;
    return {};
  }
  // What the hub does with `alert` once the records now held are known, at `now`.
  std::optional<AlertTransition> Review(const Alert& alert, absl::Time now) {
    return ReviewAlert(rules_, alert, Facts(), Alerts(now), now);
  }
  void Rhi(const std::string& record, InterviewOutcome outcome, absl::Time at, const std::string& episode = "MP-1") {
    Add(MakeEvent("rhi.cov", record, "outcome", 1, Child(15), at,
                  ReturnInterview{.outcome = outcome, .reason = "as said", .episode_ref = episode}));
  }
};

// Issue 12: a three-hour episode from months ago, loaded as its report and then its found
// record a second later, raised long-missing ("still missing after 1919 h").
TEST_F(ClosingTest, ABackLoadedReportWaitsForItsFoundRecordAndIsNeverRaised) {
  const absl::Time start = At("2026-07-01T20:00:00Z"), now = At("2026-10-20T12:00:00Z");
  Police("MP-1", start, std::nullopt, RiskGrade::kMedium, Child(15));
  const Alert due = Raised("long-missing", now);
  const EvaluationContext arrived{.last_arrival = now};
  EXPECT_FALSE(RaiseNow(rules_, due, now, arrived)) << "raised before the rest of the import could arrive";
  EXPECT_EQ(SettlingUntil(rules_, due, now, arrived), now + rules_.settle);
  Add(MakeEvent("police.wm", "MP-1", "found", 1, Child(15), start + absl::Hours(3), FoundReturned{}));
  EXPECT_THAT(Fired(now + absl::Seconds(1)), ::testing::Not(::testing::Contains("long-missing")));
  // rhi-overdue is due by the records so far, and settles too: the RHI may be in the same import.
  const Alert rhi = Raised("rhi-overdue", now + absl::Seconds(1));
  EXPECT_FALSE(RaiseNow(rules_, rhi, now + absl::Seconds(1), {.last_arrival = now + absl::Seconds(1)}));
  EXPECT_TRUE(RaiseNow(rules_, rhi, now + absl::Seconds(62), {.last_arrival = now + absl::Seconds(1)}));
}

TEST_F(ClosingTest, ATimeRuleDueInRealTimeIsRaisedAtOnce) {
  const absl::Time start = At("2026-11-20T22:00:00Z");
  Police("MP-1", start, std::nullopt, RiskGrade::kMedium, Child(15));
  const absl::Time due_at = start + absl::Hours(24);
  // The records arrived long before the threshold: nothing to settle.
  EXPECT_TRUE(RaiseNow(rules_, Raised("long-missing", due_at), due_at, {.last_arrival = start + absl::Minutes(20)}));
}

TEST_F(ClosingTest, LongMissingIsWithdrawnWhenTheFoundRecordShowsAShortEpisode) {
  const absl::Time start = At("2026-07-01T20:00:00Z"), now = At("2026-10-20T12:00:00Z");
  Police("MP-1", start, std::nullopt, RiskGrade::kMedium, Child(15));
  const Alert alert = Raised("long-missing", now);  // the settling window passed without the found record
  Add(MakeEvent("police.wm", "MP-1", "found", 1, Child(15), start + absl::Hours(3), FoundReturned{}));
  const std::optional<AlertTransition> t = Review(alert, now + absl::Minutes(5));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kWithdraw);
  EXPECT_EQ(t->by, kHubActor);
  EXPECT_THAT(t->note, HasSubstr("never due"));
  EXPECT_THAT(t->note, HasSubstr("lasted 3h 0m"));
}

TEST_F(ClosingTest, LongMissingStandsWhenTheChildWasMissingLongerThanTheThreshold) {
  const absl::Time start = At("2026-11-20T22:00:00Z");
  Police("MP-1", start, std::nullopt, RiskGrade::kMedium, Child(15));
  const Alert alert = Raised("long-missing", start + absl::Hours(24));
  Add(MakeEvent("police.wm", "MP-1", "found", 1, Child(15), start + absl::Hours(30), FoundReturned{}));
  EXPECT_FALSE(Review(alert, start + absl::Hours(31)).has_value());
}

// Issue 12: the same story loaded in natural order (report, found, RHI within 72 h) left
// rhi-overdue raised after the RHI arrived.
TEST_F(ClosingTest, AnRhiWithin72HoursLoadedWithItsEpisodeRaisesNothing) {
  const absl::Time start = At("2026-07-01T20:00:00Z"), now = At("2026-10-20T12:00:00Z");
  Police("MP-1", start, start + absl::Hours(3), RiskGrade::kMedium, Child(15));
  Rhi("R-1", InterviewOutcome::kCompleted, start + absl::Hours(40));
  EXPECT_THAT(Fired(now), ::testing::Not(::testing::Contains("rhi-overdue")));
}

TEST_F(ClosingTest, RhiOverdueIsWithdrawnForAnInterviewDeclinedWithin72Hours) {
  const absl::Time back = At("2026-11-10T10:00:00Z");
  Police("MP-1", back - absl::Hours(3), back, RiskGrade::kLow, Child(15));
  const Alert alert = Raised("rhi-overdue", back + absl::Hours(72));
  Rhi("R-1", InterviewOutcome::kDeclined, back + absl::Hours(60));  // recorded late, done in time
  const std::optional<AlertTransition> t = Review(alert, back + absl::Hours(80));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kWithdraw);
  EXPECT_THAT(t->note, HasSubstr("declined"));
  EXPECT_THAT(t->note, HasSubstr("within 72 h"));
}

TEST_F(ClosingTest, RhiOverdueIsClosedWhenTheInterviewIsDoneLate) {
  const absl::Time back = At("2026-11-10T10:00:00Z");
  Police("MP-1", back - absl::Hours(3), back, RiskGrade::kLow, Child(15));
  const Alert alert = Raised("rhi-overdue", back + absl::Hours(72));
  Rhi("R-1", InterviewOutcome::kCompleted, back + absl::Hours(80));
  const std::optional<AlertTransition> t = Review(alert, back + absl::Hours(81));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kClose);
  EXPECT_THAT(t->note, HasSubstr("80h 0m after the return (late)"));
}

// Issue 12: early-help ("first missing episode, not known to social care") stayed open for
// looked-after children and for children already known.
TEST_F(ClosingTest, EarlyHelpWaitsForTheRestOfTheImport) {
  // Reported in real time or back-loaded, a first episode is in the past when it arrives: an
  // earlier episode or a social-care record of the same export may still follow.
  const absl::Time start = At("2026-11-01T20:00:00Z"), arrived = start + absl::Minutes(40);
  Police("MP-1", start, std::nullopt, RiskGrade::kLow, Child(15));
  const Alert due = Raised("early-help", arrived);
  EXPECT_FALSE(RaiseNow(rules_, due, arrived, {.last_arrival = arrived}));
  EXPECT_TRUE(RaiseNow(rules_, due, arrived + rules_.settle, {.last_arrival = arrived}));
}

TEST_F(ClosingTest, EarlyHelpIsNotDueForALookedAfterOrKnownChild) {
  const absl::Time start = At("2026-11-01T20:00:00Z");
  Add(MakeEvent("lcs.cov", "PL-1", "placement", 1, Child(15), start - absl::Hours(24 * 60),
                PlacementChanged{.looked_after = true, .placing_authority = "cov"}));
  Police("MP-1", start, start + absl::Hours(2), RiskGrade::kLow, Child(15));
  EXPECT_THAT(Fired(start + absl::Hours(3)), ::testing::Not(::testing::Contains("early-help")));
  Reset();
  Add(MakeEvent("ssda903.cov", "LA-1/2026-01-03", "episode", 2026, Child(15), At("2026-01-03T00:00:00Z"),
                MissingReported{.category = AbsenceCategory::kAwayWithoutAuthorisation, .category_as_recorded = "A"}));
  Police("MP-1", start, start + absl::Hours(2), RiskGrade::kLow, Child(15));
  // The 903 episode is the first, and the return itself says the child is looked after.
  EXPECT_THAT(Fired(start + absl::Hours(3)), ::testing::Not(::testing::Contains("early-help")));
}

TEST_F(ClosingTest, EarlyHelpIsWithdrawnWhenASocialCareRecordOfThatTimeArrivesLater) {
  const absl::Time start = At("2026-11-01T20:00:00Z");
  Police("MP-1", start, start + absl::Hours(2), RiskGrade::kLow, Child(15));
  const Alert alert = Raised("early-help", start + absl::Hours(3));
  Add(MakeEvent("lcs.cov", "PL-1", "placement", 1, Child(15), start - absl::Hours(24 * 30),
                PlacementChanged{.placing_authority = "cov", .social_care_open = true}));
  const std::optional<AlertTransition> t = Review(alert, start + absl::Hours(4));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kWithdraw);
  EXPECT_THAT(t->note, HasSubstr("known to children's social care at the time"));
}

TEST_F(ClosingTest, EarlyHelpIsClosedOnceSocialCareIsInvolvedAfterTheEpisode) {
  const absl::Time start = At("2026-11-01T20:00:00Z");
  Police("MP-1", start, start + absl::Hours(2), RiskGrade::kLow, Child(15));
  const Alert alert = Raised("early-help", start + absl::Hours(3));
  Add(MakeEvent("lcs.cov", "REF-1", "placement", 1, Child(15), start + absl::Hours(24 * 3),
                PlacementChanged{.placing_authority = "cov", .social_care_open = true}));
  const std::optional<AlertTransition> t = Review(alert, start + absl::Hours(24 * 4));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kClose);
  EXPECT_THAT(t->note, HasSubstr("now known to children's social care"));
}

TEST_F(ClosingTest, TriggerPlanMissingIsClosedWhenThePlanIsRecorded) {
  const absl::Time held = At("2026-11-12T10:00:00Z");
  Add(MakeEvent("lcs.cov", "SM-1", "meeting", 1, Child(15), held, StrategyMeetingHeld{.trigger_plan_recorded = false}));
  const Alert alert = Raised("trigger-plan-missing", held + absl::Hours(1));
  Add(MakeEvent("lcs.cov", "SM-1", "meeting", 2, Child(15), held, StrategyMeetingHeld{.trigger_plan_recorded = true}));
  const std::optional<AlertTransition> t = Review(alert, held + absl::Hours(30));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kClose);
  EXPECT_THAT(t->note, HasSubstr("trigger plan is now recorded"));
}

TEST_F(ClosingTest, CategoryMismatchIsClosedWhenTheAgenciesNowAgree) {
  const ChildRef child = Child(15);
  Police("MP-1", At("2026-11-03T19:10:00Z"), At("2026-11-03T23:40:00Z"), RiskGrade::kLow, child,
         AbsenceCategory::kAbsent);
  Add(MakeEvent("home.oak", "OH-1", "absence", 1, child, At("2026-11-03T18:55:00Z"),
                MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "MISSING"}));
  const Alert alert = Raised("category-mismatch", At("2026-11-04T00:00:00Z"));
  Add(MakeEvent("police.wm", "MP-1", "report", 2, child, At("2026-11-03T19:10:00Z"),
                MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "X",
                                .risk_grade = RiskGrade::kLow}));
  const std::optional<AlertTransition> t = Review(alert, At("2026-11-05T00:00:00Z"));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kClose);
}

TEST_F(ClosingTest, AStrategyMeetingActionsTheStrategyMeetingAlertsBeforeIt) {
  const absl::Time start = At("2026-11-20T20:00:00Z");
  Police("MP-1", start, std::nullopt, RiskGrade::kHigh, Child(15));
  const Alert alert = Raised("high-risk", start + absl::Hours(1));
  Add(MakeEvent("lcs.cov", "SM-1", "meeting", 1, Child(15), start + absl::Hours(20),
                StrategyMeetingHeld{.trigger_plan_recorded = true}));
  const std::optional<AlertTransition> t = Review(alert, start + absl::Hours(21));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kAction);
  EXPECT_EQ(t->at, start + absl::Hours(20));
}

TEST_F(ClosingTest, HighRiskStandsAfterADowngrade) {
  const absl::Time start = At("2026-11-20T20:00:00Z");
  Police("MP-1", start, std::nullopt, RiskGrade::kHigh, Child(15));
  const Alert alert = Raised("high-risk", start + absl::Hours(1));
  Add(MakeEvent("police.wm", "MP-1", "regrade-1", 1, Child(15), start + absl::Hours(5),
                RiskRegraded{.from_grade = RiskGrade::kHigh, .to_grade = RiskGrade::kLow}));
  EXPECT_FALSE(Review(alert, start + absl::Hours(6)).has_value()) << "the child was graded high during the episode";
}

TEST_F(ClosingTest, YoungChildIsWithdrawnWhenTheDateOfBirthIsCorrected) {
  const absl::Time start = At("2026-11-20T20:00:00Z");
  Police("MP-1", start, start + absl::Hours(2), RiskGrade::kLow, Child(12));
  const Alert alert = Raised("young-child", start + absl::Hours(3));
  Event corrected = MakeEvent("police.wm", "MP-1", "report", 2, Child(16), start,
                              MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "X",
                                              .risk_grade = RiskGrade::kLow});
  corrected.recorded_at = start + absl::Hours(24);
  Add(corrected);
  const std::optional<AlertTransition> t = Review(alert, start + absl::Hours(25));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kWithdraw);
  EXPECT_THAT(t->note, HasSubstr("gives age 16"));
}

TEST_F(ClosingTest, RepeatMissingIsWithdrawnWhenTwoReportsTurnOutToBeOneEpisode) {
  const ChildRef boy = Child(15);
  const absl::Time t0 = At("2026-08-01T20:00:00Z");
  Police("MP-1", t0, t0 + absl::Hours(5), RiskGrade::kMedium, boy);
  Police("MP-2", t0 + absl::Hours(24 * 17), t0 + absl::Hours(24 * 17 + 6), RiskGrade::kMedium, boy);
  Police("MP-3", t0 + absl::Hours(24 * 39), t0 + absl::Hours(24 * 39 + 4), RiskGrade::kMedium, boy);
  const Alert alert = Raised("repeat-missing", t0 + absl::Hours(24 * 40));
  // MP-2 was entered with the wrong date: it was the same absence as MP-1.
  Add(MakeEvent("police.wm", "MP-2", "report", 2, boy, t0 + absl::Hours(1),
                MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "X",
                                .risk_grade = RiskGrade::kMedium}));
  Add(MakeEvent("police.wm", "MP-2", "found", 2, boy, t0 + absl::Hours(4), FoundReturned{}));
  const std::optional<AlertTransition> t = Review(alert, t0 + absl::Hours(24 * 41));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kWithdraw);
}

TEST_F(ClosingTest, ExploitationIsWithdrawnWhenTheRecordIsAmendedToRecordNone) {
  const absl::Time at = At("2026-11-20T20:00:00Z");
  Add(MakeEvent("police.wm", "MP-1", "marker-cse", 1, Child(15), at, ExploitationConcern{.type = ExploitationType::kCse}));
  const Alert alert = Raised("exploitation", at + absl::Hours(1));
  Add(MakeEvent("police.wm", "MP-1", "marker-cse", 2, Child(15), at,
                ChronologyNote{.kind = "marker-removed", .summary = "entered in error"}));
  const std::optional<AlertTransition> t = Review(alert, at + absl::Hours(2));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kWithdraw);
}

TEST_F(ClosingTest, NormalisedRiskIsWithdrawnWhenAnEpisodeTurnsOutGradedHigher) {
  const ChildRef boy = Child(15);
  const absl::Time t0 = At("2026-08-01T20:00:00Z");
  for (int day : {0, 17, 39}) {
    Police(absl::StrCat("MP-", day), t0 + absl::Hours(24 * day), t0 + absl::Hours(24 * day + 5), RiskGrade::kLow, boy);
  }
  const Alert alert = Raised("normalised-risk", t0 + absl::Hours(24 * 40));
  Add(MakeEvent("police.wm", "MP-17", "report", 2, boy, t0 + absl::Hours(24 * 17),
                MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "X",
                                .risk_grade = RiskGrade::kMedium}));
  const std::optional<AlertTransition> t = Review(alert, t0 + absl::Hours(24 * 41));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kWithdraw);
}

TEST_F(ClosingTest, ImpossibleTimesIsClosedWhenTheTimesAreCorrected) {
  Add(MakeEvent("police.wm", "MP-1", "found", 1, Child(15), At("2026-10-01T08:00:00Z"), FoundReturned{}));
  Add(MakeEvent("police.wm", "MP-1", "report", 1, Child(15), At("2026-10-01T10:00:00Z"),
                MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "X",
                                .risk_grade = RiskGrade::kLow}));
  const Alert alert = Raised("impossible-times", At("2026-10-02T00:00:00Z"));
  Add(MakeEvent("police.wm", "MP-1", "found", 2, Child(15), At("2026-10-01T18:00:00Z"), FoundReturned{}));
  const std::optional<AlertTransition> t = Review(alert, At("2026-10-03T00:00:00Z"));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kClose);
  EXPECT_THAT(t->note, HasSubstr("now in order"));
}

TEST_F(ClosingTest, OutOfAreaIsWithdrawnWhenThePlacementTurnsOutInArea) {
  const absl::Time report = At("2026-11-20T22:00:00Z");
  Add(MakeEvent("lcs.cov", "PL-1", "placement", 1, Child(15), At("2026-09-14T12:00:00Z"),
                PlacementChanged{.looked_after = true, .placing_authority = "coventry", .host_authority = "warwickshire",
                                 .social_care_open = true}));
  Add(MakeEvent("home.brook", "BH-1", "absence", 1, Child(15), report,
                MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "MISSING"}));
  const Alert alert = Raised("out-of-area", report + absl::Minutes(5));
  Add(MakeEvent("lcs.cov", "PL-1", "placement", 2, Child(15), At("2026-09-14T12:00:00Z"),
                PlacementChanged{.looked_after = true, .placing_authority = "coventry", .host_authority = "coventry",
                                 .social_care_open = true}));
  const std::optional<AlertTransition> t = Review(alert, report + absl::Hours(1));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kWithdraw);
}

TEST_F(ClosingTest, AnAlertOfAnotherRuleVersionIsNotJudgedByTheNewRule) {
  const absl::Time start = At("2026-11-20T22:00:00Z");
  Police("MP-1", start, std::nullopt, RiskGrade::kMedium, Child(15));
  Alert alert = Raised("long-missing", start + absl::Hours(24));
  alert.rule_version = 0;  // raised under an earlier version of the rules file
  Add(MakeEvent("police.wm", "MP-1", "found", 1, Child(15), start + absl::Hours(2), FoundReturned{}));
  EXPECT_FALSE(Review(alert, start + absl::Hours(25)).has_value());
}

// Issue 12: the profile showed "2 in 90 days" where the child's own alert counted 3.
TEST_F(ClosingTest, TheProfileCountsTheEpisodesTheRuleCounts) {
  const ChildRef boy = Child(15);
  const absl::Time t0 = At("2026-06-01T20:00:00Z");
  for (int day : {0, 30, 80}) {
    Police(absl::StrCat("MP-", day), t0 + absl::Hours(24 * day), t0 + absl::Hours(24 * day + 2), RiskGrade::kMedium, boy);
  }
  const absl::Time now = t0 + absl::Hours(24 * 140);  // the first two are now older than 90 days
  const Alert alert = Raised("repeat-missing", now);
  EXPECT_THAT(alert.reason, HasSubstr("3 episodes within 90 days"));
  absl::StatusOr<ChildProfile> profile = store_->Profile("nhs:999", now, {.repeat_window = absl::Hours(24 * 90)});
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->episodes_in_repeat_window, 3);
  EXPECT_EQ(profile->episodes_last_90_days, 1);  // counted to now: a different question, labelled as such
}

// ---- alerts follow the child's identity ----

TEST(FollowIdentity, AlertsRaisedUnderAnotherIdAreReKeyedAndOneOccasionIsMerged) {
  Alert police{.alert_id = "young-child:police.wm/MP-1", .child_id = ChildId("police:wm/PP-1"), .rule_id = "young-child",
               .raised_at = At("2026-11-01T00:00:00Z"), .anchor_event_ids = {"police.wm/MP-1/report@1"}};
  Alert home{.alert_id = "young-child:home.oak/OH-1", .child_id = ChildId("record:home.oak/OH-1"), .rule_id = "young-child",
             .raised_at = At("2026-11-01T00:00:05Z"), .anchor_event_ids = {"home.oak/OH-1/absence@1"}};
  home.state = AlertState::kAcknowledged;
  home.acknowledged_by = "duty-7";
  home.history = {{.alert_id = home.alert_id, .kind = TransitionKind::kAcknowledge, .by = "duty-7",
                   .at = At("2026-11-01T00:10:00Z")}};
  // Linked, the two records are one episode: the rule now calls for one alert on both.
  const Alert occasion{.alert_id = "young-child:home.oak/OH-1", .rule_id = "young-child",
                       .anchor_event_ids = {"home.oak/OH-1/absence@1", "police.wm/MP-1/report@1"}};
  const std::vector<AlertTransition> ts =
      FollowIdentity(ChildId("police:wm/PP-1"), {&home, &police}, {occasion}, At("2026-11-02T00:00:00Z"), "linked");
  ASSERT_EQ(ts.size(), 3u);
  EXPECT_EQ(ts[0].kind, TransitionKind::kRekey);
  EXPECT_EQ(ts[0].alert_id, home.alert_id);
  EXPECT_EQ(ts[0].child_id, ChildId("police:wm/PP-1"));
  EXPECT_EQ(ts[1].kind, TransitionKind::kMerge);
  EXPECT_EQ(ts[1].alert_id, home.alert_id);  // the later raised goes into the earlier
  EXPECT_EQ(ts[1].merged_into, police.alert_id);
  EXPECT_EQ(ts[2].kind, TransitionKind::kAcknowledge);  // the team had seen it
  EXPECT_EQ(ts[2].alert_id, police.alert_id);
  EXPECT_EQ(ts[2].by, "duty-7");
  EXPECT_EQ(ts[2].at, At("2026-11-01T00:10:00Z"));
}

}  // namespace
}  // namespace homeward::aggregator

// Issue 16, point 3: what a child said in a return home interview becomes a planning task for
// their allocated team, due within 5 working days, done when social care records the plan update.
namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::testing::HasSubstr;

class RhiFindingsTest : public ClosingTest {
 protected:
  void Interview(InterviewOutcome outcome, absl::Time at, std::vector<std::string> push = {"arguments at home"},
                 bool harm = false) {
    Add(MakeEvent("rhi.cov", "RHI-9", "outcome", 1, Child(15), at,
                  ReturnInterview{.outcome = outcome, .push_factors = std::move(push), .harm_disclosed = harm,
                                  .childs_own_words = "I didn't want to go home", .episode_ref = "MP-1"}));
  }
};

TEST_F(RhiFindingsTest, FindingsRaiseATaskForTheAllocatedTeamDueInFiveWorkingDays) {
  Add(MakeEvent("lcs.cov", "PL-1", "placement", 1, Child(15), At("2026-09-01T00:00:00Z"),
                PlacementChanged{.allocated_team = "cs-north", .social_care_open = true}));
  const absl::Time friday = At("2026-11-13T15:00:00Z");
  Interview(InterviewOutcome::kCompleted, friday);
  const Alert task = Raised("rhi-findings", friday + absl::Hours(1));
  EXPECT_EQ(task.severity, "planning task");
  EXPECT_EQ(task.team, "cs-north");
  EXPECT_EQ(task.due_at, At("2026-11-20T15:00:00Z"));  // Friday + 5 working days: the next Friday
  EXPECT_THAT(task.reason, HasSubstr("push factors: arguments at home"));
  EXPECT_THAT(task.reason, HasSubstr("in the child's words: \"I didn't want to go home\""));
  EXPECT_TRUE(IsPlanningTask(task));
}

TEST_F(RhiFindingsTest, NoTaskForAnInterviewWithoutFindingsOrNotCompleted) {
  Interview(InterviewOutcome::kCompleted, At("2026-11-13T15:00:00Z"), {}, false);
  Interview(InterviewOutcome::kDeclined, At("2026-11-14T15:00:00Z"), {"arguments at home"});
  for (const Alert& a : Alerts(At("2026-11-20T00:00:00Z"))) EXPECT_NE(a.rule_id, "rhi-findings") << a.reason;
}

TEST_F(RhiFindingsTest, WithoutAnAllocatedTeamTheTaskGoesToTheRulesTeam) {
  Interview(InterviewOutcome::kCompleted, At("2026-11-13T15:00:00Z"), {}, /*harm=*/true);
  const Alert task = Raised("rhi-findings", At("2026-11-14T00:00:00Z"));
  EXPECT_EQ(task.team, "children-social-care");
  EXPECT_THAT(task.reason, HasSubstr("harm disclosed"));
}

TEST_F(RhiFindingsTest, ASocialCarePlanUpdateAfterTheInterviewMarksItDone) {
  const absl::Time done = At("2026-11-13T15:00:00Z");
  Interview(InterviewOutcome::kCompleted, done);
  const Alert task = Raised("rhi-findings", done + absl::Hours(1));
  // A plan update from before the interview, or a note from another agency, does not count.
  Add(MakeEvent("lcs.cov", "N-0", "note", 1, Child(15), done - absl::Hours(24),
                ChronologyNote{.kind = "plan-updated", .summary = "earlier plan"}));
  Add(MakeEvent("rhi.cov", "N-1", "note", 1, Child(15), done + absl::Hours(2),
                ChronologyNote{.kind = "plan-updated", .summary = "not social care"}));
  EXPECT_FALSE(Review(task, done + absl::Hours(3)).has_value());
  Add(MakeEvent("lcs.cov", "N-2", "note", 1, Child(15), At("2026-11-18T10:00:00Z"),
                ChronologyNote{.kind = "plan-updated", .summary = "RHI findings added to the care plan"}));
  const std::optional<AlertTransition> t = Review(task, At("2026-11-18T11:00:00Z"));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, TransitionKind::kAction);
  EXPECT_EQ(t->at, At("2026-11-18T10:00:00Z"));
  EXPECT_THAT(t->note, HasSubstr("recorded in the plan"));
  EXPECT_THAT(t->note, HasSubstr("on time"));
}

TEST(AlertBook, APlanningTaskEscalatesWhenOverdueNotWhenUnacknowledged) {
  AlertBook book;
  book.Raise({.alert_id = "t", .severity = "planning task", .raised_at = At("2026-11-13T15:00:00Z"),
              .due_at = At("2026-11-20T15:00:00Z")});
  EXPECT_THAT(book.DueForEscalation(absl::Minutes(30), At("2026-11-14T00:00:00Z")), ::testing::IsEmpty());
  EXPECT_THAT(book.OverdueTasks(At("2026-11-20T14:59:59Z")), ::testing::IsEmpty());
  ASSERT_EQ(book.OverdueTasks(At("2026-11-20T15:00:00Z")).size(), 1u);
  // Recorded in the plan: no longer due to escalate.
  book.Apply({.alert_id = "t", .kind = TransitionKind::kAction, .by = "hub", .at = At("2026-11-19T00:00:00Z")});
  EXPECT_THAT(book.OverdueTasks(At("2026-11-21T00:00:00Z")), ::testing::IsEmpty());
}

}  // namespace
}  // namespace homeward::aggregator
