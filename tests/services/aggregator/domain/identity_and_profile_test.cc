// ChronologyStore's identity side: probable matches, coordinators' decisions, search, profiles,
// and that every derived view depends only on the set of events applied.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/aggregator/domain/chronology_store.h"
#include "tests/testing/chronology_snapshot.h"
#include "tests/testing/events.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ChildRef Named(ChildRef c, const std::string& given, const std::string& family, absl::CivilDay dob, Sex sex) {
  c.given_name = given;
  c.family_name = family;
  c.date_of_birth = dob;
  c.sex = sex;
  return c;
}

const absl::CivilDay kDob(2011, 3, 14);
const ChildRef kPolice = Named({.police_person_id = "PP-1", .police_force = "wm"}, "Jay", "Testchild", kDob, Sex::kMale);
const ChildRef kHomeOnly = Named({}, "jay", "TESTCHILD", kDob, Sex::kUnspecified);  // no strong identifier
const ChildRef kCare = Named({.la_child_id = "LA-7", .local_authority = "cov", .nhs_number = "999"}, "Jay",
                             "Testchild", kDob, Sex::kMale);

Event Report(const std::string& agency, const std::string& record, const ChildRef& child, absl::Time at) {
  return MakeEvent(agency, record, "report", 1, child, at,
                   MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "M",
                                   .risk_grade = RiskGrade::kLow});
}

Event Decision(const std::string& id, const std::string& a, const std::string& b, bool link, absl::Time at) {
  return MakeEvent(kIdentityAgency, id, "decision", 1, {}, at,
                   IdentityDecision{.identifier_a = a, .identifier_b = b, .link = link, .decided_by = "coordinator-1",
                                    .reason = "checked with the home"});
}

std::vector<Event> Scenario() {
  std::vector<Event> events = {
      Report("police.wm", "MP-1", kPolice, At("2026-10-01T19:00:00Z")),
      Report("home.oak", "OH-1", kHomeOnly, At("2026-10-05T19:00:00Z")),
      Report("lcs.cov", "E-1", kCare, At("2026-10-09T19:00:00Z")),
      MakeEvent("lcs.cov", "PL-1", "placement", 1, kCare, At("2026-06-01T12:00:00Z"),
                PlacementChanged{.looked_after = true, .placing_authority = "coventry", .host_authority = "warwickshire",
                                 .allocated_team = "CiC 1", .social_care_open = true}),
      MakeEvent("police.wm", "MP-1", "marker-cse", 1, kPolice, At("2026-10-01T19:00:00Z"),
                ExploitationConcern{.type = ExploitationType::kCse, .indicator = "police warning marker"}),
  };
  return events;
}

class IdentityTest : public ::testing::Test {
 protected:
  void Apply(const std::vector<Event>& events) {
    for (const Event& e : events) store_.Apply(e, At("2026-11-20T00:00:00Z"));
  }
  ChronologyStore store_;
};

TEST_F(IdentityTest, RecordsAgreeingOnlyOnNameAndBirthDateAreProposedNotMerged) {
  Apply(Scenario());
  EXPECT_NE(store_.SearchByIdentifier("police:wm/PP-1")->at(0).child_id, store_.SearchByIdentifier("nhs:999")->at(0).child_id);
  const auto matches = store_.ProbableMatches();
  ASSERT_EQ(matches.size(), 3u);  // police, home and social care records: three children, pairwise
  EXPECT_EQ(matches[0].a.child_id, ChildId("la:cov/LA-7"));
  EXPECT_EQ(matches[0].b.child_id, ChildId("police:wm/PP-1"));
  EXPECT_THAT(matches[0].evidence, HasSubstr("same name and date of birth: jay testchild 2011-03-14"));
}

TEST_F(IdentityTest, AConfirmedMatchLinksTheRecordsAndIsOnTheChronology) {
  Apply(Scenario());
  Apply({Decision("D-1", "police:wm/PP-1", "nhs:999", true, At("2026-11-01T10:00:00Z")),
         Decision("D-2", "record:home.oak/OH-1", "police:wm/PP-1", true, At("2026-11-01T10:05:00Z"))});
  EXPECT_THAT(store_.ProbableMatches(), IsEmpty());
  auto page = store_.Query({.child = "record:home.oak/OH-1"});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->child_id, ChildId("la:cov/LA-7"));
  EXPECT_THAT(page->identifiers, ElementsAre("la:cov/LA-7", "nhs:999", "police:wm/PP-1", "record:home.oak/OH-1"));
  int decisions = 0;
  for (const auto& e : page->entries) decisions += EntryKind(e.event) == "identity-decision";
  EXPECT_EQ(decisions, 2);  // who decided and why stays on the record
}

