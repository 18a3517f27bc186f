// The rules registry, the rules history and the what-if replay (issue 16, point 1).
#include "services/aggregator/domain/rules/what_if.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "services/aggregator/alerts/rules_file.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/history.h"
#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::PoliceChild;
using ::homeward::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kRoot = HOMEWARD_SOURCE_DIR;

RuleSet Shipped() {
  auto rules = LoadRulesFile(kRoot + "/config/rules.json");
  EXPECT_TRUE(rules.ok()) << rules.status();
  return *rules;
}

RuleConfig& Rule(RuleSet& set, const std::string& id) {
  for (RuleConfig& r : set.rules) {
    if (r.id == id) return r;
  }
  std::abort();
}

// ---- The registry and typed parameters ----

TEST(RuleRegistry, EveryShippedRuleIsDefinedOnceWithItsParameters) {
  std::vector<std::string> ids;
  for (const rules::RuleDefinition* r : rules::Registry()) ids.push_back(r->id);
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end()) << "a rule id is in the registry twice";
  for (const RuleConfig& config : Shipped().rules) {
    const rules::RuleDefinition* definition = rules::FindRule(config.id);
    ASSERT_NE(definition, nullptr) << config.id;
    EXPECT_FALSE(definition->source.empty()) << config.id << " cites no source";
    EXPECT_EQ(config.params.size(), definition->params.size()) << config.id;
    // Raised from the records, except log-gap (the ingestor raises it).
    EXPECT_EQ(definition->evaluate == nullptr, config.id == "log-gap") << config.id;
    EXPECT_EQ(definition->time_rule, definition->next_due != nullptr) << config.id;
  }
  EXPECT_EQ(ids.size(), Shipped().rules.size());
}

