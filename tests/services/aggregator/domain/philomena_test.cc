// Issue 16: the Philomena Protocol's sharing rule (services/aggregator/domain/philomena.h).
#include "services/aggregator/domain/philomena.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/aggregator/domain/chronology_store.h"
#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::IsOk;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr auto kDenied = absl::StatusCode::kPermissionDenied;
const ChildRef kChild{.la_child_id = "LA-7", .local_authority = "cov", .nhs_number = "9990000107"};
const PhilomenaReader kForceA{.agency = "police.a", .agency_kind = AgencyKind::kPolice};
const PhilomenaReader kForceB{.agency = "police.b", .agency_kind = AgencyKind::kPolice};

class PhilomenaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Apply(MakeEvent("home.oak", "PH-1", "philomena", 1, kChild, At("2026-09-01T10:00:00Z"),
                    PhilomenaProfile{.description = "slim, dark curly hair", .completed_by = "key worker 12"}));
  }
  void Apply(const Event& e) { store_.Apply(e, At("2026-11-20T00:00:00Z")); }
  void Report(const std::string& agency, const std::string& record, absl::Time at) {
    Apply(MakeEvent(agency, record, "report", 1, kChild, at, MissingReported{.category = AbsenceCategory::kMissing}));
  }
  void Found(const std::string& agency, const std::string& record, absl::Time at) {
    Apply(MakeEvent(agency, record, "found", 1, kChild, at, FoundReturned{}));
  }
  absl::StatusOr<PhilomenaGrant> Read(const PhilomenaReader& reader, absl::Time at = At("2026-11-22T12:00:00Z")) {
    absl::StatusOr<std::vector<Episode>> episodes = store_.Episodes("nhs:9990000107");
    EXPECT_TRUE(episodes.ok()) << episodes.status();
    return MayReadPhilomenaProfile(reader, episodes.value_or(std::vector<Episode>{}), at);
  }
  ChronologyStore store_;
};

TEST_F(PhilomenaTest, PoliceAreRefusedBeforeTheChildIsReportedMissing) {
  EXPECT_THAT(Read(kForceA).status(), StatusIs(kDenied, HasSubstr("no open missing episode")));
}

TEST_F(PhilomenaTest, TheForceReportingTheChildMissingMayReadAtOnce) {
  Report("police.a", "MP-1", At("2026-11-22T11:00:00Z"));
  absl::StatusOr<PhilomenaGrant> grant = Read(kForceA);
  ASSERT_THAT(grant.status(), IsOk());
  ASSERT_TRUE(grant->release.has_value());
  EXPECT_EQ(grant->release->force, "police.a");
  EXPECT_EQ(grant->release->episode_id, "police.a/MP-1");
  EXPECT_FALSE(grant->release->closed_at.has_value());
}

TEST_F(PhilomenaTest, AnotherForceIsRefused) {
  Report("police.a", "MP-1", At("2026-11-22T11:00:00Z"));
  EXPECT_THAT(Read(kForceB).status(), StatusIs(kDenied, HasSubstr("released to police.a")));
}

TEST_F(PhilomenaTest, NewReadsAreRefusedOnceTheChildIsFound) {
  Report("police.a", "MP-1", At("2026-11-22T11:00:00Z"));
  Found("police.a", "MP-1", At("2026-11-22T18:00:00Z"));
  EXPECT_THAT(Read(kForceA, At("2026-11-22T19:00:00Z")).status(),
              StatusIs(kDenied, HasSubstr("closed when the child was found (2026-11-22 18:00 UTC)")));
  // Read as at a moment while the episode was open, the release held.
  EXPECT_THAT(Read(kForceA, At("2026-11-22T12:00:00Z")).status(), IsOk());
}

TEST_F(PhilomenaTest, ANewEpisodeReleasesItAgain) {
  Report("police.a", "MP-1", At("2026-11-01T11:00:00Z"));
  Found("police.a", "MP-1", At("2026-11-01T18:00:00Z"));
  Report("police.b", "MP-9", At("2026-11-22T11:00:00Z"));  // placed elsewhere now: another force
  EXPECT_THAT(Read(kForceB).status(), IsOk());
  EXPECT_THAT(Read(kForceA).status(), StatusIs(kDenied, HasSubstr("closed when the child was found")));
}

