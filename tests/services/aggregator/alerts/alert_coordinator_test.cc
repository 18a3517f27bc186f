// The AlertCoordinator without Kafka: an in-memory publisher, and what it accepted read back as
// the alerts topic would give it (a "log" of records with positions).
#include "services/aggregator/alerts/alert_coordinator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/metrics/registry.h"
#include "services/aggregator/alerts/rules_file.h"
#include "tests/testing/alert_pages.h"
#include "tests/testing/eventually.h"
#include "tests/testing/events.h"
#include "tests/testing/fake_publisher.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::Eventually;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::PoliceChild;
using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;

class AlertCoordinatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<RuleSet> rules = LoadRulesFile(std::string(HOMEWARD_SOURCE_DIR) + "/config/rules.json");
    ASSERT_TRUE(rules.ok()) << rules.status();
    coordinator_ = std::make_unique<AlertCoordinator>(*rules, chronology_, publisher_, clock_);
  }

  void Apply(const std::vector<Event>& events) {
    for (const Event& e : events) chronology_.Apply(e, clock_.Now());
    coordinator_->OnEventsApplied(events);
  }
  // Reads back what was published since the last call, as the consumer would, in epoch `epoch`.
  // Returns how many records it read.
  size_t ReadBack(int64_t epoch = 0) {
    std::vector<OutboundMessage> published;
    {
      absl::MutexLock lock(&publisher_.mu);
      published.assign(publisher_.accepted.begin() + read_, publisher_.accepted.end());
      read_ = publisher_.accepted.size();
    }
    for (const OutboundMessage& m : published) {
      coordinator_->OnAlertRecord(StoredAlertRecord{.epoch = epoch, .partition = 0, .offset = offset_++, .bytes = m.value});
    }
    return published.size();
  }
  size_t Unread() {
    absl::MutexLock lock(&publisher_.mu);
    return publisher_.accepted.size() - read_;
  }
  std::vector<Alert> All(AlertQuery q = {}) { return testing::AllAlerts(*coordinator_, std::move(q)); }

  FakeClock clock_{At("2026-11-21T00:00:00Z")};
  ChronologyStore chronology_;
  testing::FakePublisher publisher_;
  std::unique_ptr<AlertCoordinator> coordinator_;
  size_t read_ = 0;
  int64_t offset_ = 0;
};

TEST_F(AlertCoordinatorTest, AGapsAlertIsClosedWhenTheGapIsAccepted) {
  LogGap gap{.tp = {"homeward.events.v1", 3}, .from = 100, .to = 250, .detected_at = clock_.Now()};
  coordinator_->OnLogGap(gap);
  ASSERT_EQ(ReadBack(), 1u);
  ASSERT_EQ(All().size(), 1u);
  EXPECT_EQ(All()[0].state, AlertState::kRaised);
  gap.accepted_at = clock_.Now() + absl::Hours(1);
  gap.accepted_by = "admin-1";
  coordinator_->OnLogGapAccepted(gap);
  ASSERT_EQ(ReadBack(), 1u);
  EXPECT_EQ(All()[0].state, AlertState::kClosed);
  EXPECT_EQ(All()[0].history.back().note, "gap accepted by admin-1");
}

