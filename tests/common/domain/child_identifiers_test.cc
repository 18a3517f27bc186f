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
