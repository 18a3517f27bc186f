#include "common/domain/event_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::IsOk;
using ::homeward::testing::PoliceReport;
using ::homeward::testing::StatusIs;
using ::homeward::testing::TestNow;
using ::testing::AllOf;
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

TEST(EventValidation, AnNhsNumberThatFailsItsCheckDigitIsNotAnIdentifier) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  e.child.Mutable().nhs_number = "9990001011";  // the check digit should be 4
  EXPECT_THAT(ValidateEvent(e, TestNow()),
              StatusIs(kInvalid, AllOf(HasSubstr("child.nhs_number: its check digit does not match"),
                                       HasSubstr("send a number that fails the check as child.unverified_nhs_number"))));
  e.child.Mutable().nhs_number = "999000101";
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("child.nhs_number: not an NHS number")));
  e.child.Mutable().nhs_number.clear();
  e.child.Mutable().unverified_nhs_number = "9990001011";  // kept, never linked on
  EXPECT_THAT(ValidateEvent(e, TestNow()), IsOk());
  e.child.Mutable().unverified_nhs_number = "999 000";
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("child.unverified_nhs_number")));
}

TEST(EventValidation, AnUnverifiedNhsNumberAloneKeepsTheRecord) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  e.child = ChildRef{.unverified_nhs_number = "9990001011"};
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
  e.child.Mutable().date_of_birth = absl::CivilDay(2026, 12, 1);
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("date_of_birth")));
}

TEST(EventValidation, RejectsAReportWithoutCategory) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  std::get<MissingReported>(e.payload).category = AbsenceCategory::kUnspecified;
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("category")));
}

// ---- issue 11: limits, times, ids ----

absl::Time Year(int y) { return absl::FromCivil(absl::CivilSecond(y, 1, 1, 0, 0, 0), absl::UTCTimeZone()); }

TEST(EventValidation, EveryTimeLiesInTheDocumentedRange) {  // point 4
  const auto with = [](auto set) {
    Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
    set(std::get<MissingReported>(e.payload));
    return ValidateEvent(e, TestNow());
  };
  EXPECT_THAT(with([](MissingReported& m) { m.ended_at = Year(9999); }),
              StatusIs(kInvalid, HasSubstr("missing_reported.ended_at")));
  EXPECT_THAT(with([](MissingReported& m) { m.last_seen_at = Year(1); }),
              StatusIs(kInvalid, HasSubstr("missing_reported.last_seen_at")));
  EXPECT_THAT(with([](MissingReported& m) { m.last_seen_at = Year(1989); }),
              StatusIs(kInvalid, HasSubstr("before 1990-01-01")));
  Event found = MakeEvent("police.test", "MP-1", "found", 1, testing::PoliceChild("PP-1"), At("2026-10-01T19:00:00Z"),
                          FoundReturned{.prevention_interview_at = Year(9999)});
  EXPECT_THAT(ValidateEvent(found, TestNow()), StatusIs(kInvalid, HasSubstr("prevention_interview_at")));
  Event born = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  born.child.Mutable().date_of_birth = absl::CivilDay(1, 1, 1);
  EXPECT_THAT(ValidateEvent(born, TestNow()), StatusIs(kInvalid, HasSubstr("date_of_birth")));
}

TEST(EventValidation, IdsArePrintableAndBounded) {  // point 11
  Event nul = PoliceReport(std::string("MP-\0-1", 6), "PP-1", At("2026-10-01T19:00:00Z"));
  EXPECT_THAT(ValidateEvent(nul, TestNow()), StatusIs(kInvalid, HasSubstr("not printable ASCII")));
  Event space = PoliceReport("MP 1", "PP-1", At("2026-10-01T19:00:00Z"));
  EXPECT_THAT(ValidateEvent(space, TestNow()), StatusIs(kInvalid, HasSubstr("source_record")));
  Event long_id = PoliceReport(std::string(limits::kMaxIdBytes + 1, 'x'), "PP-1", At("2026-10-01T19:00:00Z"));
  EXPECT_THAT(ValidateEvent(long_id, TestNow()), StatusIs(kInvalid, HasSubstr("over the limit")));
  Event person = PoliceReport("MP-1", std::string("PP\x1b-1"), At("2026-10-01T19:00:00Z"));
  EXPECT_THAT(ValidateEvent(person, TestNow()), StatusIs(kInvalid, HasSubstr("child.police_person_id")));
  Event agency = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  agency.agency_id = "Police.X";
  agency.event_id = MakeEventId(agency.agency_id, agency.source_record, agency.facet, agency.revision);
  EXPECT_THAT(ValidateEvent(agency, TestNow()), StatusIs(kInvalid, HasSubstr("lower-case")));
}