// Monitoring (docs/operations.md): alerts new to the book after start are counted by rule, and
// the census says how many are in each state and how old the oldest unacknowledged one is.
TEST_F(AlertCoordinatorTest, AlertsRaisedAreCountedByRuleAndTheBookIsCensused) {
  metrics::Registry registry;
  coordinator_ = std::make_unique<AlertCoordinator>(coordinator_->rules(), chronology_, publisher_, clock_, registry);
  LogGap replayed{.tp = {"homeward.events.v1", 1}, .from = 1, .to = 2, .detected_at = clock_.Now()};
  coordinator_->OnLogGap(replayed);
  ASSERT_EQ(ReadBack(), 1u);  // folded before the start (as on replay): not counted as raised
  coordinator_->EvaluateAll();
  LogGap gap{.tp = {"homeward.events.v1", 3}, .from = 100, .to = 250, .detected_at = clock_.Now()};
  coordinator_->OnLogGap(gap);
  ASSERT_EQ(ReadBack(), 1u);
  EXPECT_EQ(registry.Value("homeward_alerts_raised_total", {{"rule", "log-gap"}}), 1);

  clock_.Set(clock_.Now() + absl::Minutes(30));
  AlertCensus census = coordinator_->Census();
  const std::string severity = All()[0].severity;
  EXPECT_EQ(census.by_state_and_severity[std::make_pair(AlertState::kRaised, severity)], 2);
  ASSERT_TRUE(census.oldest_unacknowledged.has_value());
  EXPECT_EQ(*census.oldest_unacknowledged, clock_.Now() - absl::Minutes(30));

  gap.accepted_at = clock_.Now();
  gap.accepted_by = "admin-1";
  coordinator_->OnLogGapAccepted(gap);
  ASSERT_EQ(ReadBack(), 1u);
  census = coordinator_->Census();
  EXPECT_EQ(census.by_state_and_severity[std::make_pair(AlertState::kRaised, severity)], 1);
  EXPECT_EQ(census.by_state_and_severity[std::make_pair(AlertState::kClosed, severity)], 1);
}

// However many alerts an import calls for, at most kMaxAlertRecordsInFlight are on the topic
// unread; the rest follow as those are read back.
TEST_F(AlertCoordinatorTest, AnAlertStormNeverOutrunsTheLog) {
  std::vector<Event> reports;
  for (int i = 0; i < 1500; ++i) {  // high risk and a first episode: two alerts each, 3,000 in all
    reports.push_back(MakeEvent("police.test", absl::StrCat("MP-", i), "report", 1,
                                PoliceChild(absl::StrCat("PP-", i)), clock_.Now() - absl::Minutes(5),
                                MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh}));
  }
  Apply(reports);
  clock_.Set(clock_.Now() + absl::Minutes(2));  // past early-help's settling window
  coordinator_->Tick();
  EXPECT_LE(Unread(), kMaxAlertRecordsInFlight);
  for (int round = 0; round < 20 && Unread() > 0; ++round) {
    ReadBack();
    coordinator_->Tick();
    EXPECT_LE(Unread(), kMaxAlertRecordsInFlight);
  }
  EXPECT_EQ(All({.rule_ids = {"high-risk"}}).size(), 1500u);
  EXPECT_EQ(All({.rule_ids = {"early-help"}}).size(), 1500u);
}

// Catch-up mode: far behind the log, the rules wait; each child is evaluated once when the
// backlog is read (not after every batch), and no later than kMaxCatchUpDelay in any case.
TEST_F(AlertCoordinatorTest, CatchingUpEvaluatesEachChildOnceTheBacklogIsRead) {
  const auto report = [&](const std::string& record, const std::string& person) {
    return MakeEvent("police.test", record, "report", 1, PoliceChild(person), clock_.Now() - absl::Minutes(5),
                     MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh});
  };
  coordinator_->OnBacklog(kCatchUpBacklog + 1);
  Apply({report("MP-1", "PP-1")});
  Apply({report("MP-2", "PP-2")});
  coordinator_->Tick();
  EXPECT_EQ(Unread(), 0u) << "nothing is evaluated while far behind";

  coordinator_->OnBacklog(kCatchUpBacklog);  // at the threshold: caught up
  coordinator_->Tick();
  ReadBack();
  EXPECT_EQ(All({.rule_ids = {"high-risk"}}).size(), 2u);
}

TEST_F(AlertCoordinatorTest, CatchingUpNeverPutsAnAlertOffForLong) {
  coordinator_->OnBacklog(1'000'000);  // and it stays behind
  Apply({MakeEvent("police.test", "MP-1", "report", 1, PoliceChild("PP-1"), clock_.Now() - absl::Minutes(5),
                   MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh})});
  clock_.Set(clock_.Now() + kMaxCatchUpDelay - absl::Seconds(1));
  coordinator_->Tick();
  EXPECT_EQ(Unread(), 0u);
  clock_.Set(clock_.Now() + absl::Seconds(1));
  coordinator_->Tick();
  ReadBack();
  EXPECT_EQ(All({.rule_ids = {"high-risk"}}).size(), 1u);
}

