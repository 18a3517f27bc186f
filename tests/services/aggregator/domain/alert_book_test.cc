#include "services/aggregator/domain/alert_book.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Alert MakeAlert(const std::string& id, const std::string& severity, absl::Time raised, const std::string& child = "c1",
                const std::string& team = "duty") {
  return Alert{.alert_id = id,
               .child_id = ChildId(child),
               .rule_id = id.substr(0, id.find(':')),
               .severity = severity,
               .team = team,
               .authorities = {"coventry"},
               .raised_at = raised,
               .anchor_event_ids = {absl::StrCat(id, "/event")}};
}

AlertTransition Hub(const std::string& id, TransitionKind kind, absl::Time at, std::string note = "") {
  return {.alert_id = id, .kind = kind, .by = kHubActor, .at = at, .note = std::move(note)};
}

std::vector<std::string> Ids(const AlertPage& page) {
  std::vector<std::string> ids;
  for (const Alert* a : page.alerts) ids.push_back(a->alert_id);
  return ids;
}

// ---- the duty team's list ----

TEST(AlertBook, ListsBySeverityThenNewestFirst) {
  AlertBook book;
  book.Raise(MakeAlert("early-help:a", "notification", At("2026-11-01T09:00:00Z")));
  book.Raise(MakeAlert("high-risk:a", "strategy meeting", At("2026-11-01T08:00:00Z")));
  book.Raise(MakeAlert("high-risk:b", "strategy meeting", At("2026-11-01T10:00:00Z")));
  book.Raise(MakeAlert("rhi-overdue:a", "compliance", At("2026-11-01T11:00:00Z")));
  book.Raise(MakeAlert("normalised-risk:a", "escalation", At("2026-11-01T07:00:00Z")));
  book.Raise(MakeAlert("category-mismatch:a", "data quality", At("2026-11-01T12:00:00Z")));
  absl::StatusOr<AlertPage> page = book.Page({});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(Ids(*page), ElementsAre("high-risk:b", "high-risk:a", "normalised-risk:a", "rhi-overdue:a", "early-help:a",
                                      "category-mismatch:a"));
  EXPECT_EQ(page->total, 6);
  EXPECT_EQ(page->next_page_token, "");
}

TEST(AlertBook, PagesCoverEveryAlertOnceWhateverItsSize) {
  AlertBook book;
  for (int i = 0; i < 1234; ++i) {
    book.Raise(MakeAlert(absl::StrCat("high-risk:", i), i % 3 == 0 ? "compliance" : "strategy meeting",
                         At("2026-11-01T00:00:00Z") + absl::Minutes(i % 97)));
  }
  std::vector<std::string> seen;
  AlertQuery q{.page_size = 100};
  int pages = 0;
  do {
    absl::StatusOr<AlertPage> page = book.Page(q);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total, 1234);
    EXPECT_EQ(page->before, static_cast<int>(seen.size()));
    EXPECT_LE(page->alerts.size(), 100u);
    for (const Alert* a : page->alerts) seen.push_back(a->alert_id);
    q.page_token = page->next_page_token;
    ++pages;
  } while (!q.page_token.empty());
  EXPECT_EQ(pages, 13);
  EXPECT_EQ(seen.size(), 1234u);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end()) << "an alert on two pages";
}

