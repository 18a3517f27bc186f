#include "services/adapters/domain/police_mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/domain/child_identifiers.h"
#include "services/adapters/domain/fields.h"
#include "services/adapters/domain/record_reader.h"
#include "tests/testing/adapters.h"
#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward::adapters {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::StatusIs;
using ::homeward::testing::TestNow;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kHeader[] =
    "occurrence_ref,record_version,person_id,forename,surname,date_of_birth,sex,nhs_number,category,"
    "risk_grade,reported_at,last_seen_at,last_seen_location,regrades,found_at,found_location,found_by,"
    "prevention_interview_at,recorded_at,warning_markers,agency_id\n";

// A clean row; tests change one field at a time through `Row(...)`.
constexpr char kGoodRow[] =
    "MP-1,2,PP-9,Jay,Testchild,2011-03-14,M,9990001014,ABSENT,no apparent risk,2026-11-03T19:10:00Z,"
    "2026-11-03T18:40:00Z,Oakfield House,2026-11-03T21:00:00Z|medium|PS 12|new information,"
    "2026-11-03T23:40:00Z,Oakfield House,self-returned,2026-11-04T10:00:00Z,2026-11-04T10:15:00Z,,";

class PoliceMappingTest : public ::testing::Test {
 protected:
  absl::StatusOr<std::vector<Event>> Map(const std::string& row) {
    return testing::MapOneCsvRow(mapping_, absl::StrCat(kHeader, row, "\n"));
  }
  // kGoodRow with the fields at the given (0-based) indexes replaced.
  static std::string Row(std::initializer_list<std::pair<int, std::string>> changes) {
    std::vector<std::string> fields = absl::StrSplit(kGoodRow, ',');
    for (const auto& [index, value] : changes) fields[index] = value;
    return absl::StrJoin(fields, ",");
  }
  static std::string Row(int index, const std::string& value) { return Row({{index, value}}); }

  SourceMapping mapping_ = testing::Mapping("police-csv", "police.wm", AgencyKind::kPolice, "west-midlands");
};

TEST_F(PoliceMappingTest, AFoundRowGivesReportRegradeAndFound) {
  auto events = Map(kGoodRow);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 3u);
  const Event& report = (*events)[0];
  EXPECT_EQ(report.event_id, "police.wm/MP-1/report@2");
  EXPECT_EQ(report.agency_kind, AgencyKind::kPolice);
  EXPECT_EQ(report.occurred_at, At("2026-11-03T19:10:00Z"));
  EXPECT_EQ(report.recorded_at, At("2026-11-04T10:15:00Z"));
  EXPECT_EQ(report.child->police_person_id, "PP-9");
  EXPECT_EQ(report.child->police_force, "west-midlands");
  EXPECT_EQ(report.child->nhs_number, "9990001014");
  EXPECT_EQ(report.child->date_of_birth, absl::CivilDay(2011, 3, 14));
  const auto& m = std::get<MissingReported>(report.payload);
  EXPECT_EQ(m.category, AbsenceCategory::kAbsent);
  EXPECT_EQ(m.category_as_recorded, "ABSENT");  // kept exactly as the force recorded it
  EXPECT_EQ(m.risk_grade, RiskGrade::kNoApparentRisk);
  EXPECT_EQ(m.last_seen_at, At("2026-11-03T18:40:00Z"));

  const auto& regrade = std::get<RiskRegraded>((*events)[1].payload);
  EXPECT_EQ((*events)[1].facet, "regrade-1");
  EXPECT_EQ((*events)[1].occurred_at, At("2026-11-03T21:00:00Z"));
  EXPECT_EQ(regrade.from_grade, RiskGrade::kNoApparentRisk);
  EXPECT_EQ(regrade.to_grade, RiskGrade::kMedium);
  EXPECT_EQ(regrade.decided_by, "PS 12");

  const auto& found = std::get<FoundReturned>((*events)[2].payload);
  EXPECT_EQ((*events)[2].event_id, "police.wm/MP-1/found@2");
  EXPECT_TRUE(found.prevention_interview_done);
  EXPECT_EQ(found.found_by, "self-returned");
}

TEST_F(PoliceMappingTest, AnOpenEpisodeHasNoFoundEvent) {
  auto events = Map(Row({{14, ""}, {15, ""}, {16, ""}, {17, ""}}));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->size(), 2u);
  EXPECT_EQ(events->back().facet, "regrade-1");
}

TEST_F(PoliceMappingTest, AnNhsNumberFailingItsCheckDigitIsKeptButNeverAnIdentifier) {
  // A missing child's report is not lost to a typo: published, the number kept as unverified.
  auto events = Map(Row(7, "9990001011"));
  ASSERT_TRUE(events.ok()) << events.status();
  const ChildRef& child = events->front().child;
  EXPECT_EQ(child.nhs_number, "");
  EXPECT_EQ(child.unverified_nhs_number, "9990001011");
  EXPECT_THAT(StrongIdentifiers(child), ElementsAre("police:west-midlands/PP-9"));
  EXPECT_THAT(RecordWarnings(*events), ElementsAre(HasSubstr("nhs_number: fails its Modulus 11 check digit")));
  // Written with spaces as people write it: read without them, and valid.
  events = Map(Row(7, "999 000 1014"));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().child->nhs_number, "9990001014");
  EXPECT_THAT(RecordWarnings(*events), ::testing::IsEmpty());
  // Not a number at all: kept as written (without spaces) all the same.
  events = Map(Row(7, "not known"));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().child->unverified_nhs_number, "notknown");
}