TEST_F(AlertCoordinatorTest, AlertsAreReKeyedWhenACoordinatorLinksRecords) {
  const Event report = MakeEvent("police.test", "MP-1", "report", 1, PoliceChild("PP-1"), clock_.Now(),
                                 MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh});
  Apply({report});
  ReadBack();
  ASSERT_THAT(All({.child_ids = {"police:test-force/PP-1"}}), Not(IsEmpty()));
  // Social care knows the same child by its LA id only; a coordinator links the two.
  Event link = MakeEvent("homeward.identity", "D-1", "decision", 1, ChildRef{}, clock_.Now(),
                         IdentityDecision{.identifier_a = "police:test-force/PP-1", .identifier_b = "la:cov/LA-9",
                                          .link = true, .decided_by = "cw-1", .reason = "same child"});
  Apply({MakeEvent("lcs.cov", "N-1", "note", 1, ChildRef{.la_child_id = "LA-9", .local_authority = "cov"},
                   clock_.Now(), ChronologyNote{.kind = "contact", .summary = "visit"}),
         link});
  ReadBack();
  const ChildId child = *chronology_.ResolveChild("la:cov/LA-9");
  ASSERT_NE(child, ChildId("police:test-force/PP-1")) << "the link should give the child a new id";
  const std::vector<Alert> alerts = All({.child_ids = {child.value()}});
  ASSERT_THAT(alerts, Not(IsEmpty()));
  for (const Alert& a : alerts) {
    EXPECT_EQ(a.child_id, child);
    EXPECT_EQ(a.raised_for_child_id, ChildId("police:test-force/PP-1"));
    std::vector<TransitionKind> kinds;
    for (const AlertTransition& t : a.history) kinds.push_back(t.kind);
    EXPECT_THAT(kinds, Contains(TransitionKind::kRekey));
  }
}

TEST_F(AlertCoordinatorTest, TheFeedOfANewEpochComesAfterEveryCursorOfTheOldOne) {
  coordinator_->OnLogGap({.tp = {"homeward.events.v1", 0}, .from = 1, .to = 2, .detected_at = clock_.Now()});
  ReadBack(/*epoch=*/0);
  size_t scan = 0;
  const std::vector<AlertUpdate> old = coordinator_->FeedAfter({}, {}, 10, scan);
  ASSERT_EQ(old.size(), 1u);
  // The alerts topic is new (a fresh embedded Kafka): its offsets start at 0 again.
  offset_ = 0;
  coordinator_->OnLogGap({.tp = {"homeward.events.v1", 1}, .from = 1, .to = 2, .detected_at = clock_.Now()});
  ReadBack(/*epoch=*/1);
  scan = 0;
  const std::vector<AlertUpdate> after = coordinator_->FeedAfter(old.back().position, {}, 10, scan);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].alert.alert_id, "log-gap:homeward.events.v1/1/1");
  EXPECT_EQ(after[0].cursor, "1/0:0");
  absl::StatusOr<FeedCursor> legacy = ParseCursor("0:0");  // a cursor issued before epochs
  ASSERT_TRUE(legacy.ok());
  scan = 0;
  EXPECT_EQ(coordinator_->FeedAfter(*legacy, {}, 10, scan).size(), 1u);
  EXPECT_FALSE(ParseCursor("x/0:1").ok());
}

// Provisional delivery (docs/alerts.md): a new alert is offered to this replica's subscribers
// from the moment it is raised until its topic copy is read back; it is in the book, the lists
// and the feed only from then.
Event HighRiskReport(const std::string& record, const std::string& person, absl::Time at) {
  return MakeEvent("police.test", record, "report", 1, PoliceChild(person), at,
                   MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh});
}

std::vector<std::string> Ids(const std::vector<AlertUpdate>& updates) {
  std::vector<std::string> ids;
  for (const AlertUpdate& u : updates) ids.push_back(u.alert.alert_id);
  return ids;
}

