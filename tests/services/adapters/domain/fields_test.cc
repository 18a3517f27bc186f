#include "services/adapters/domain/fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace homeward::adapters {
namespace {

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