TEST(AlertBook, FiltersByChildTeamRuleSeverityAndState) {
  AlertBook book;
  const absl::Time t = At("2026-11-01T00:00:00Z");
  book.Raise(MakeAlert("high-risk:a", "strategy meeting", t, "c1", "duty"));
  book.Raise(MakeAlert("early-help:a", "notification", t, "c1", "early-help"));
  book.Raise(MakeAlert("high-risk:b", "strategy meeting", t, "c2", "duty"));
  book.Apply({.alert_id = "high-risk:b", .kind = TransitionKind::kClose, .by = "duty-1", .at = t + absl::Hours(1)});
  const auto ids = [&](const AlertQuery& q) {
    absl::StatusOr<AlertPage> page = book.Page(q);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> out = Ids(*page);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_THAT(ids({.child_ids = {"c1"}}), ElementsAre("early-help:a", "high-risk:a"));
  EXPECT_THAT(ids({.child_ids = {"c9", "c2"}}), ElementsAre("high-risk:b"));
  EXPECT_THAT(ids({.team = "early-help"}), ElementsAre("early-help:a"));
  EXPECT_THAT(ids({.rule_ids = {"high-risk"}}), ElementsAre("high-risk:a", "high-risk:b"));
  EXPECT_THAT(ids({.severities = {"notification"}}), ElementsAre("early-help:a"));
  EXPECT_THAT(ids({.states = {AlertState::kClosed}}), ElementsAre("high-risk:b"));
  EXPECT_THAT(ids({.authority = "warwickshire"}), IsEmpty());
}

TEST(AlertBook, APageSizeOrTokenNotFromUsIsRefused) {
  AlertBook book;
  EXPECT_THAT(book.Page({.page_size = 501}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
  EXPECT_THAT(book.Page({.page_size = -1}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
  EXPECT_THAT(book.Page({.page_token = "nonsense"}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

// ---- folding ----

TEST(AlertBook, TheHubsOwnStepIsTakenOnceKeepingTheEarliest) {
  // Two replicas both see the alert is never due and both publish the withdrawal.
  AlertBook book;
  book.Raise(MakeAlert("long-missing:a", "strategy meeting", At("2026-11-01T00:00:00Z")));
  EXPECT_TRUE(book.Apply(Hub("long-missing:a", TransitionKind::kWithdraw, At("2026-11-01T00:02:00Z"), "second")));
  EXPECT_FALSE(book.Apply(Hub("long-missing:a", TransitionKind::kWithdraw, At("2026-11-01T00:01:00Z"), "first")));
  const Alert* a = book.Find("long-missing:a");
  ASSERT_EQ(a->history.size(), 1u);
  EXPECT_EQ(a->history[0].note, "first");
  EXPECT_EQ(a->state, AlertState::kWithdrawn);
  // A person's steps are each their own.
  book.Raise(MakeAlert("high-risk:a", "strategy meeting", At("2026-11-01T00:00:00Z")));
  book.Apply({.alert_id = "high-risk:a", .kind = TransitionKind::kAcknowledge, .by = "duty-1", .at = At("2026-11-01T00:05:00Z")});
  book.Apply({.alert_id = "high-risk:a", .kind = TransitionKind::kAcknowledge, .by = "duty-2", .at = At("2026-11-01T00:06:00Z")});
  EXPECT_EQ(book.Find("high-risk:a")->history.size(), 2u);
  EXPECT_EQ(book.Find("high-risk:a")->acknowledged_by, "duty-1");
}

TEST(AlertBook, ReKeyingAndMergingFoldInAnyOrder) {
  const Alert police = MakeAlert("young-child:police.wm/MP-1", "strategy meeting", At("2026-11-01T00:00:00Z"),
                                 "police:wm/PP-1");
  const Alert home = MakeAlert("young-child:home.oak/OH-1", "strategy meeting", At("2026-11-01T00:00:05Z"),
                               "record:home.oak/OH-1");
  AlertTransition rekey = Hub(home.alert_id, TransitionKind::kRekey, At("2026-11-01T01:00:00Z"));
  rekey.child_id = ChildId("police:wm/PP-1");
  AlertTransition merge = Hub(home.alert_id, TransitionKind::kMerge, At("2026-11-01T01:00:00Z"));
  merge.merged_into = police.alert_id;
  const AlertTransition ack{.alert_id = home.alert_id, .kind = TransitionKind::kAcknowledge, .by = "duty-1",
                            .at = At("2026-11-01T00:30:00Z")};
  std::vector<std::variant<Alert, AlertTransition>> records = {police, home, rekey, merge, ack};
  std::mt19937 shuffle(7);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(records.begin(), records.end(), shuffle);
    AlertBook book;
    for (const auto& r : records) {
      if (const auto* a = std::get_if<Alert>(&r)) {
        book.Raise(*a);
      } else {
        book.Apply(std::get<AlertTransition>(r));
      }
    }
    const Alert* merged = book.Find(home.alert_id);
    EXPECT_EQ(merged->child_id, ChildId("police:wm/PP-1"));
    EXPECT_EQ(merged->raised_for_child_id, ChildId("record:home.oak/OH-1"));
    EXPECT_EQ(merged->state, AlertState::kClosed);
    EXPECT_EQ(merged->merged_into, police.alert_id);
    EXPECT_EQ(merged->acknowledged_by, "duty-1");
    EXPECT_THAT(book.Find(police.alert_id)->merged_from, ElementsAre(home.alert_id));
    EXPECT_EQ(book.OfChild(ChildId("police:wm/PP-1")).size(), 2u);
    EXPECT_THAT(book.OfChild(ChildId("record:home.oak/OH-1")), IsEmpty());
  }
}

TEST(AlertBook, EscalationIsDueOnlyForAlertsNobodyHasSeen) {
  AlertBook book;
  book.Raise(MakeAlert("high-risk:a", "strategy meeting", At("2026-11-01T00:00:00Z")));
  book.Raise(MakeAlert("high-risk:b", "strategy meeting", At("2026-11-01T00:00:00Z")));
  book.Raise(MakeAlert("long-missing:c", "strategy meeting", At("2026-11-01T00:00:00Z")));
  book.Apply({.alert_id = "high-risk:b", .kind = TransitionKind::kAcknowledge, .by = "duty-1", .at = At("2026-11-01T00:01:00Z")});
  book.Apply(Hub("long-missing:c", TransitionKind::kWithdraw, At("2026-11-01T00:01:00Z")));
  std::vector<std::string> due;
  for (const Alert* a : book.DueForEscalation(absl::Minutes(30), At("2026-11-01T00:30:00Z"))) due.push_back(a->alert_id);
  EXPECT_THAT(due, ElementsAre("high-risk:a"));
  EXPECT_THAT(book.DueForEscalation(absl::Minutes(30), At("2026-11-01T00:29:59Z")), IsEmpty());
}

}  // namespace
}  // namespace homeward::aggregator