TEST_F(AlertCoordinatorTest, ANewAlertIsProvisionalUntilItsTopicCopyIsReadBack) {
  std::atomic<int> notified = 0;
  const int id = coordinator_->Subscribe([&] { ++notified; });
  Apply({HighRiskReport("MP-1", "PP-1", clock_.Now())});
  EXPECT_TRUE(Eventually([&] { return notified >= 1; })) << "subscribers are woken when the alert is raised";
  coordinator_->Unsubscribe(id);  // before `notified` goes

  uint64_t after = 0;
  const std::vector<AlertUpdate> provisional = coordinator_->ProvisionalAfter(after, {}, 10);
  ASSERT_THAT(Ids(provisional), Contains("high-risk:police.test/MP-1"));
  for (const AlertUpdate& u : provisional) {
    EXPECT_TRUE(u.provisional);
    EXPECT_EQ(u.alert.state, AlertState::kRaised);
    EXPECT_TRUE(u.cursor.empty());
  }
  EXPECT_THAT(coordinator_->ProvisionalAfter(after, {}, 10), IsEmpty()) << "offered once";
  uint64_t from_start = 0;
  EXPECT_THAT(coordinator_->ProvisionalAfter(from_start, {.team = "no-such-team"}, 10), IsEmpty());
  EXPECT_THAT(All(), IsEmpty()) << "not listed before the topic holds it";
  EXPECT_FALSE(coordinator_->Find("high-risk:police.test/MP-1").has_value());
  size_t scan = 0;
  EXPECT_THAT(coordinator_->FeedAfter({}, {}, 10, scan), IsEmpty());

  ReadBack();
  from_start = 0;
  EXPECT_THAT(coordinator_->ProvisionalAfter(from_start, {}, 10), IsEmpty()) << "confirmed: no longer provisional";
  scan = 0;
  const std::vector<AlertUpdate> feed = coordinator_->FeedAfter({}, {}, 10, scan);
  EXPECT_THAT(Ids(feed), Contains("high-risk:police.test/MP-1"));
  for (const AlertUpdate& u : feed) EXPECT_FALSE(u.provisional);
  EXPECT_THAT(All({.rule_ids = {"high-risk"}}), ::testing::SizeIs(1));
}

TEST_F(AlertCoordinatorTest, AnAlertTheTopicRefusedIsWithdrawnFromSubscribersAndRaisedAgainAtTheNextTick) {
  publisher_.verdict = [](const OutboundMessage&) { return absl::UnavailableError("broker down"); };
  Apply({HighRiskReport("MP-1", "PP-1", clock_.Now())});
  uint64_t after = 0;
  EXPECT_THAT(coordinator_->ProvisionalAfter(after, {}, 10), IsEmpty())
      << "the topic refused it: no subscriber may be offered it any more";

  publisher_.verdict = [](const OutboundMessage&) { return absl::OkStatus(); };
  clock_.Set(clock_.Now() + absl::Seconds(1));
  coordinator_->Tick();  // evaluated again without waiting for the child's next record
  EXPECT_THAT(Ids(coordinator_->ProvisionalAfter(after, {}, 10)), Contains("high-risk:police.test/MP-1"));
  ReadBack();
  EXPECT_THAT(All({.rule_ids = {"high-risk"}}), ::testing::SizeIs(1));
}

// A replica that stops after raising an alert and before the topic holds it: after the restart
// it knows only what the topic holds (nothing), and the rules raise the alert again, with the
// same id, which is then confirmed once.
TEST_F(AlertCoordinatorTest, AReplicaThatStopsBeforeTheTopicHoldsItsAlertShowsOnlyWhatTheLogHolds) {
  const Event report = HighRiskReport("MP-1", "PP-1", clock_.Now());
  Apply({report});
  uint64_t after = 0;
  ASSERT_THAT(Ids(coordinator_->ProvisionalAfter(after, {}, 10)), Contains("high-risk:police.test/MP-1"));
  {
    absl::MutexLock lock(&publisher_.mu);
    publisher_.accepted.clear();  // the produce never reached the brokers
  }

  // The restart: a new chronology replayed from the store, a new coordinator folding the topic.
  ChronologyStore replayed;
  replayed.Apply(report, clock_.Now());
  coordinator_ = std::make_unique<AlertCoordinator>(coordinator_->rules(), replayed, publisher_, clock_);
  read_ = 0;
  EXPECT_THAT(All(), IsEmpty());
  size_t scan = 0;
  EXPECT_THAT(coordinator_->FeedAfter({}, {}, 10, scan), IsEmpty());
  after = 0;
  EXPECT_THAT(coordinator_->ProvisionalAfter(after, {}, 10), IsEmpty());

  coordinator_->EvaluateAll();
  clock_.Set(clock_.Now() + absl::Minutes(2));  // past the settling window that follows a start
  coordinator_->Tick();
  EXPECT_THAT(Ids(coordinator_->ProvisionalAfter(after, {}, 10)), Contains("high-risk:police.test/MP-1"));
  ReadBack();
  scan = 0;
  EXPECT_EQ(absl::c_count(Ids(coordinator_->FeedAfter({}, {}, 100, scan)), "high-risk:police.test/MP-1"), 1);
  coordinator_.reset();  // before `replayed`, which it reads
}

