#include "common/domain/child_identifiers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace homeward {
namespace {

using ::homeward::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ChildIdentifiers, WritesEveryStrongIdentifierQualifiedByItsIssuer) {
  const ChildRef child{.la_child_id = "LA-7",
                       .local_authority = "coventry",
                       .nhs_number = "9990001014",
                       .police_person_id = "PP-1",
                       .police_force = "west-midlands",
                       .upn = "A123",
                       .given_name = "Not",
                       .family_name = "An-identifier"};
  EXPECT_THAT(StrongIdentifiers(child),
              ElementsAre("la:coventry/LA-7", "nhs:9990001014", "police:west-midlands/PP-1", "upn:A123"));
}

TEST(ChildIdentifiers, AnUnverifiedNhsNumberIsNeverAnIdentifier) {
  EXPECT_THAT(StrongIdentifiers(ChildRef{.unverified_nhs_number = "9990001011", .police_person_id = "PP-1",
                                         .police_force = "wm"}),
              ElementsAre("police:wm/PP-1"));
}

TEST(NhsNumber, TheModulus11CheckDigit) {
  // 9,9,9,0,0,0,1,0,1 weighted 10..2: 90+81+72+0+0+0+4+0+2 = 249; 249 mod 11 = 7; 11 - 7 = 4.
  EXPECT_TRUE(CheckNhsNumber("9990001014").ok());
  EXPECT_TRUE(CheckNhsNumber("9990003033").ok());
  EXPECT_TRUE(CheckNhsNumber("9434765919").ok());  // the NHS Data Dictionary's own example
  // 999000005: 90+81+72+10 = 253 = 23 * 11; 11 - 0 = 11, written 0.
  EXPECT_TRUE(CheckNhsNumber("9990000050").ok());
  EXPECT_THAT(CheckNhsNumber("9990001011"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("check digit does not match")));
  EXPECT_THAT(CheckNhsNumber("9990000000"),  // 243 mod 11 = 1: 11 - 1 = 10, no valid number
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no valid check digit")));
  for (const char* wrong : {"", "999000101", "99900010144", "999000101X", "999 000 1014"}) {
    EXPECT_THAT(CheckNhsNumber(wrong), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ten digits"))) << wrong;
  }
}

TEST(ChildIdentifiers, NamesAloneAreNotIdentifiers) {
  EXPECT_TRUE(StrongIdentifiers(ChildRef{.given_name = "A", .family_name = "B"}).empty());
}

TEST(ChildIdentifiers, ParsesAndCanonicalisesAQuery) {
  EXPECT_EQ(*ParseChildIdentifier("  POLICE: west-midlands/PP-1 "), "police:west-midlands/PP-1");
}

TEST(ChildIdentifiers, RejectsUnknownSchemesAndEmptyValues) {
  EXPECT_THAT(ParseChildIdentifier("passport:123"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown identifier scheme")));
  EXPECT_THAT(ParseChildIdentifier("nhs:"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no value")));
  EXPECT_THAT(ParseChildIdentifier("9990001014"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no scheme")));
}

}  // namespace
}  // namespace homeward