TEST_F(IdentityTest, ARejectedMatchIsNoLongerProposed) {
  Apply(Scenario());
  Apply({Decision("D-1", "police:wm/PP-1", "record:home.oak/OH-1", false, At("2026-11-01T10:00:00Z"))});
  const auto matches = store_.ProbableMatches();
  ASSERT_EQ(matches.size(), 2u);
  for (const auto& m : matches) {
    EXPECT_FALSE(m.a.child_id == ChildId("police:wm/PP-1") && m.b.child_id == ChildId("record:home.oak/OH-1"));
  }
}

TEST_F(IdentityTest, DifferentSexesAreNotAProbableMatch) {
  Apply({Report("police.wm", "MP-1", kPolice, At("2026-10-01T19:00:00Z")),
         Report("police.wm", "MP-2", Named({.police_person_id = "PP-2", .police_force = "wm"}, "Jay", "Testchild", kDob,
                                           Sex::kFemale),
                At("2026-10-02T19:00:00Z"))});
  EXPECT_THAT(store_.ProbableMatches(), IsEmpty());
}

TEST_F(IdentityTest, SearchFindsChildrenByIdentifierOrByNameAndBirthDate) {
  Apply(Scenario());
  auto by_id = store_.SearchByIdentifier("nhs:999");
  ASSERT_TRUE(by_id.ok());
  ASSERT_EQ(by_id->size(), 1u);
  EXPECT_EQ(by_id->at(0).child_id, ChildId("la:cov/LA-7"));
  EXPECT_THAT(by_id->at(0).names, ElementsAre("Jay Testchild"));
  EXPECT_THAT(*store_.SearchByIdentifier("nhs:000"), IsEmpty());
  EXPECT_EQ(store_.SearchByName("testchild", "", kDob).size(), 3u);
  EXPECT_EQ(store_.SearchByName("Testchild", "Jay", absl::CivilDay(2011, 3, 15)).size(), 0u);
}

TEST_F(IdentityTest, TheProfileGathersPlacementAndRisk) {
  Apply(Scenario());
  Apply({Decision("D-1", "police:wm/PP-1", "nhs:999", true, At("2026-11-01T10:00:00Z"))});
  auto profile = store_.Profile("police:wm/PP-1", At("2026-11-20T00:00:00Z"));
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->child_id, ChildId("la:cov/LA-7"));
  EXPECT_TRUE(profile->looked_after);
  EXPECT_TRUE(profile->placed_out_of_area);
  EXPECT_EQ(profile->placement->allocated_team, "CiC 1");
  EXPECT_EQ(profile->episodes_total, 2);
  EXPECT_EQ(profile->episodes_last_90_days, 2);
  EXPECT_TRUE(profile->currently_missing);
  EXPECT_EQ(profile->latest_grade, RiskGrade::kLow);
  EXPECT_THAT(profile->exploitation_concerns, ElementsAre("CSE: police warning marker"));
  EXPECT_EQ(profile->linked_records.size(), 2u);  // police and social care
  EXPECT_EQ(profile->date_of_birth, kDob);
}

TEST(Convergence, AnyOrderOfTheSameEventsGivesTheSameState) {
  std::vector<Event> events = Scenario();
  events.push_back(Decision("D-1", "police:wm/PP-1", "nhs:999", true, At("2026-11-01T10:00:00Z")));
  events.push_back(Decision("D-2", "police:wm/PP-1", "nhs:999", false, At("2026-11-02T10:00:00Z")));
  events.push_back(Decision("D-3", "record:home.oak/OH-1", "la:cov/LA-7", true, At("2026-11-03T10:00:00Z")));
  Event amended = Report("police.wm", "MP-1", kPolice, At("2026-10-01T18:30:00Z"));
  amended.revision = 2;
  amended.event_id = MakeEventId(amended.agency_id, amended.source_record, amended.facet, 2);
  events.push_back(amended);
  Event amended3 = amended;
  amended3.revision = 3;
  amended3.event_id = MakeEventId(amended.agency_id, amended.source_record, amended.facet, 3);
  events.push_back(amended3);
  const std::vector<std::string> children = {"police:wm/PP-1", "nhs:999", "record:home.oak/OH-1"};

  std::string reference;
  std::mt19937 rng(2026);
  for (int round = 0; round < 50; ++round) {
    std::shuffle(events.begin(), events.end(), rng);
    ChronologyStore store;
    for (const Event& e : events) store.Apply(e, At("2026-11-20T00:00:00Z"));
    for (const Event& e : events) store.Apply(e, At("2026-11-21T00:00:00Z"));  // and redelivered
    const std::string snapshot = testing::Snapshot(store, children);
    if (round == 0) reference = snapshot;
    ASSERT_EQ(snapshot, reference) << "round " << round;
  }
  EXPECT_THAT(reference, HasSubstr("la:cov/LA-7 [la:cov/LA-7,nhs:999,record:home.oak/OH-1]"));
  EXPECT_THAT(reference, HasSubstr("{police.wm/MP-1/report@1,police.wm/MP-1/report@2}"));
}

}  // namespace
}  // namespace homeward::aggregator
