#include "services/adapters/domain/other_mappings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/adapters/domain/fields.h"
#include "tests/testing/adapters.h"
#include "tests/testing/status_matchers.h"

namespace homeward::adapters {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MapOneCsvRow;
using ::homeward::testing::Mapping;
using ::homeward::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;

// ---- care homes ----

const SourceMapping kHome = Mapping("care-home-csv", "home.test", AgencyKind::kResidentialHome, "coventry");
constexpr char kHomeHeader[] =
    "absence_ref,record_version,la_child_id,forename,surname,date_of_birth,sex,home_name,home_urn,category,"
    "absent_from,returned_at,returned_how,recorded_at\n";

TEST(CareHomeMapping, AnAbsenceAndReturnAsTheHomeRecordedThem) {
  auto events = MapOneCsvRow(kHome, std::string(kHomeHeader) +
                                        "OH-1,2,LA-7,T,S,2010-11-20,M,Oakfield,SC1,missing,2026-11-03T18:55:00Z,"
                                        "2026-11-03T23:30:00Z,self-returned,2026-11-04T08:00:00Z\n");
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].event_id, "home.test/OH-1/absence@2");
  EXPECT_EQ((*events)[0].child->la_child_id, "LA-7");
  EXPECT_EQ((*events)[0].child->local_authority, "coventry");
  const auto& absence = std::get<MissingReported>((*events)[0].payload);
  EXPECT_EQ(absence.category, AbsenceCategory::kMissing);
  EXPECT_EQ(absence.placement_ref, "SC1");
  EXPECT_EQ(absence.last_seen_location, "Oakfield");
  // The home gives no last-seen time: the start of the absence is not one, so none is invented.
  EXPECT_EQ(absence.last_seen_at, std::nullopt);
  EXPECT_EQ((*events)[1].occurred_at, At("2026-11-03T23:30:00Z"));
}

TEST(CareHomeMapping, ReturnBeforeAbsenceIsRejected) {
  EXPECT_THAT(MapOneCsvRow(kHome, std::string(kHomeHeader) +
                                      "OH-1,2,LA-7,T,S,2010-11-20,M,Oakfield,SC1,away,2026-11-03T18:55:00Z,"
                                      "2026-11-03T17:30:00Z,,2026-11-04T08:00:00Z\n"),
              StatusIs(kInvalid, HasSubstr("returned_at: before the start")));
}

TEST(CareHomeMapping, AReturnInTheRepeatedHourIsNotBeforeTheAbsence) {
  SourceMapping home = kHome;
  home.time_zone = UkTimeZone();
  if (home.time_zone.name() != "Europe/London") GTEST_SKIP() << "no time-zone data on this machine";
  // Absent from 01:50 (the first 01:50, BST), back at 01:20: the second 01:20 (GMT).
  auto events = MapOneCsvRow(home, std::string(kHomeHeader) +
                                       "OH-1,2,LA-7,T,S,2010-11-20,M,Oakfield,SC1,missing,2026-10-25 01:50,"
                                       "2026-10-25 01:20,self-returned,2026-10-25 08:00\n");
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->at(0).occurred_at, At("2026-10-25T00:50:00Z"));
  EXPECT_EQ(events->at(1).occurred_at, At("2026-10-25T01:20:00Z"));
}

// ---- return home interviews ----

const SourceMapping kRhi = Mapping("rhi-csv", "rhi.test", AgencyKind::kRhiProvider, "coventry");
constexpr char kRhiHeader[] =
    "interview_ref,record_version,nhs_number,forename,surname,date_of_birth,sex,episode_ref,offered_at,outcome,"
    "outcome_at,independent,conducted_by,reason,push_factors,pull_factors,where_and_with_whom,harm_disclosed,"
    "exploitation_indicators,childs_own_words,recorded_at\n";

