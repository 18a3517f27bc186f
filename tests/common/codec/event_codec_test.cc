#include "common/codec/event_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::PoliceChild;
using ::homeward::testing::StatusIs;
using ::testing::HasSubstr;

// Every payload kind, with every field set, survives the wire unchanged.
std::vector<Payload> AllPayloads() {
  return {
      MissingReported{.category = AbsenceCategory::kAwayWithoutAuthorisation,
                      .category_as_recorded = "AWOL",
                      .risk_grade = RiskGrade::kMedium,
                      .last_seen_at = At("2026-10-01T18:00:00Z"),
                      .last_seen_location = "Bus station",
                      .placement_ref = "URN-1",
                      .ended_at = At("2026-10-02T01:00:00Z")},
      RiskRegraded{.from_grade = RiskGrade::kLow, .to_grade = RiskGrade::kHigh, .decided_by = "Insp 1", .reason = "CSE"},
      FoundReturned{.found_location = "Park",
                    .found_by = "police",
                    .prevention_interview_done = true,
                    .prevention_interview_at = At("2026-10-02T09:00:00.250Z")},
      ReturnInterview{.outcome = InterviewOutcome::kCompleted,
                      .independent = true,
                      .conducted_by = "RHI service",
                      .push_factors = {"arguments at home"},
                      .pull_factors = {"older friends", "money"},
                      .where_and_with_whom = "a flat in town, with older boys",
                      .harm_disclosed = true,
                      .exploitation_indicators = {"unexplained money"},
                      .childs_own_words = "I just needed to get out.",
                      .episode_ref = "EP-9"},
      StrategyMeetingHeld{.trigger_plan_recorded = true, .attending_agencies = {"police", "csc"}, .outcome = "plan"},
      PlacementChanged{.looked_after = true,
                       .placing_authority = "coventry",
                       .host_authority = "warwickshire",
                       .placement_ref = "URN-2",
                       .placement_type = "children's home",
                       .allocated_team = "CLA team 2",
                       .social_care_open = true},
      ExploitationConcern{.type = ExploitationType::kCce, .indicator = "county lines"},
      ChronologyNote{.kind = "missing-education", .summary = "Not in school for 3 days"},
      IdentityDecision{.identifier_a = "nhs:1", .identifier_b = "record:x/y", .link = true, .decided_by = "u1", .reason = "same child"},
      PhilomenaProfile{.description = "slim, 1.50 m, dark curly hair, scar on left hand",
                       .photograph_ref = "docstore://oakfield/photos/2026-09",
                       .phone_numbers = {"07700900001", "07700900002"},
                       .associates = {"Jo (school friend)"},
                       .places_frequented = {"Bus station", "Retail park"},
                       .medical_needs = "asthma: blue inhaler",
                       .completed_by = "key worker 12",
                       .completed_at = At("2026-09-30T10:00:00Z")},
  };
}

TEST(EventCodec, EveryPayloadRoundTrips) {
  ChildRef child = PoliceChild("PP-1", "9990001014");
  child.unverified_nhs_number = "9990003034";
  child.date_of_birth = absl::CivilDay(2011, 3, 14);
  child.sex = Sex::kMale;
  child.given_name = "Jay";
  for (const Payload& payload : AllPayloads()) {
    const Event e = MakeEvent("police.test", "MP-1", "f", 3, child, At("2026-10-01T19:00:00Z"), payload);
    auto decoded = DecodeEvent(EncodeEvent(e));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, e) << EntryKind(e);
  }
}

TEST(EventCodec, RejectsBytesThatAreNotAnEvent) {
  EXPECT_THAT(DecodeEvent("\xff\xff\xff garbage"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a homeward.v1.Event")));
}

TEST(EventCodec, RejectsAnEventWithoutPayload) {
  v1::Event proto = ToProto(testing::PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  proto.clear_missing_reported();
  EXPECT_THAT(FromProto(proto), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("payload")));
}

TEST(EventCodec, RejectsUnknownEnumCodesFromANewerProducer) {
  v1::Event proto = ToProto(testing::PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  proto.mutable_missing_reported()->set_risk_grade(static_cast<v1::RiskGrade>(42));
  EXPECT_THAT(FromProto(proto), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown code 42")));
}

TEST(EventCodec, RejectsAnImpossibleDateOfBirth) {
  v1::Event proto = ToProto(testing::PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  auto* dob = proto.mutable_child()->mutable_date_of_birth();
  dob->set_year(2015);
  dob->set_month(2);
  dob->set_day(31);
  EXPECT_THAT(FromProto(proto), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("impossible date")));
}

TEST(EventCodec, RejectsAMissingEventTime) {
  v1::Event proto = ToProto(testing::PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  proto.clear_occurred_at();
  EXPECT_THAT(FromProto(proto), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("occurred_at")));
}

// Issue 11, point 4: a time outside google.protobuf.Timestamp's range is refused, and a time
// far from 1970 goes through whole (it used to come back as 2262).
TEST(EventCodec, TimesAreNeverClamped) {
  const Event e = testing::PoliceReport("MP-1", "PP-1", testing::At("2026-10-01T19:00:00Z"));
  v1::Event p = ToProto(e);
  p.mutable_missing_reported()->mutable_ended_at()->set_seconds(253402300800);  // 10000-01-01
  EXPECT_THAT(FromProto(p).status().message(), ::testing::HasSubstr("missing_reported.ended_at: not a valid timestamp"));
  p.mutable_missing_reported()->mutable_ended_at()->set_seconds(0);
  p.mutable_missing_reported()->mutable_ended_at()->set_nanos(-1);
  EXPECT_FALSE(FromProto(p).ok());
  const absl::Time far = absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone());
  EXPECT_EQ(FromProtoTime(ToProtoTime(far)), far);
  const absl::Time early = absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone()) + absl::Nanoseconds(5);
  EXPECT_EQ(FromProtoTime(ToProtoTime(early)), early);
}

TEST(EventCodec, AnEventOverTheSizeLimitIsRefused) {
  EXPECT_TRUE(CheckEventSize(limits::kMaxEventBytes).ok());
  EXPECT_THAT(CheckEventSize(limits::kMaxEventBytes + 1).message(), ::testing::HasSubstr("over the limit of 65536"));
}

}  // namespace
}  // namespace homeward
