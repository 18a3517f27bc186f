#include "common/security/token.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace homeward::security {
namespace {

using ::homeward::testing::StatusIs;
using ::testing::HasSubstr;

const std::string kKey(64, 'k');
const absl::Time kNow = absl::FromUnixSeconds(1795000000);

TokenClaims Coordinator() {
  return {.subject = "cw-1",
          .role = access::Role::kCoordinator,
          .agency = "lcs.coventry",
          .authority = "coventry",
          .issued_at = kNow,
          .expires_at = kNow + absl::Hours(8)};
}

TEST(Token, RoundTripsItsClaims) {
  absl::StatusOr<std::string> token = IssueToken(Coordinator(), kKey);
  ASSERT_TRUE(token.ok()) << token.status();
  absl::StatusOr<TokenClaims> claims = VerifyToken(*token, kKey, kNow + absl::Hours(1), absl::Hours(12));
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->subject, "cw-1");
  EXPECT_EQ(claims->role, access::Role::kCoordinator);
  EXPECT_EQ(claims->agency, "lcs.coventry");
  EXPECT_EQ(claims->authority, "coventry");
  EXPECT_EQ(claims->expires_at, kNow + absl::Hours(8));
}

TEST(Token, AnythingButAnIntactCurrentTokenIsUnauthenticated) {
  const std::string token = *IssueToken(Coordinator(), kKey);
  const auto verify = [&](const std::string& t, absl::Time now = kNow) {
    return VerifyToken(t, kKey, now, absl::Hours(12));
  };
  EXPECT_THAT(verify(token, kNow + absl::Hours(8)), StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("expired")));
  EXPECT_THAT(VerifyToken(token, std::string(64, 'z'), kNow, absl::Hours(12)),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("signature")));
  EXPECT_THAT(VerifyToken(token, kKey, kNow, absl::Hours(4)),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("longer than")));
  EXPECT_THAT(verify(token, kNow - absl::Hours(1)), StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("future")));
  // Change one character of the claims: the signature no longer verifies.
  std::string altered = token;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  EXPECT_THAT(verify(altered), StatusIs(absl::StatusCode::kUnauthenticated, ::testing::_));
  for (const std::string garbage : {"", "Bearer", "hw1.", "hw1..", "hw1.e30.", "eyJhbGciOi.x.y", "hw1.!!!.???"}) {
    EXPECT_THAT(verify(garbage), StatusIs(absl::StatusCode::kUnauthenticated, ::testing::_)) << garbage;
  }
}

TEST(Token, ClaimsNoPersonCanHoldAreNotIssued) {
  TokenClaims system = Coordinator();
  system.role = access::Role::kPublisher;
  EXPECT_THAT(IssueToken(system, kKey), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("system")));
  TokenClaims nowhere = Coordinator();
  nowhere.authority = "";
  EXPECT_THAT(IssueToken(nowhere, kKey), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("authority")));
  TokenClaims no_team = Coordinator();
  no_team.role = access::Role::kDutyTeam;
  EXPECT_THAT(IssueToken(no_team, kKey), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("team")));
  TokenClaims backwards = Coordinator();
  backwards.expires_at = backwards.issued_at;
  EXPECT_THAT(IssueToken(backwards, kKey), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

}  // namespace
}  // namespace homeward::security