TEST_F(PhilomenaTest, ACarersReportAloneReleasesNothing) {
  Report("home.oak", "AB-1", At("2026-11-22T11:00:00Z"));
  EXPECT_THAT(Read(kForceA).status(), StatusIs(kDenied, HasSubstr("no open missing episode")));
  // When the force's own report joins the episode, the force has it.
  Report("police.a", "MP-1", At("2026-11-22T11:30:00Z"));
  EXPECT_THAT(Read(kForceA).status(), IsOk());
}

TEST_F(PhilomenaTest, CarersReadAtAnyTimeAndOtherAgenciesNever) {
  for (AgencyKind carer : {AgencyKind::kResidentialHome, AgencyKind::kFosterPlacement, AgencyKind::kSocialCare}) {
    absl::StatusOr<PhilomenaGrant> grant = Read({.agency = "carer", .agency_kind = carer});
    ASSERT_THAT(grant.status(), IsOk());
    EXPECT_TRUE(grant->carer);
  }
  Report("police.a", "MP-1", At("2026-11-22T11:00:00Z"));
  for (AgencyKind other : {AgencyKind::kHealth, AgencyKind::kEducation, AgencyKind::kRhiProvider,
                           AgencyKind::kSsda903Return, AgencyKind::kUnspecified}) {
    EXPECT_THAT(Read({.agency = "x", .agency_kind = other}).status(), StatusIs(kDenied, ::testing::_)) << ToString(other);
  }
  EXPECT_THAT(Read({}).status(), StatusIs(kDenied, HasSubstr("names no agency")));
}

TEST_F(PhilomenaTest, ReleasesListEachEpisodeAndForce) {
  Report("police.a", "MP-1", At("2026-11-01T11:00:00Z"));
  Found("police.a", "MP-1", At("2026-11-01T18:00:00Z"));
  Report("police.b", "MP-9", At("2026-11-22T11:00:00Z"));
  Report("home.oak", "AB-2", At("2026-11-22T10:30:00Z"));
  absl::StatusOr<std::vector<Episode>> episodes = store_.Episodes("nhs:9990000107");
  ASSERT_TRUE(episodes.ok());
  const std::vector<PhilomenaRelease> releases = PhilomenaReleases(*episodes);
  ASSERT_EQ(releases.size(), 2u);
  EXPECT_EQ(releases[0].force, "police.a");
  ASSERT_TRUE(releases[0].closed_at.has_value());
  EXPECT_EQ(*releases[0].closed_at, At("2026-11-01T18:00:00Z"));
  EXPECT_THAT(releases[0].report_event_ids, ElementsAre("police.a/MP-1/found@1", "police.a/MP-1/report@1"));
  EXPECT_EQ(releases[1].force, "police.b");
  EXPECT_EQ(releases[1].episode_id, "home.oak/AB-2");  // the carer reported first
  EXPECT_EQ(releases[1].force_record, "MP-9");
  EXPECT_FALSE(releases[1].closed_at.has_value());
  EXPECT_THAT(PhilomenaReleases({}), IsEmpty());
}

TEST_F(PhilomenaTest, TheCurrentProfileIsTheLatestRevisionOfTheNewest) {
  Apply(MakeEvent("home.oak", "PH-1", "philomena", 2, kChild, At("2026-10-01T10:00:00Z"),
                  PhilomenaProfile{.description = "now wears glasses"}));
  absl::StatusOr<ChildFacts> facts = store_.Facts("nhs:9990000107");
  ASSERT_TRUE(facts.ok());
  const ChronologyEntry* current = CurrentPhilomenaProfile(facts->entries);
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->event.event_id, "home.oak/PH-1/philomena@2");
  EXPECT_THAT(current->superseded_event_ids, ElementsAre("home.oak/PH-1/philomena@1"));
  EXPECT_EQ(PayloadIf<PhilomenaProfile>(current->event.payload)->description, "now wears glasses");
  EXPECT_EQ(CurrentPhilomenaProfile({}), nullptr);
}

}  // namespace
}  // namespace homeward::aggregator
