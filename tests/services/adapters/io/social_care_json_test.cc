#include "services/adapters/io/social_care_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/adapters/domain/other_mappings.h"
#include "tests/testing/adapters.h"
#include "tests/testing/status_matchers.h"

namespace homeward::adapters {
namespace {

using ::homeward::testing::Mapping;
using ::homeward::testing::StatusIs;
using ::homeward::testing::TestNow;
using ::testing::HasSubstr;

constexpr char kExport[] = R"({
  "agency_id": "lcs.test",
  "children": [
    {"la_child_id": "LA-1", "nhs_number": "999", "forename": "T", "surname": "S", "date_of_birth": "2010-11-20",
     "placements": [{"ref": "PL-1", "version": 1, "start": "2026-06-01T12:00:00Z", "looked_after": true,
                     "placing_authority": "coventry", "host_authority": "warwickshire",
                     "recorded_at": "2026-06-01T13:00:00Z"}],
     "missing_episodes": [{"ref": "E-1", "version": 2, "category": "Missing from care",
                           "start": "2026-11-03T18:55:00Z", "end": "2026-11-03T23:30:00Z",
                           "recorded_at": "2026-11-04T09:00:00Z"}],
     "strategy_meetings": [{"ref": "SM-1", "version": 1, "held_at": "2026-11-14T10:00:00Z", "trigger_plan": false,
                            "attendees": ["police", "health"], "recorded_at": "2026-11-14T15:00:00Z"}]},
    "not an object",
    {"la_child_id": "LA-2", "placements": [{"ref": {"nested": 1}}, 7]}
  ]})";

SourceMapping SocialCare() { return Mapping("social-care-json", "lcs.test", AgencyKind::kSocialCare, "coventry"); }

TEST(SocialCareJson, FlattensEachEntryWithItsChildAndType) {
  auto table = ParseSocialCareJson(kExport);
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_EQ(table->rows[0].location(), "/children/0/placements/0");
  EXPECT_EQ(table->rows[0].Get("entry_type"), "placement");
  EXPECT_EQ(table->rows[0].Get("la_child_id"), "LA-1");
  EXPECT_EQ(table->rows[0].Get("looked_after"), "Y");
  EXPECT_EQ(table->rows[0].Get("agency_id"), "lcs.test");
  EXPECT_EQ(table->rows[2].Get("attendees"), "police;health");
}

TEST(SocialCareJson, BadShapesAreListedAndTheRestKept) {
  auto table = ParseSocialCareJson(kExport);
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->malformed.size(), 3u);
  EXPECT_EQ(table->malformed[0].first, "/children/1");
  EXPECT_EQ(table->malformed[1].first, "/children/2/placements/0/ref");
  EXPECT_EQ(table->malformed[2].first, "/children/2/placements/1");
}

TEST(SocialCareJson, NotJsonOrNoChildrenIsAnError) {
  EXPECT_THAT(ParseSocialCareJson("{oops"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid JSON")));
  EXPECT_THAT(ParseSocialCareJson("{\"kids\": []}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("children")));
}

TEST(SocialCareMapping, EachEntryTypeBecomesItsEvents) {
  auto table = ParseSocialCareJson(kExport);
  ASSERT_TRUE(table.ok());
  const SourceMapping m = SocialCare();
  auto placement = MapSocialCareRow(MappedRow(table->rows[0], m), TestNow());
  ASSERT_TRUE(placement.ok()) << placement.status();
  const auto& p = std::get<PlacementChanged>(placement->at(0).payload);
  EXPECT_TRUE(p.looked_after);
  EXPECT_EQ(p.host_authority, "warwickshire");
  EXPECT_TRUE(p.social_care_open);

  auto episode = MapSocialCareRow(MappedRow(table->rows[1], m), TestNow());
  ASSERT_TRUE(episode.ok()) << episode.status();
  ASSERT_EQ(episode->size(), 2u);
  EXPECT_EQ(episode->at(0).event_id, "lcs.test/E-1/missing-start@2");
  EXPECT_EQ(std::get<MissingReported>(episode->at(0).payload).category_as_recorded, "Missing from care");

  auto meeting = MapSocialCareRow(MappedRow(table->rows[2], m), TestNow());
  ASSERT_TRUE(meeting.ok()) << meeting.status();
  EXPECT_FALSE(std::get<StrategyMeetingHeld>(meeting->at(0).payload).trigger_plan_recorded);
}

TEST(SocialCareMapping, AFileClaimingAnotherAgencyIsRejectedRecordByRecord) {
  auto table = ParseSocialCareJson(kExport);
  ASSERT_TRUE(table.ok());
  const SourceMapping other = Mapping("social-care-json", "lcs.elsewhere", AgencyKind::kSocialCare, "x");
  EXPECT_THAT(MapSocialCareRow(MappedRow(table->rows[0], other), TestNow()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("claims to be from 'lcs.test'")));
}

TEST(SocialCareJson, ValuesOfTheWrongTypeAreErrorsNotCrashes) {
  // nlohmann-json's value("agency_id", "") threw on a number and aborted homeward-import.
  EXPECT_THAT(ParseSocialCareJson(R"({"agency_id": 5, "children": []})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("agency_id: expected a string, not a number")));
  auto table = ParseSocialCareJson(R"({"children": [{"la_child_id": "LA-1", "placements": [{"agency_id": 7, "x": {}}]}]})");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->malformed.size(), 1u);
  EXPECT_EQ(table->malformed[0].first, "/children/0/placements/0/x");
}

}  // namespace
}  // namespace homeward::adapters
