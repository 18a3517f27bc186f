#include "common/domain/agency_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/aggregator/domain/child_profile.h"
#include "tests/testing/events.h"

namespace homeward {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::PoliceChild;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

AgencyRegistry Registry() {
  AgencyRegistry r;
  r.Register("police.wm", {.kind = AgencyKind::kPolice, .records = DefaultRecords(AgencyKind::kPolice)});
  r.Register("police.warks", {.kind = AgencyKind::kPolice, .records = DefaultRecords(AgencyKind::kPolice)});
  r.Register("lcs.cov", {.kind = AgencyKind::kSocialCare, .authority = "coventry",
                         .records = DefaultRecords(AgencyKind::kSocialCare)});
  r.Register("lcs.warks", {.kind = AgencyKind::kSocialCare, .authority = "warwickshire",
                           .records = DefaultRecords(AgencyKind::kSocialCare)});
  return r;
}

aggregator::ChronologyEntry Entry(Event e) { return {.event = std::move(e)}; }

// Issue 11, point 7: whose child this is comes only from that authority's own social care.
TEST(ChildAuthorities, OnlyAnAuthoritysOwnSocialCareSaysSo) {
  const AgencyRegistry r = Registry();
  ChildRef named = PoliceChild("PP-1");
  named.local_authority = "warwickshire";
  const auto police_claim = Entry(MakeEvent("police.warks", "MP-1", "report", 1, named, At("2026-10-01T10:00:00Z"),
                                            MissingReported{.category = AbsenceCategory::kMissing}));
  const auto foreign_placement = Entry(MakeEvent("lcs.warks", "PL-1", "p", 1, PoliceChild("PP-1"), At("2026-10-01T11:00:00Z"),
                                                 PlacementChanged{.placing_authority = "coventry", .host_authority = "warwickshire"}));
  EXPECT_THAT(aggregator::ChildAuthorities({&police_claim, &foreign_placement}, "coventry", r), ElementsAre("coventry"));
  const auto own_placement = Entry(MakeEvent("lcs.cov", "PL-2", "p", 1, PoliceChild("PP-1"), At("2026-10-01T12:00:00Z"),
                                             PlacementChanged{.placing_authority = "coventry", .host_authority = "warwickshire"}));
  EXPECT_THAT(aggregator::ChildAuthorities({&police_claim, &own_placement}, "coventry", r),
              ElementsAre("coventry", "warwickshire"));
}

TEST(AgencyRegistry, AnEventCarriesItsRegisteredKindAndRecordTypes) {
  const AgencyRegistry r = Registry();
  Event e = MakeEvent("police.wm", "MP-1", "report", 1, PoliceChild("PP-1"), At("2026-10-01T10:00:00Z"),
                      MissingReported{.category = AbsenceCategory::kMissing});
  EXPECT_TRUE(r.CheckEvent(e).ok());
  e.agency_kind = AgencyKind::kEducation;
  EXPECT_THAT(r.CheckEvent(e).message(), HasSubstr("registered as police; the event says education"));
  e.agency_id = "police.nowhere";
  EXPECT_THAT(r.CheckEvent(e).message(), HasSubstr("not registered"));
  Event note = MakeEvent("lcs.cov", "N-1", "n", 1, PoliceChild("PP-1"), At("2026-10-01T10:00:00Z"), ChronologyNote{.kind = "k"});
  note.child.Mutable().local_authority = "warwickshire";
  EXPECT_THAT(r.CheckEvent(note).message(), HasSubstr("speaks for coventry, not for warwickshire"));
  Event decision = MakeEvent(kIdentityAgency, "D-1", "decision", 1, {}, At("2026-10-01T10:00:00Z"), IdentityDecision{});
  EXPECT_TRUE(r.CheckEvent(decision).ok());  // the hub's own
  Event forged = MakeEvent("police.wm", "D-1", "decision", 1, {}, At("2026-10-01T10:00:00Z"), IdentityDecision{});
  EXPECT_THAT(r.CheckEvent(forged).message(), HasSubstr("may not publish identity_decision"));
}

}  // namespace
}  // namespace homeward
