#include "common/domain/event_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::IsOk;
using ::homeward::testing::PoliceReport;
using ::homeward::testing::StatusIs;
using ::homeward::testing::TestNow;
using ::testing::HasSubstr;

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;

TEST(EventValidation, AcceptsAWellFormedReport) {
  EXPECT_THAT(ValidateEvent(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")), TestNow()), IsOk());
}

TEST(EventValidation, RejectsAnIdThatDoesNotMatchItsParts) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  e.event_id = "police.test/MP-1/report@2";
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("event_id")));
}

TEST(EventValidation, RejectsMissingRequiredFields) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  e.agency_id.clear();
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("agency_id")));
}

TEST(EventValidation, RejectsAChildWithNoIdentifierAtAll) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  e.child = ChildRef{.given_name = "Anon"};
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("child")));
}

TEST(EventValidation, AcceptsNameAndDateOfBirthWithoutStrongIdentifier) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  e.child = ChildRef{.family_name = "Testchild", .date_of_birth = absl::CivilDay(2012, 1, 2)};
  EXPECT_THAT(ValidateEvent(e, TestNow()), IsOk());
}

TEST(EventValidation, FutureBeyondToleranceIsRejectedWithinIsAccepted) {
  Event e = PoliceReport("MP-1", "PP-1", TestNow() + absl::Minutes(14));
  e.recorded_at = e.occurred_at;
  EXPECT_THAT(ValidateEvent(e, TestNow()), IsOk());
  e = PoliceReport("MP-1", "PP-1", TestNow() + absl::Minutes(16));
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("future")));
}

TEST(EventValidation, RejectsImpossiblyOldTimes) {
  EXPECT_THAT(ValidateEvent(PoliceReport("MP-1", "PP-1", At("1970-01-01T00:00:00Z")), TestNow()),
              StatusIs(kInvalid, HasSubstr("impossible")));
}

TEST(EventValidation, RejectsAnEndBeforeTheStart) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  std::get<MissingReported>(e.payload).ended_at = At("2026-10-01T18:00:00Z");
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("before start")));
}

TEST(EventValidation, RejectsABirthAfterTheEvent) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  e.child.date_of_birth = absl::CivilDay(2026, 12, 1);
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("date_of_birth")));
}

TEST(EventValidation, RejectsAReportWithoutCategory) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  std::get<MissingReported>(e.payload).category = AbsenceCategory::kUnspecified;
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("category")));
}

}  // namespace
}  // namespace homeward