TEST(RhiMapping, ACompletedInterviewKeepsItsContentAndTheChildsWords) {
  auto events = MapOneCsvRow(
      kRhi, std::string(kRhiHeader) +
                "R-1,2,999,M,E,2014-06-02,F,MP-1,2026-10-15T10:00:00Z,completed,2026-10-17T00:25:00Z,Y,Worker,,"
                "arguments;school,friends,\"Park, with older children\",Y,unexplained money,\"I was upset, "
                "I didn't want to go home.\",2026-10-17T09:00:00Z\n");
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(PayloadIf<ReturnInterview>((*events)[0].payload)->outcome, InterviewOutcome::kOffered);
  const auto& done = *PayloadIf<ReturnInterview>((*events)[1].payload);
  EXPECT_EQ(done.outcome, InterviewOutcome::kCompleted);
  EXPECT_TRUE(done.independent);
  EXPECT_TRUE(done.harm_disclosed);
  EXPECT_THAT(done.push_factors, ElementsAre("arguments", "school"));
  EXPECT_THAT(done.exploitation_indicators, ElementsAre("unexplained money"));
  EXPECT_EQ(done.childs_own_words, "I was upset, I didn't want to go home.");
  EXPECT_EQ((*events)[1].occurred_at, At("2026-10-17T00:25:00Z"));
}

TEST(RhiMapping, AnOfferStillOpenGivesOnlyTheOffer) {
  auto events = MapOneCsvRow(kRhi, std::string(kRhiHeader) +
                                       "R-2,1,999,M,E,2014-06-02,F,MP-1,2026-10-15T10:00:00Z,pending,,Y,W,,,,,N,,,"
                                       "2026-10-15T10:10:00Z\n");
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->size(), 1u);
}

TEST(RhiMapping, ARefusalOrADecisionNotToOfferNeedsAReason) {
  EXPECT_THAT(MapOneCsvRow(kRhi, std::string(kRhiHeader) +
                                     "R-3,1,999,M,E,2014-06-02,F,MP-1,2026-10-15T10:00:00Z,declined,"
                                     "2026-10-16T10:00:00Z,Y,W,,,,,N,,,2026-10-16T10:10:00Z\n"),
              StatusIs(kInvalid, HasSubstr("reason: required when declined")));
  auto not_offered = MapOneCsvRow(kRhi, std::string(kRhiHeader) +
                                            "R-4,1,999,M,E,2014-06-02,F,MP-1,,not offered,2026-10-16T10:00:00Z,N,"
                                            "Manager,Child moved out of area,,,,N,,,2026-10-16T10:10:00Z\n");
  ASSERT_TRUE(not_offered.ok()) << not_offered.status();
  EXPECT_EQ(PayloadIf<ReturnInterview>(not_offered->at(0).payload)->outcome, InterviewOutcome::kNotOffered);
}

TEST(RhiMapping, UnknownOutcomesAndYesNoValuesAreRejected) {
  EXPECT_THAT(MapOneCsvRow(kRhi, std::string(kRhiHeader) +
                                     "R-5,1,999,M,E,2014-06-02,F,MP-1,2026-10-15T10:00:00Z,maybe,,Y,W,,,,,N,,,"
                                     "2026-10-15T10:10:00Z\n"),
              StatusIs(kInvalid, HasSubstr("outcome: unknown code 'maybe'")));
  EXPECT_THAT(MapOneCsvRow(kRhi, std::string(kRhiHeader) +
                                     "R-6,1,999,M,E,2014-06-02,F,MP-1,2026-10-15T10:00:00Z,,,perhaps,W,,,,,N,,,"
                                     "2026-10-15T10:10:00Z\n"),
              StatusIs(kInvalid, HasSubstr("independent: cannot read 'perhaps'")));
}

// ---- education and health ----

TEST(NoteMapping, ANoteIsAChronologyEntryNotAnEpisode) {
  SourceMapping m = Mapping("note-csv", "health.test", AgencyKind::kHealth, "coventry");
  m.codes["kind"]["ED"] = "unscheduled-care";
  const std::string header = "record_ref,record_version,nhs_number,forename,surname,date_of_birth,sex,kind,occurred_at,summary,recorded_at\n";
  auto events = MapOneCsvRow(m, header + "ED-1,1,999,J,T,2011-03-14,M,ED,2026-10-11T04:10:00Z,Attended ED,2026-10-11T06:00:00Z\n");
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(std::get<ChronologyNote>(events->at(0).payload).kind, "unscheduled-care");
  EXPECT_THAT(MapOneCsvRow(m, header + "ED-2,1,999,J,T,2011-03-14,M,XRAY,2026-10-11T04:10:00Z,x,2026-10-11T06:00:00Z\n"),
              StatusIs(kInvalid, HasSubstr("kind: unknown code 'XRAY'")));
}

// ---- SSDA903 Missing table ----