TEST(ChildTimesTest, ChildrenAreDueInTimeOrderAndEachOnlyAtItsLatestTime) {
  const absl::Time t0 = At("2026-11-21T00:00:00Z");
  ChildTimes due;
  EXPECT_EQ(due.earliest(), std::nullopt);
  due.Set(ChildId("c"), t0 + absl::Hours(2));
  due.Set(ChildId("b"), t0 + absl::Hours(1));
  due.Set(ChildId("a"), t0 + absl::Hours(1));
  due.Set(ChildId("d"), t0 + absl::Hours(5));
  EXPECT_EQ(due.earliest(), t0 + absl::Hours(1));
  EXPECT_THAT(due.UpTo(t0 + absl::Hours(2)), ::testing::ElementsAre(ChildId("a"), ChildId("b"), ChildId("c")));
  EXPECT_THAT(due.UpTo(t0), IsEmpty());
  due.Set(ChildId("a"), t0 + absl::Hours(9));  // moved later: no longer due at 2 h, nor listed twice
  due.Erase(ChildId("c"));
  due.Erase(ChildId("never there"));
  EXPECT_THAT(due.UpTo(t0 + absl::Hours(9)), ::testing::ElementsAre(ChildId("b"), ChildId("d"), ChildId("a")));
  EXPECT_EQ(due.At(ChildId("a")), t0 + absl::Hours(9));
  EXPECT_EQ(due.At(ChildId("c")), std::nullopt);
  EXPECT_EQ(due.size(), 3u);
  due.EraseBefore(t0 + absl::Hours(5));  // b (1 h) goes; d, at exactly 5 h, stays
  EXPECT_THAT(due.UpTo(absl::InfiniteFuture()), ::testing::ElementsAre(ChildId("d"), ChildId("a")));
  EXPECT_EQ(due.At(ChildId("b")), std::nullopt);
  EXPECT_EQ(due.size(), 2u);
}

// The same as the child -> time map the coordinator kept before, through any mix of changes.
TEST(ChildTimesTest, AgreesWithAPlainMapThroughRandomChanges) {
  const absl::Time t0 = At("2026-11-21T00:00:00Z");
  std::mt19937 random(15);
  ChildTimes due;
  std::map<ChildId, absl::Time> plain;
  for (int step = 0; step < 20'000; ++step) {
    const ChildId child(absl::StrCat("child-", random() % 300));
    const absl::Time at = t0 + absl::Minutes(random() % 100);
    if (random() % 4 == 0) {
      due.Erase(child);
      plain.erase(child);
    } else if (random() % 50 == 0) {
      due.EraseBefore(at);
      std::erase_if(plain, [&](const auto& entry) { return entry.second < at; });
    } else {
      due.Set(child, at);
      plain[child] = at;
    }
    if (step % 500 == 0) {
      const absl::Time now = t0 + absl::Minutes(random() % 100);
      std::vector<std::pair<absl::Time, ChildId>> expected;
      for (const auto& [c, t] : plain) {
        if (t <= now) expected.emplace_back(t, c);
      }
      std::sort(expected.begin(), expected.end());
      std::vector<ChildId> expected_children;
      for (const auto& [t, c] : expected) expected_children.push_back(c);
      ASSERT_EQ(due.UpTo(now), expected_children) << "step " << step;
      ASSERT_EQ(due.size(), plain.size());
    }
  }
}

}  // namespace
}  // namespace homeward::aggregator