TEST_F(PoliceMappingTest, SameRowSameRevisionGivesTheSameIds) {
  auto first = Map(kGoodRow);
  auto again = Map(kGoodRow);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(*first, *again);
}

TEST_F(PoliceMappingTest, RejectsMissingRequiredFields) {
  EXPECT_THAT(Map(Row(0, "")), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("occurrence_ref: required")));
  EXPECT_THAT(Map(Row(2, "")), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("person_id: required")));
  EXPECT_THAT(Map(Row(10, "")), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reported_at: required")));
}

TEST_F(PoliceMappingTest, RejectsUnknownCodes) {
  EXPECT_THAT(Map(Row(8, "WANDERING")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("category: unknown code 'WANDERING'")));
  EXPECT_THAT(Map(Row(9, "severe")), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("risk_grade")));
  EXPECT_THAT(Map(Row(6, "X")), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sex")));
}

TEST_F(PoliceMappingTest, RejectsUnreadableTimesAndVersions) {
  EXPECT_THAT(Map(Row(10, "03/11/2026 7pm")), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reported_at")));
  EXPECT_THAT(Map(Row(1, "two")), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("record_version")));
  EXPECT_THAT(Map(Row(13, "2026-11-03T21:00:00Z|medium|PS|a|b")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("regrades: item 1")));
}

TEST_F(PoliceMappingTest, RejectsFoundBeforeMissing) {
  EXPECT_THAT(Map(Row(14, "2026-11-03T17:00:00Z")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("end before start")));
}

TEST_F(PoliceMappingTest, WarningMarkersBecomeExploitationConcerns) {
  auto events = Map(Row(19, "CSE;cce"));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 5u);
  EXPECT_EQ((*events)[2].facet, "marker-cse");
  EXPECT_EQ(std::get<ExploitationConcern>((*events)[2].payload).type, ExploitationType::kCse);
  EXPECT_EQ(std::get<ExploitationConcern>((*events)[3].payload).type, ExploitationType::kCce);
  EXPECT_THAT(Map(Row(19, "gangs")), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("warning_markers")));
}

TEST_F(PoliceMappingTest, ARecordClaimingAnotherAgencyIsRejected) {
  EXPECT_TRUE(Map(Row(20, "police.wm")).ok());
  EXPECT_THAT(Map(Row(20, "police.elsewhere")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("claims to be from 'police.elsewhere'")));
}

TEST_F(PoliceMappingTest, AnAreasColumnNamesAndCodesComeFromItsMapping) {
  mapping_.columns = {{"occurrence_ref", "OccNo"}, {"category", "Type"}, {"risk_grade", "Risk"}};
  mapping_.codes["category"]["MFH"] = "missing";
  mapping_.codes["risk_grade"]["H"] = "high";
  std::string header = kHeader;
  header.replace(header.find("occurrence_ref"), 14, "OccNo");
  header.replace(header.find("category"), 8, "Type");
  header.replace(header.find("risk_grade"), 10, "Risk");
  auto events = testing::MapOneCsvRow(mapping_, absl::StrCat(header, Row({{8, "MFH"}, {9, "H"}, {13, "2026-11-03T21:00:00Z|M|PS 12|x"}}), "\n"));
  ASSERT_FALSE(events.ok());  // "M" is not in this mapping's grade codes...
  EXPECT_THAT(events.status().message(), HasSubstr("regrades[1]: unknown code 'M' (this export's codes: H)"));
  mapping_.codes["risk_grade"]["M"] = "medium";
  events = testing::MapOneCsvRow(mapping_, absl::StrCat(header, Row({{8, "MFH"}, {9, "H"}, {13, "2026-11-03T21:00:00Z|M|PS 12|x"}}), "\n"));
  ASSERT_TRUE(events.ok()) << events.status();
  const auto& report = std::get<MissingReported>((*events)[0].payload);
  EXPECT_EQ(report.category, AbsenceCategory::kMissing);
  EXPECT_EQ(report.category_as_recorded, "MFH");  // the force's own code, verbatim
  EXPECT_EQ(report.risk_grade, RiskGrade::kHigh);
  EXPECT_EQ(std::get<RiskRegraded>((*events)[1].payload).to_grade, RiskGrade::kMedium);
}

