#include "common/domain/shared_value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/domain/event.h"

namespace homeward {
namespace {

struct Names {
  std::string given;
  std::vector<std::string> other;
  bool operator==(const Names&) const = default;
};

TEST(SharedValueTest, AnEmptyOneReadsAsADefaultValue) {
  const SharedValue<Names> empty;
  EXPECT_EQ(empty->given, "");
  EXPECT_TRUE(empty->other.empty());
  EXPECT_EQ(empty, SharedValue<Names>(Names{}));
}

TEST(SharedValueTest, CopiesShareUntilOneIsChanged) {
  SharedValue<Names> a(Names{.given = "Jay"});
  SharedValue<Names> b = a;
  EXPECT_TRUE(a.SharesWith(b));
  b.Mutable().given = "Sam";
  EXPECT_FALSE(a.SharesWith(b));
  EXPECT_EQ(a->given, "Jay");  // the copy changed, not the original
  EXPECT_EQ(b->given, "Sam");
  b.Mutable().other.push_back("J");  // not shared any more: changed in place
  EXPECT_EQ(b->other.size(), 1u);
  EXPECT_TRUE(a->other.empty());
}

TEST(SharedValueTest, EqualityIsByValueAndSharingIsOnlyAsked) {
  SharedValue<Names> a(Names{.given = "Jay"});
  SharedValue<Names> b(Names{.given = "Jay"});
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a.SharesWith(b));
  b.ShareWith(a);
  EXPECT_TRUE(a.SharesWith(b));
  EXPECT_NE(a, SharedValue<Names>(Names{.given = "Sam"}));
}

TEST(SharedValueTest, ChangingAnEmptyOneLeavesOtherEmptyOnesEmpty) {
  SharedValue<Names> a;
  SharedValue<Names> b;
  a.Mutable().given = "Jay";
  EXPECT_EQ(a->given, "Jay");
  EXPECT_EQ(b->given, "");
}

// An event's large payloads are held through a SharedValue (event.h): PayloadIf sees through
// it, a visitor's overload for the payload itself is still the one called, copies of the event
// share the payload, and changing one copy's leaves the other's as it was.
TEST(EventPayloadTest, ALargePayloadIsReadAsItselfAndSharedByCopies) {
  Event e;
  e.payload = ReturnInterview{.outcome = InterviewOutcome::kCompleted, .childs_own_words = "words"};
  ASSERT_NE(PayloadIf<ReturnInterview>(e.payload), nullptr);
  EXPECT_EQ(PayloadIf<ReturnInterview>(e.payload)->childs_own_words, "words");
  EXPECT_EQ(PayloadIf<PhilomenaProfile>(e.payload), nullptr);
  EXPECT_EQ(PayloadIf<MissingReported>(e.payload), nullptr);
  EXPECT_EQ(EntryKind(e), "return-interview");

  Event copy = e;
  EXPECT_EQ(PayloadIf<ReturnInterview>(copy.payload), PayloadIf<ReturnInterview>(e.payload));  // one allocation
  std::get<SharedValue<ReturnInterview>>(copy.payload).Mutable().childs_own_words = "other words";
  EXPECT_EQ(PayloadIf<ReturnInterview>(e.payload)->childs_own_words, "words");
  EXPECT_NE(copy, e);

  e.payload = MissingReported{.risk_grade = RiskGrade::kHigh};
  EXPECT_EQ(PayloadIf<ReturnInterview>(e.payload), nullptr);
  EXPECT_EQ(PayloadIf<MissingReported>(e.payload)->risk_grade, RiskGrade::kHigh);
}

}  // namespace
}  // namespace homeward