SourceMapping Ssda903() {
  SourceMapping m = Mapping("ssda903-missing-csv", "ssda903.cov", AgencyKind::kSsda903Return, "coventry");
  m.default_revision = 2026;
  m.columns = {{"la_child_id", "CHILD"}, {"date_of_birth", "DOB"}, {"category", "MISSING"},
               {"start", "MIS_START"}, {"end", "MIS_END"}};
  return m;
}
constexpr char k903Header[] = "CHILD,DOB,MISSING,MIS_START,MIS_END\n";

TEST(Ssda903Mapping, ARowIsOneEpisodeKeyedByChildAndStart) {
  auto events = MapOneCsvRow(Ssda903(), std::string(k903Header) + "LA-7,20/11/2010,A,12/11/2026,13/11/2026\n");
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  const Event& e = events->at(0);
  EXPECT_EQ(e.event_id, "ssda903.cov/LA-7/2026-11-12/episode@2026");
  EXPECT_EQ(e.child->la_child_id, "LA-7");
  EXPECT_EQ(e.child->date_of_birth, absl::CivilDay(2010, 11, 20));
  const auto& m = std::get<MissingReported>(e.payload);
  EXPECT_EQ(m.category, AbsenceCategory::kAwayWithoutAuthorisation);
  EXPECT_EQ(m.category_as_recorded, "A");
  ASSERT_TRUE(m.ended_at.has_value());
}

TEST(Ssda903Mapping, AnOpenEpisodeHasNoEnd) {
  auto events = MapOneCsvRow(Ssda903(), std::string(k903Header) + "LA-7,20/11/2010,M,20/11/2026,\n");
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_FALSE(std::get<MissingReported>(events->at(0).payload).ended_at.has_value());
}

TEST(Ssda903Mapping, RejectsEndBeforeStartUnknownCodesAndImpossibleDates) {
  EXPECT_THAT(MapOneCsvRow(Ssda903(), std::string(k903Header) + "LA-7,20/11/2010,M,12/11/2026,11/11/2026\n"),
              StatusIs(kInvalid, HasSubstr("MIS_END: before the start")));
  EXPECT_THAT(MapOneCsvRow(Ssda903(), std::string(k903Header) + "LA-7,20/11/2010,X,12/11/2026,\n"),
              StatusIs(kInvalid, HasSubstr("MISSING: unknown code 'X'")));
  EXPECT_THAT(MapOneCsvRow(Ssda903(), std::string(k903Header) + "LA-7,20/11/2010,M,31/02/2026,\n"),
              StatusIs(kInvalid, HasSubstr("MIS_START")));
  EXPECT_THAT(MapOneCsvRow(Ssda903(), std::string(k903Header) + ",20/11/2010,M,12/11/2026,\n"),
              StatusIs(kInvalid, HasSubstr("CHILD: required")));
}

TEST(Ssda903Mapping, ARecordIsNamedByChildAndStartAlsoWhenItIsRejected) {
  auto table = ParseCsv(std::string(k903Header) + "LA-7,20/11/2010,M,12/11/2026,\nLA-8,20/11/2010,M,31/02/2026,\n");
  ASSERT_TRUE(table.ok());
  const SourceMapping m = Ssda903();
  EXPECT_EQ(Ssda903Reference(MappedRow(table->rows[0], m)), "LA-7/2026-11-12");  // as the event's source record
  EXPECT_EQ(Ssda903Reference(MappedRow(table->rows[1], m)), "LA-8/31/02/2026");   // as written
}

// ---- children's social care ----

TEST(SocialCareMapping, AMissingEpisodeHasNoInventedLastSeenTime) {
  const SourceMapping m = Mapping("social-care-json", "lcs.test", AgencyKind::kSocialCare, "coventry");
  const SourceRow row("/children/0/missing_episodes/0",
                      {{"la_child_id", "LA-7"}, {"surname", "S"}, {"date_of_birth", "2010-11-20"},
                       {"entry_type", "missing_episode"}, {"ref", "ME-1"}, {"version", "1"},
                       {"category", "missing"}, {"start", "2026-11-03T18:55:00Z"}, {"end", "2026-11-04T01:00:00Z"},
                       {"recorded_at", "2026-11-04T08:00:00Z"}});
  auto events = MapSocialCareRow(MappedRow(row, m), testing::TestNow());
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->at(0).occurred_at, At("2026-11-03T18:55:00Z"));
  EXPECT_EQ(std::get<MissingReported>(events->at(0).payload).last_seen_at, std::nullopt);
}

}  // namespace
}  // namespace homeward::adapters
