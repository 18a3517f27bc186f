#include "services/aggregator/domain/episodes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/aggregator/domain/chronology_store.h"
#include "tests/testing/events.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const ChildRef kChild{.la_child_id = "LA-7", .local_authority = "cov", .nhs_number = "999"};

// An agency's record of one absence: a report and, if given, the return.
std::vector<Event> Absence(const std::string& agency, AgencyKind kind, const std::string& record,
                           AbsenceCategory category, const std::string& as_recorded, absl::Time start,
                           std::optional<absl::Time> end, RiskGrade grade = RiskGrade::kUnspecified) {
  std::vector<Event> events;
  Event report = MakeEvent(agency, record, "report", 1, kChild, start,
                           MissingReported{.category = category, .category_as_recorded = as_recorded, .risk_grade = grade});
  report.agency_kind = kind;
  events.push_back(report);
  if (end) {
    Event found = MakeEvent(agency, record, "found", 1, kChild, *end, FoundReturned{});
    found.agency_kind = kind;
    events.push_back(found);
  }
  return events;
}

class EpisodesTest : public ::testing::Test {
 protected:
  void Add(const std::vector<Event>& events) {
    for (const Event& e : events) store_.Apply(e, At("2026-11-20T00:00:00Z"));
  }
  std::vector<Episode> Episodes() {
    auto episodes = store_.Episodes("nhs:999");
    EXPECT_TRUE(episodes.ok()) << episodes.status();
    return episodes.ok() ? *episodes : std::vector<Episode>{};
  }
  ChronologyStore store_;
};

// Scenario S4: police "absent, no apparent risk" 19:10-23:40; the home "missing" 18:55-23:30.
TEST_F(EpisodesTest, S4TwoAgenciesRecordsOfOneAbsenceAreOneEpisodeWithACategoryMismatch) {
  Add(Absence("police.wm", AgencyKind::kPolice, "MP-1", AbsenceCategory::kAbsent, "ABSENT",
              At("2026-11-03T19:10:00Z"), At("2026-11-03T23:40:00Z"), RiskGrade::kNoApparentRisk));
  Add(Absence("home.oak", AgencyKind::kResidentialHome, "OH-1", AbsenceCategory::kMissing, "MISSING",
              At("2026-11-03T18:55:00Z"), At("2026-11-03T23:30:00Z")));
  const auto episodes = Episodes();
  ASSERT_EQ(episodes.size(), 1u);
  const Episode& e = episodes[0];
  ASSERT_EQ(e.sources.size(), 2u);
  EXPECT_EQ(e.sources[0].agency_id, "home.oak");  // ordered by start
  EXPECT_EQ(e.sources[0].category_as_recorded, "MISSING");  // each source as received
  EXPECT_EQ(e.sources[1].category_as_recorded, "ABSENT");
  EXPECT_EQ(e.start, At("2026-11-03T18:55:00Z"));
  EXPECT_EQ(e.end, At("2026-11-03T23:40:00Z"));
  EXPECT_TRUE(e.categories_differ);
  EXPECT_EQ(e.category, AbsenceCategory::kUnspecified);
  EXPECT_FALSE(e.times_differ);  // start and end within tolerance
  EXPECT_THAT(e.flags, ElementsAre(HasSubstr("categories differ: home.oak 'MISSING' (missing), police.wm 'ABSENT'")));
}

TEST_F(EpisodesTest, SeparateAbsencesAreSeparateEpisodes) {
  Add(Absence("police.wm", AgencyKind::kPolice, "MP-1", AbsenceCategory::kMissing, "M", At("2026-09-01T20:00:00Z"),
              At("2026-09-02T02:00:00Z")));
  Add(Absence("police.wm", AgencyKind::kPolice, "MP-2", AbsenceCategory::kMissing, "M", At("2026-09-18T20:00:00Z"),
              At("2026-09-19T01:00:00Z")));
  const auto episodes = Episodes();
  ASSERT_EQ(episodes.size(), 2u);
  EXPECT_EQ(episodes[0].episode_id, "police.wm/MP-1");
  EXPECT_THAT(episodes[0].flags, IsEmpty());
  EXPECT_EQ(episodes[0].category, AbsenceCategory::kMissing);
}

TEST_F(EpisodesTest, TimesApartBeyondTheToleranceAreFlagged) {
  Add(Absence("police.wm", AgencyKind::kPolice, "MP-1", AbsenceCategory::kMissing, "M", At("2026-11-03T19:00:00Z"),
              At("2026-11-04T09:00:00Z")));
  Add(Absence("home.oak", AgencyKind::kResidentialHome, "OH-1", AbsenceCategory::kMissing, "M",
              At("2026-11-03T22:30:00Z"), At("2026-11-04T09:30:00Z")));
  const auto episodes = Episodes();
  ASSERT_EQ(episodes.size(), 1u);  // the home's start falls inside the police's period
  EXPECT_TRUE(episodes[0].times_differ);
  EXPECT_THAT(episodes[0].flags, ElementsAre(HasSubstr("start times differ by 3h 30m")));
}