TEST(EventValidation, TextFieldsAndListsHaveLimits) {  // point 3
  Event words = MakeEvent("rhi.test", "R-1", "i", 1, testing::PoliceChild("PP-1"), At("2026-10-01T19:00:00Z"),
                          ReturnInterview{.outcome = InterviewOutcome::kCompleted,
                                          .childs_own_words = std::string(limits::kMaxLongTextBytes, 'w')});
  EXPECT_THAT(ValidateEvent(words, TestNow()), testing::IsOk());
  std::get<SharedValue<ReturnInterview>>(words.payload).Mutable().childs_own_words += "w";
  EXPECT_THAT(ValidateEvent(words, TestNow()), StatusIs(kInvalid, HasSubstr("childs_own_words: 32769 bytes")));
  std::get<SharedValue<ReturnInterview>>(words.payload).Mutable().childs_own_words = "fine";
  std::get<SharedValue<ReturnInterview>>(words.payload).Mutable().push_factors.assign(limits::kMaxListItems + 1, "x");
  EXPECT_THAT(ValidateEvent(words, TestNow()), StatusIs(kInvalid, HasSubstr("push_factors: 65 items")));
  Event name = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  name.child.Mutable().family_name = "Test\rchild";
  EXPECT_THAT(ValidateEvent(name, TestNow()), StatusIs(kInvalid, HasSubstr("control character")));
  Event utf8 = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  std::get<MissingReported>(utf8.payload).last_seen_location = "bad \xff byte";
  EXPECT_THAT(ValidateEvent(utf8, TestNow()), StatusIs(kInvalid, HasSubstr("not valid UTF-8")));
  std::get<MissingReported>(utf8.payload).last_seen_location = "Café — \x1b[2K kept as written";
  EXPECT_THAT(ValidateEvent(utf8, TestNow()), testing::IsOk());  // the agency's words; escaped when shown
}

TEST(EventValidation, AReturnBeforeItsReportIsImpossible) {  // point 5
  const Event found = MakeEvent("police.test", "MP-1", "found", 1, testing::PoliceChild("PP-1"),
                                At("2026-10-01T17:00:00Z"), FoundReturned{});
  EXPECT_THAT(CheckReturnAfterReport(found, At("2026-10-01T19:00:00Z")),
              StatusIs(kInvalid, HasSubstr("before the start of its own missing report")));
  EXPECT_THAT(CheckReturnAfterReport(found, At("2026-10-01T17:00:00Z")), testing::IsOk());
}

// Issue 16: the Philomena profile is the carer's form (brief §4): a children's home, foster
// carer or social care completes it; any other agency's is refused, saying whose it is.
TEST(EventValidation, APhilomenaProfileComesFromTheChildsCarerOnly) {
  const PhilomenaProfile profile{.description = "slim, dark hair", .completed_by = "key worker 12"};
  for (const char* carer : {"home.test", "foster.test", "lcs.test"}) {
    EXPECT_THAT(ValidateEvent(MakeEvent(carer, "PH-1", "philomena", 1, testing::PoliceChild("PP-1"),
                                        At("2026-10-01T09:00:00Z"), profile),
                              TestNow()),
                testing::IsOk())
        << carer;
  }
  for (const char* other : {"police.test", "health.test", "rhi.test", "education.test"}) {
    EXPECT_THAT(ValidateEvent(MakeEvent(other, "PH-1", "philomena", 1, testing::PoliceChild("PP-1"),
                                        At("2026-10-01T09:00:00Z"), profile),
                              TestNow()),
                StatusIs(kInvalid, AllOf(HasSubstr("philomena_profile"), HasSubstr("child's carer"))))
        << other;
  }
}

TEST(EventValidation, APhilomenaProfileKeepsToTheTextLimits) {
  Event e = MakeEvent("home.test", "PH-1", "philomena", 1, testing::PoliceChild("PP-1"), At("2026-10-01T09:00:00Z"),
                      PhilomenaProfile{.places_frequented = std::vector<std::string>(limits::kMaxListItems + 1, "x")});
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("philomena_profile.places_frequented")));
  e.payload = PhilomenaProfile{.completed_at = At("2030-01-01T00:00:00Z")};
  EXPECT_THAT(ValidateEvent(e, TestNow()), StatusIs(kInvalid, HasSubstr("philomena_profile.completed_at")));
}

}  // namespace
}  // namespace homeward
