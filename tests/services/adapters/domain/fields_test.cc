#include "services/adapters/domain/fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward::adapters {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::StatusIs;
using ::testing::HasSubstr;

TEST(Fields, ReadsRfc3339AndLocalTimes) {
  const absl::TimeZone uk = UkTimeZone();
  EXPECT_EQ(*ParseTime("t", "2026-10-01T19:00:00+01:00", uk), *ParseTime("t", "2026-10-01T18:00:00Z", uk));
  if (uk.name() == "Europe/London") {  // summer time: local 19:00 is 18:00 UTC
    EXPECT_EQ(*ParseTime("t", "2026-10-01 19:00", uk), *ParseTime("t", "2026-10-01T18:00:00Z", uk));
  }
  EXPECT_THAT(ParseTime("reported_at", "yesterday", uk),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reported_at: cannot read 'yesterday'")));
}

// ---- local times at the clock changes (RFC 5545 §3.3.5) ----

class ClockChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (uk_.name() != "Europe/London") GTEST_SKIP() << "no time-zone data on this machine";
  }
  ExportTime Read(const std::string& local) { return *ParseTime("t", local, uk_); }

  absl::TimeZone uk_ = UkTimeZone();
};

TEST_F(ClockChangeTest, ATimeInTheSpringGapIsReadWithTheOffsetBeforeTheGap) {
  // 2026-03-29: clocks go from 01:00 GMT to 02:00 BST; 01:30 never happens.
  EXPECT_EQ(Read("2026-03-29 01:30"), (ExportTime{.at = At("2026-03-29T01:30:00Z"),      // 02:30 BST
                                                  .other = At("2026-03-29T00:30:00Z")}));  // offset after
}

TEST_F(ClockChangeTest, ARepeatedTimeInTheAutumnIsItsFirstOccurrence) {
  // 2026-10-25: clocks go from 02:00 BST back to 01:00 GMT; 01:30 happens twice.
  EXPECT_EQ(Read("2026-10-25 01:30"), (ExportTime{.at = At("2026-10-25T00:30:00Z"),      // 01:30 BST
                                                  .other = At("2026-10-25T01:30:00Z")}));  // 01:30 GMT
}

TEST_F(ClockChangeTest, OtherTimesHaveOneReading) {
  EXPECT_EQ(Read("2026-10-25 02:30").other, std::nullopt);
  EXPECT_EQ(Read("2026-03-29 00:59").other, std::nullopt);
  EXPECT_EQ(Read("2026-10-25T01:30:00+01:00"), (ExportTime{.at = At("2026-10-25T00:30:00Z")}));  // an offset decides
}

TEST_F(ClockChangeTest, TheOtherReadingIsUsedOnlyWhereTheRecordsOrderNeedsIt) {
  // Spring, the gap time first: last seen "01:30", reported 02:10 BST (01:10Z). By the rule the
  // sighting would follow the report; read with the offset after the gap, it is 00:30Z.
  ExportTime seen = Read("2026-03-29 01:30"), reported = Read("2026-03-29 02:10");
  EXPECT_TRUE(PutInOrder({{&seen, &reported}}));
  EXPECT_EQ(seen.at, At("2026-03-29T00:30:00Z"));
  EXPECT_EQ(reported.at, At("2026-03-29T01:10:00Z"));
  // Spring, the gap time second: the rule's reading is already in order and stays.
  ExportTime before = Read("2026-03-29 00:50"), gap = Read("2026-03-29 01:30");
  EXPECT_TRUE(PutInOrder({{&before, &gap}}));
  EXPECT_EQ(gap.at, At("2026-03-29T01:30:00Z"));
  // Autumn, found "01:20" after a report at "01:50" in the first 01:00-02:00: the second 01:20.
  ExportTime report = Read("2026-10-25 01:50"), found = Read("2026-10-25 01:20");
  EXPECT_TRUE(PutInOrder({{&report, &found}}));
  EXPECT_EQ(report.at, At("2026-10-25T00:50:00Z"));
  EXPECT_EQ(found.at, At("2026-10-25T01:20:00Z"));
  // Autumn, in order already: both stay first occurrences.
  ExportTime first = Read("2026-10-25 01:10"), second = Read("2026-10-25 01:40");
  EXPECT_TRUE(PutInOrder({{&first, &second}}));
  EXPECT_EQ(second.at, At("2026-10-25T00:40:00Z"));
}

TEST_F(ClockChangeTest, AnOrderNoReadingMendsIsLeftAsTheRuleReadsIt) {
  ExportTime found = Read("2026-10-25 00:10"), reported = Read("2026-10-25 00:30");  // both unique
  EXPECT_FALSE(PutInOrder({{&reported, &found}}));
  ExportTime late = Read("2026-10-25 01:50"), early = Read("2026-10-25 00:20");
  EXPECT_FALSE(PutInOrder({{&late, &early}}));  // 01:50 BST or GMT: both after 00:20 BST
  EXPECT_EQ(late.at, At("2026-10-25T00:50:00Z"));
}

TEST(Fields, ReadsBothDateFormsAndRefusesImpossibleDates) {
  EXPECT_EQ(*ParseDate("d", "2011-03-14"), absl::CivilDay(2011, 3, 14));
  EXPECT_EQ(*ParseDate("d", "14/03/2011"), absl::CivilDay(2011, 3, 14));
  EXPECT_THAT(ParseDate("DOB", "31/02/2015"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("exists")));
  EXPECT_FALSE(ParseDate("d", "2011-03-14x").ok());
}

TEST(Fields, ReadsRiskGradesIncludingOldAbsentWording) {
  EXPECT_EQ(*ParseRiskGrade("g", "No Apparent Risk"), RiskGrade::kNoApparentRisk);
  EXPECT_EQ(*ParseRiskGrade("g", "very low"), RiskGrade::kNoApparentRisk);
  EXPECT_EQ(*ParseRiskGrade("g", "HIGH"), RiskGrade::kHigh);
  EXPECT_FALSE(ParseRiskGrade("g", "critical").ok());
}

TEST(Fields, ReadsEachAgencysCategoryWording) {
  EXPECT_EQ(*ParseCategory("c", "Missing from care"), AbsenceCategory::kMissing);
  EXPECT_EQ(*ParseCategory("c", "ABSENT"), AbsenceCategory::kAbsent);
  EXPECT_EQ(*ParseCategory("c", "A"), AbsenceCategory::kAwayWithoutAuthorisation);
  EXPECT_THAT(ParseCategory("MissingType", "MFH"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("MissingType: unknown code 'MFH'")));
}

}  // namespace
}  // namespace homeward::adapters