TEST_F(EpisodesTest, OpenAndPartlyOpenEpisodesAreFlagged) {
  Add(Absence("police.wm", AgencyKind::kPolice, "MP-1", AbsenceCategory::kMissing, "M", At("2026-11-20T22:00:00Z"),
              std::nullopt));
  auto episodes = Episodes();
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_FALSE(episodes[0].end.has_value());
  EXPECT_THAT(episodes[0].flags, ElementsAre("open: no agency has recorded a return"));
  Add(Absence("lcs.cov", AgencyKind::kSocialCare, "E-1", AbsenceCategory::kMissing, "Missing from care",
              At("2026-11-20T21:30:00Z"), At("2026-11-21T08:00:00Z")));
  episodes = Episodes();
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_FALSE(episodes[0].end.has_value());
  EXPECT_THAT(episodes[0].flags, ElementsAre(HasSubstr("open in police.wm although other agencies recorded a return")));
}

TEST_F(EpisodesTest, OneAgencyRecordingOverlappingPeriodsIsFlaggedAsRule574) {
  Add(Absence("lcs.cov", AgencyKind::kSocialCare, "E-1", AbsenceCategory::kMissing, "M", At("2026-11-03T19:00:00Z"),
              At("2026-11-04T09:00:00Z")));
  Add(Absence("lcs.cov", AgencyKind::kSocialCare, "E-2", AbsenceCategory::kMissing, "M", At("2026-11-03T23:00:00Z"),
              At("2026-11-04T10:00:00Z")));
  const auto episodes = Episodes();
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_THAT(episodes[0].flags, Contains(HasSubstr("lcs.cov recorded 2 overlapping periods for one absence (SSDA903 rule 574)")));
}

TEST_F(EpisodesTest, AnOpenEpisodeWhosePlacementChangedIsFlaggedAsRule575) {
  Add(Absence("lcs.cov", AgencyKind::kSocialCare, "E-1", AbsenceCategory::kMissing, "M", At("2026-11-03T19:00:00Z"),
              std::nullopt));
  Add({MakeEvent("lcs.cov", "PL-2", "placement", 1, kChild, At("2026-11-10T12:00:00Z"),
                 PlacementChanged{.looked_after = true, .placing_authority = "cov", .host_authority = "cov"})});
  const auto episodes = Episodes();
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_THAT(episodes[0].flags, Contains(HasSubstr("placement changed on 2026-11-10 (SSDA903 rule 575)")));
}

TEST_F(EpisodesTest, ADateOnly903RowJoinsTheAbsenceOnItsDay) {
  Event row = MakeEvent("ssda903.cov", "LA-7/2026-11-03", "episode", 2026, kChild, At("2026-11-03T00:00:00Z"),
                        MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "M",
                                        .ended_at = At("2026-11-03T00:00:00Z")});
  row.agency_kind = AgencyKind::kSsda903Return;
  Add({row});
  Add(Absence("police.wm", AgencyKind::kPolice, "MP-1", AbsenceCategory::kMissing, "MISSING",
              At("2026-11-03T19:10:00Z"), At("2026-11-03T23:40:00Z")));
  const auto episodes = Episodes();
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].sources.size(), 2u);
  EXPECT_TRUE(episodes[0].sources[0].date_only);
  EXPECT_FALSE(episodes[0].times_differ);  // a date is not compared with times
}

TEST_F(EpisodesTest, AnAmendedRecordUpdatesTheEpisodeAndKeepsItsHistory) {
  Add(Absence("police.wm", AgencyKind::kPolice, "MP-1", AbsenceCategory::kMissing, "M", At("2026-11-03T19:00:00Z"),
              At("2026-11-03T23:00:00Z")));
  Event corrected = MakeEvent("police.wm", "MP-1", "found", 2, kChild, At("2026-11-04T01:00:00Z"), FoundReturned{});
  corrected.agency_kind = AgencyKind::kPolice;
  Add({corrected});
  const auto episodes = Episodes();
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].end, At("2026-11-04T01:00:00Z"));
  EXPECT_TRUE(episodes[0].sources[0].amended);
  auto page = store_.Query({.child = "nhs:999", .kinds = {"found-returned"}});
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(page->entries[0].superseded_event_ids, ElementsAre("police.wm/MP-1/found@1"));
}

TEST_F(EpisodesTest, InterviewsAttachByTheEpisodeReferenceAndRegradesRaiseTheGrade) {
  Add(Absence("police.wm", AgencyKind::kPolice, "MP-1", AbsenceCategory::kMissing, "M", At("2026-11-03T19:00:00Z"),
              At("2026-11-03T23:00:00Z"), RiskGrade::kMedium));
  Add({MakeEvent("police.wm", "MP-1", "regrade-1", 1, kChild, At("2026-11-03T21:00:00Z"),
                 RiskRegraded{.from_grade = RiskGrade::kMedium, .to_grade = RiskGrade::kHigh})});
  Add({MakeEvent("rhi.cov", "R-1", "offered", 1, kChild, At("2026-11-04T10:00:00Z"),
                 ReturnInterview{.outcome = InterviewOutcome::kOffered, .episode_ref = "MP-1"}),
       MakeEvent("rhi.cov", "R-1", "outcome", 1, kChild, At("2026-11-05T10:00:00Z"),
                 ReturnInterview{.outcome = InterviewOutcome::kCompleted, .episode_ref = "MP-1"})});
  const auto episodes = Episodes();
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].highest_grade, RiskGrade::kHigh);
  ASSERT_EQ(episodes[0].interviews.size(), 1u);
  EXPECT_EQ(episodes[0].interviews[0].outcome, InterviewOutcome::kCompleted);
}

}  // namespace
}  // namespace homeward::aggregator
