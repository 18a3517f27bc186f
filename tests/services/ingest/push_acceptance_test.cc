#include "services/ingest/domain/push_acceptance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward::ingest {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::IsOk;
using ::homeward::testing::PoliceReport;
using ::homeward::testing::StatusIs;
using ::homeward::testing::TestNow;
using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(PushAcceptance, AnAgencyPublishesAsItself) {
  EXPECT_THAT(CheckPushedEvent(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")), "police.test", TestNow()),
              IsOk());
}

TEST(PushAcceptance, AnAgencyCannotPublishAsAnother) {
  EXPECT_THAT(CheckPushedEvent(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")), "health.test", TestNow()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("claims to be from 'police.test'")));
}

TEST(PushAcceptance, InvalidEventsAreRefused) {
  EXPECT_THAT(CheckPushedEvent(PoliceReport("MP-1", "PP-1", TestNow() + absl::Hours(2)), "police.test", TestNow()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("future")));
}

TEST(PushAcceptance, AnNhsNumberFailingItsCheckDigitIsRefusedSayingWhereItBelongs) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  e.child.Mutable().nhs_number = "9990004044";
  EXPECT_THAT(CheckPushedEvent(e, "police.test", TestNow()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("child.nhs_number"), HasSubstr("child.unverified_nhs_number"))));
  std::swap(e.child.Mutable().nhs_number, e.child.Mutable().unverified_nhs_number);
  EXPECT_THAT(CheckPushedEvent(e, "police.test", TestNow()), IsOk());
}

}  // namespace
}  // namespace homeward::ingest
