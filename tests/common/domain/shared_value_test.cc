#include "common/domain/shared_value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

}  // namespace
}  // namespace homeward