TEST_F(PoliceMappingTest, AnUnknownCodeIsReportedWithThisExportsOwnCodes) {
  mapping_.columns = {{"category", "MissingType"}, {"warning_markers", "Markers"}};
  mapping_.codes["category"] = {{"MFH", "missing"}, {"MFC", "missing"}, {"ABS", "absent"}};
  mapping_.codes["warning_markers"] = {{"SE", "CSE"}, {"CE", "CCE"}};
  std::string header = kHeader;
  header.replace(header.find("category"), 8, "MissingType");
  header.replace(header.find("warning_markers"), 15, "Markers");
  auto map = [&](const std::string& row) { return testing::MapOneCsvRow(mapping_, absl::StrCat(header, row, "\n")); };
  EXPECT_THAT(map(Row(8, "XYZ")), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("MissingType: unknown code 'XYZ' (this export's codes: ABS, MFC, MFH)")));
  EXPECT_THAT(map(Row({{8, "MFH"}, {19, "SE;gangs"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("Markers: unknown code 'gangs' (this export's codes: CE, SE)")));
  // A field with no table of this export's: the standard values, as before.
  EXPECT_THAT(map(Row({{8, "MFH"}, {9, "severe"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("risk_grade: cannot read 'severe' (expected no apparent risk, low, medium or high)")));
  // A canonical value the table does not list is still read as written.
  EXPECT_TRUE(map(Row({{8, "absent"}, {19, "SE;trafficking"}})).ok());
}

// Local times at the clock changes: the rule (RFC 5545) unless the record's own order needs the
// other reading (fields.h, PutInOrder).
class PoliceClockChangeTest : public PoliceMappingTest {
 protected:
  void SetUp() override {
    mapping_.time_zone = UkTimeZone();
    if (mapping_.time_zone.name() != "Europe/London") GTEST_SKIP() << "no time-zone data on this machine";
  }
  // kGoodRow with local times for last seen, reported and found.
  absl::StatusOr<std::vector<Event>> MapTimes(const std::string& seen, const std::string& reported,
                                              const std::string& found) {
    return Map(Row({{10, reported}, {11, seen}, {13, ""}, {14, found}}));
  }
};

TEST_F(PoliceClockChangeTest, ASightingInTheSpringGapIsNotAfterTheReport) {
  // Last seen "01:30", which did not happen; reported at 02:10 BST. Was: "after the report".
  auto events = MapTimes("2026-03-29 01:30", "2026-03-29 02:10", "2026-03-29 09:00");
  ASSERT_TRUE(events.ok()) << events.status();
  const Event& report = events->front();
  EXPECT_EQ(report.occurred_at, At("2026-03-29T01:10:00Z"));
  EXPECT_EQ(std::get<MissingReported>(report.payload).last_seen_at, At("2026-03-29T00:30:00Z"));
}

TEST_F(PoliceClockChangeTest, AReportInTheSpringGapIsNotAfterTheFinding) {
  auto events = MapTimes("", "2026-03-29 01:40", "2026-03-29 02:20");
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().occurred_at, At("2026-03-29T00:40:00Z"));
  EXPECT_EQ(events->back().occurred_at, At("2026-03-29T01:20:00Z"));
  // Found in the gap after a report before it: the rule's reading, in order already.
  events = MapTimes("", "2026-03-29 00:50", "2026-03-29 01:30");
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->back().occurred_at, At("2026-03-29T01:30:00Z"));
}

TEST_F(PoliceClockChangeTest, InTheRepeatedHourTheFindingIsNotBeforeTheReport) {
  // Reported at 01:50 and found at 01:20 on 2026-10-25: found in the second 01:00-02:00.
  auto events = MapTimes("", "2026-10-25 01:50", "2026-10-25 01:20");
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().occurred_at, At("2026-10-25T00:50:00Z"));  // first occurrence: the rule
  EXPECT_EQ(events->back().occurred_at, At("2026-10-25T01:20:00Z"));   // second: the order
  // Last seen at 01:40, reported at 01:10: the report is the second 01:10.
  events = MapTimes("2026-10-25 01:40", "2026-10-25 01:10", "2026-10-25 03:00");
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().occurred_at, At("2026-10-25T01:10:00Z"));
  EXPECT_EQ(std::get<MissingReported>(events->front().payload).last_seen_at, At("2026-10-25T00:40:00Z"));
  // In order by the rule: both first occurrences.
  events = MapTimes("2026-10-25 01:05", "2026-10-25 01:25", "2026-10-25 04:00");
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().occurred_at, At("2026-10-25T00:25:00Z"));
}

TEST_F(PoliceClockChangeTest, ATrueOrderingErrorIsStillRejected) {
  EXPECT_THAT(MapTimes("", "2026-10-25 00:30", "2026-10-25 00:10"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("end before start")));
  EXPECT_THAT(MapTimes("2026-03-29 03:00", "2026-03-29 01:30", "2026-03-29 09:00"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("last_seen_at: after the report")));
}

TEST_F(PoliceMappingTest, RejectsEventsInTheFuture) {
  EXPECT_THAT(Map(Row(18, "2027-01-01T00:00:00Z")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("in the future")));
}

}  // namespace
}  // namespace homeward::adapters