TEST(RuleRegistry, ParametersAreCheckedAgainstTheirTypesAndRanges) {
  const auto parse = [](const std::string& params) {
    return ParseRulesFile(R"({"default_authority": "c", "rules": [{"id": "repeat-missing", "version": 1,
        "severity": "strategy meeting", "team": "t", "recommended_action": "a", "params": )" + params + "}]}");
  };
  EXPECT_TRUE(parse(R"({"count": 3, "window_days": 30})").ok());
  EXPECT_TRUE(parse(R"({"count": 3, "window_days": 1.5})").ok()) << "days may be fractions";
  EXPECT_THAT(parse(R"({"count": 2.5, "window_days": 30})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("params.count: required (a whole number: episodes (N)")));
  EXPECT_THAT(parse(R"({"count": 3, "window_days": 0})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("params.window_days: required (a number of days")));
  EXPECT_THAT(parse(R"({"count": 3, "window_days": 4000})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("from 1 to 3650")));
}

TEST(RuleRegistry, ARuleSetMadeInCodeFormatsToAFileThatReadsBackTheSame) {
  RuleSet set = Shipped();
  Rule(set, "repeat-missing").params["window_days"] = 30.5;
  Rule(set, "early-help").enabled = false;
  Rule(set, "exploitation").recommended_action = "Say \"now\"\nand act";
  absl::StatusOr<RuleSet> back = ParseRulesFile(FormatRulesFile(set));
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << FormatRulesFile(set);
  EXPECT_THAT(rules::DiffRuleSets(set, *back), IsEmpty());
}

// ---- The rules history ----

TEST(RulesHistory, DiffNamesEachChangeOfEachRule) {
  const RuleSet before = Shipped();
  RuleSet after = before;
  Rule(after, "repeat-missing").version = 2;
  Rule(after, "repeat-missing").params["window_days"] = 30;
  Rule(after, "early-help").enabled = false;
  after.settle = absl::Seconds(120);
  EXPECT_THAT(rules::DiffRuleSets(before, after),
              ElementsAre(rules::RuleChange{"repeat-missing", "version 1 -> 2"},
                          rules::RuleChange{"repeat-missing", "window_days 90 -> 30"},
                          rules::RuleChange{"early-help", "switched off"}, rules::RuleChange{"", "settle 60 s -> 120 s"}));
  EXPECT_THAT(rules::DiffRuleSets(before, before), IsEmpty());
}

TEST(RulesHistory, AChangedThresholdNeedsANewVersion) {
  const RuleSet before = Shipped();
  RuleSet after = before;
  Rule(after, "repeat-missing").params["window_days"] = 30;
  EXPECT_THAT(rules::CheckVersions(before, after),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("repeat-missing: window_days 90 -> 30 but the version is still 1")));
  Rule(after, "repeat-missing").version = 2;
  EXPECT_TRUE(rules::CheckVersions(before, after).ok());
  RuleSet lower = before;
  Rule(lower, "long-missing").version = 0;
  EXPECT_THAT(rules::CheckVersions(before, lower), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("lower")));
  RuleSet reworded = before;
  Rule(reworded, "high-risk").team = "another-team";
  Rule(reworded, "high-risk").enabled = false;
  EXPECT_TRUE(rules::CheckVersions(before, reworded).ok()) << "routing and switching off do not change what a rule means";
}

class FakeRulesHistory : public rules::RulesHistory {
 public:
  absl::StatusOr<std::vector<rules::RulesRevision>> Revisions() override { return revisions; }
  absl::Status Append(const rules::RulesRevision& r) override {
    if (!fail.ok()) return fail;
    revisions.push_back(r);
    return absl::OkStatus();
  }
  std::vector<rules::RulesRevision> revisions;
  absl::Status fail;
};

TEST(RulesHistory, EachDistinctRuleSetIsOneRevisionAndAnUnversionedChangeIsRefused) {
  FakeRulesHistory history;
  const RuleSet shipped = Shipped();
  auto first = AdoptRules(history, shipped, FormatRulesFile(shipped), "config/rules.json", At("2026-01-01T00:00:00Z"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->revision, 1);
  // The same rules again (a restart; the file reformatted): still revision 1.
  auto again = AdoptRules(history, shipped, FormatRulesFile(shipped) + "\n", "config/rules.json", At("2026-02-01T00:00:00Z"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revision, 1);
  EXPECT_EQ(history.revisions.size(), 1u);

  RuleSet unversioned = shipped;
  Rule(unversioned, "repeat-missing").params["window_days"] = 30;
  EXPECT_THAT(AdoptRules(history, unversioned, FormatRulesFile(unversioned), "new.json", At("2026-03-01T00:00:00Z")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("new.json against revision 1 (config/rules.json): a rule's meaning changed")));
  EXPECT_EQ(history.revisions.size(), 1u) << "a refused rule set is not recorded";

  Rule(unversioned, "repeat-missing").version = 2;
  auto second = AdoptRules(history, unversioned, FormatRulesFile(unversioned), "new.json", At("2026-03-01T00:00:00Z"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->revision, 2);
  EXPECT_EQ(history.revisions.back().adopted_at, At("2026-03-01T00:00:00Z"));

  history.fail = absl::InternalError("disk full");
  RuleSet third = unversioned;
  Rule(third, "repeat-missing").version = 3;
  EXPECT_THAT(AdoptRules(history, third, FormatRulesFile(third), "x", At("2026-04-01T00:00:00Z")),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("disk full")));
}

// ---- What-if ----

class FakeEventHistory : public reports::EventHistory {
 public:
  absl::Status ForEachEvent(const std::function<void(const Event&)>& visit) override {
    if (!fail.ok()) return fail;
    for (const Event& e : events) visit(e);
    return absl::OkStatus();
  }
  std::vector<Event> events;
  absl::Status fail;
};

class WhatIfTest : public ::testing::Test {
 protected:
  // An episode of police person `person` (NHS number n), reported at `start` and found two hours
  // later unless `open`, graded low.
  void Episode(int n, const std::string& record, absl::Time start, bool open = false) {
    const ChildRef child = PoliceChild(absl::StrCat("P", n), testing::TestNhsNumber(n));
    history_.events.push_back(MakeEvent("police.wm", record, "report", 1, child, start,
                                        MissingReported{.category = AbsenceCategory::kMissing,
                                                        .category_as_recorded = "MISSING",
                                                        .risk_grade = RiskGrade::kLow}));
    if (!open) history_.events.push_back(MakeEvent("police.wm", record, "found", 1, child, start + absl::Hours(2), FoundReturned{}));
  }

  absl::StatusOr<rules::WhatIfResult> Run(const RuleSet& proposed, absl::Time from = At("2026-01-01T00:00:00Z"),
                                          absl::Time to = At("2027-01-01T00:00:00Z")) {
    return rules::RunWhatIf(history_, shipped_, proposed, {.from = from, .to = to});
  }
  static const rules::RuleComparison& Row(const rules::WhatIfResult& r, const std::string& id) {
    for (const rules::RuleComparison& c : r.rules) {
      if (c.rule_id == id) return c;
    }
    std::abort();
  }
  RuleSet Proposed(int count, double window_days) {
    RuleSet p = shipped_;
    Rule(p, "repeat-missing").version = 2;
    Rule(p, "repeat-missing").params = {{"count", count}, {"window_days", window_days}};
    return p;
  }

  FakeEventHistory history_;
  RuleSet shipped_ = Shipped();
};

TEST_F(WhatIfTest, ThirtyDaysInsteadOfNinetyDropsTheChildWhoseEpisodesWereFurtherApart) {
  Episode(1, "A1", At("2026-01-01T20:00:00Z"));  // child 1: 0, 25 and 59 days
  Episode(1, "A2", At("2026-01-26T20:00:00Z"));
  Episode(1, "A3", At("2026-03-01T20:00:00Z"));
  Episode(2, "B1", At("2026-01-01T20:00:00Z"));  // child 2: within 20 days
  Episode(2, "B2", At("2026-01-10T20:00:00Z"));
  Episode(2, "B3", At("2026-01-20T20:00:00Z"));
  auto r = Run(Proposed(3, 30));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->events_replayed, 12u);
  EXPECT_THAT(r->changes, ElementsAre(rules::RuleChange{"repeat-missing", "version 1 -> 2"},
                                      rules::RuleChange{"repeat-missing", "window_days 90 -> 30"}));
  const rules::RuleComparison& repeat = Row(*r, "repeat-missing");
  EXPECT_EQ(repeat.shipped_alerts, 2);
  EXPECT_EQ(repeat.proposed_alerts, 1);
  EXPECT_EQ(repeat.shipped_children, 2);
  EXPECT_EQ(repeat.proposed_children, 1);
  EXPECT_EQ(repeat.both_children, 1);
  EXPECT_EQ(repeat.same, 1);
  EXPECT_EQ(repeat.median_shift, absl::ZeroDuration());
  // Unchanged rules raise the same under both.
  const rules::RuleComparison& rhi = Row(*r, "rhi-overdue");
  EXPECT_EQ(rhi.shipped_alerts, 6);
  EXPECT_EQ(rhi.proposed_alerts, 6);
  // Child 1 would have had no strategy-meeting alert at all under the proposal.
  EXPECT_EQ(r->shipped_meeting_children, 2);
  EXPECT_EQ(r->proposed_meeting_children, 1);
  ASSERT_EQ(r->meeting_only_shipped.size(), 1u);
  EXPECT_EQ(r->meeting_only_shipped[0].rule_id, "repeat-missing");
  // Raised when the third report was recorded (30 minutes after it began).
  EXPECT_EQ(r->meeting_only_shipped[0].first_alert, At("2026-03-01T20:30:00Z"));
  EXPECT_THAT(r->meeting_only_shipped[0].authorities, ElementsAre("coventry"));
  EXPECT_THAT(r->meeting_only_proposed, IsEmpty());
}

TEST_F(WhatIfTest, TwoEpisodesInsteadOfThreeAlertsTenDaysEarlier) {
  Episode(2, "B1", At("2026-01-01T20:00:00Z"));
  Episode(2, "B2", At("2026-01-10T20:00:00Z"));
  Episode(2, "B3", At("2026-01-20T20:00:00Z"));
  auto r = Run(Proposed(2, 90));
  ASSERT_TRUE(r.ok()) << r.status();
  const rules::RuleComparison& repeat = Row(*r, "repeat-missing");
  EXPECT_EQ(repeat.shipped_alerts, 1);
  EXPECT_EQ(repeat.proposed_alerts, 2);  // at the second episode and again at the third
  EXPECT_EQ(repeat.earlier, 1);
  EXPECT_EQ(repeat.median_shift, -absl::Hours(24 * 10));
  EXPECT_EQ(r->meeting_earlier, 1);
  EXPECT_EQ(r->meeting_median_shift, -absl::Hours(24 * 10));
}

TEST_F(WhatIfTest, TimeRulesFireWhenTheyFallDueNotWhenTheRecordsArrive) {
  Episode(3, "C1", At("2026-05-01T10:00:00Z"), /*open=*/true);  // never found
  RuleSet proposed = shipped_;
  Rule(proposed, "long-missing").version = 2;
  Rule(proposed, "long-missing").params["hours"] = 48;
  auto r = Run(proposed);
  ASSERT_TRUE(r.ok()) << r.status();
  const rules::RuleComparison& long_missing = Row(*r, "long-missing");
  EXPECT_EQ(long_missing.shipped_alerts, 1);
  EXPECT_EQ(long_missing.proposed_alerts, 1);
  EXPECT_EQ(long_missing.later, 1);
  EXPECT_EQ(long_missing.median_shift, absl::Hours(24)) << "24 h after the start, against 48 h";
}

TEST_F(WhatIfTest, AnAlertRaisedBeforeThePeriodIsNotCountedInIt) {
  Episode(2, "B1", At("2026-01-01T20:00:00Z"));
  Episode(2, "B2", At("2026-01-10T20:00:00Z"));
  Episode(2, "B3", At("2026-01-20T20:00:00Z"));
  Episode(2, "B4", At("2026-02-05T20:00:00Z"));
  auto r = Run(Proposed(3, 90), At("2026-02-01T00:00:00Z"));
  ASSERT_TRUE(r.ok());
  // Only the fourth episode's repeat-missing alert was first raised in February.
  EXPECT_EQ(Row(*r, "repeat-missing").shipped_alerts, 1);
}

TEST_F(WhatIfTest, TheSameLogRulesAndPeriodGiveTheSameAnswerInAnyReadingOrder) {
  for (int n = 0; n < 20; ++n) {
    for (int k = 0; k < 4; ++k) Episode(n, absl::StrCat("R", n, "-", k), At("2026-01-01T00:00:00Z") + absl::Hours(24 * (n + 16 * k)));
  }
  auto a = Run(Proposed(3, 30));
  std::shuffle(history_.events.begin(), history_.events.end(), std::mt19937(7));
  auto b = Run(Proposed(3, 30));
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->rules.size(), b->rules.size());
  for (size_t i = 0; i < a->rules.size(); ++i) {
    EXPECT_EQ(a->rules[i].shipped_alerts, b->rules[i].shipped_alerts) << a->rules[i].rule_id;
    EXPECT_EQ(a->rules[i].proposed_alerts, b->rules[i].proposed_alerts) << a->rules[i].rule_id;
    EXPECT_EQ(a->rules[i].median_shift, b->rules[i].median_shift) << a->rules[i].rule_id;
  }
  EXPECT_EQ(a->meeting_only_shipped.size(), b->meeting_only_shipped.size());
  EXPECT_GT(Row(*a, "repeat-missing").shipped_alerts, Row(*a, "repeat-missing").proposed_alerts);
}

TEST_F(WhatIfTest, ABadPeriodOrAnUnreadableLogIsAnErrorNotAnEmptyAnswer) {
  EXPECT_THAT(Run(shipped_, At("2026-02-01T00:00:00Z"), At("2026-02-01T00:00:00Z")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(Run(shipped_, At("2020-01-01T00:00:00Z"), At("2026-02-01T00:00:00Z")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("run it in parts")));
  history_.fail = absl::DataLossError("event E-1: checksum mismatch");
  EXPECT_THAT(Run(shipped_), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("E-1")));
}

}  // namespace
}  // namespace homeward::aggregator
