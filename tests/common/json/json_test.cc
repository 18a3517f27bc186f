#include "common/json/json.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace homeward::json {
namespace {

using ::homeward::testing::StatusIs;
using ::testing::HasSubstr;

Document Parsed(absl::string_view text) {
  absl::StatusOr<Document> doc = Document::Parse(text);
  EXPECT_TRUE(doc.ok()) << doc.status();
  return *std::move(doc);
}

TEST(JsonReader, TypedMembersWithPaths) {
  const Document doc = Parsed(R"({"id": "r1", "n": 3, "f": 2.5, "on": true, "list": [1, {"x": "y"}]})");
  const Value root = doc.root();
  EXPECT_EQ(*root.String("id"), "r1");
  EXPECT_EQ(*root.Integer("n"), 3);
  EXPECT_DOUBLE_EQ(*root.Number("f"), 2.5);
  EXPECT_EQ(*root.BoolOr("on", false), true);
  const std::vector<Value> items = root.Find("list")->Items();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].path(), "list[1]");
  EXPECT_EQ(*items[1].String("x"), "y");
}

TEST(JsonReader, WrongTypesAreErrorsNotCrashes) {
  const Document doc = Parsed(R"({"id": 5, "n": "3", "f": [], "on": "yes", "big": 18446744073709551615})");
  const Value root = doc.root();
  EXPECT_THAT(root.String("id"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("id: expected a string, not a number")));
  EXPECT_THAT(root.StringOr("id", "fallback"), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_THAT(root.Integer("n"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("n: expected a whole number")));
  EXPECT_THAT(root.NumberOr("f", 1), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a list")));
  EXPECT_THAT(root.BoolOr("on", false), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_THAT(root.Integer("big"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("64 bits")));
  EXPECT_THAT(root.String("missing"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("missing: required (a string)")));
  EXPECT_EQ(*root.StringOr("missing", "fallback"), "fallback");
  // Members and items of the wrong kind of value are simply empty.
  EXPECT_TRUE(root.Find("id")->Items().empty());
  EXPECT_TRUE(root.Find("id")->Members().empty());
  EXPECT_FALSE(root.Find("id")->Find("x").has_value());
}

TEST(JsonReader, RefusesWhatIsNotJson) {
  EXPECT_THAT(Document::Parse("{oops"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid JSON")));
  EXPECT_THAT(Document::Parse("\"\xff\xfe\""), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));  // invalid UTF-8
  EXPECT_THAT(Document::Parse(""), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

TEST(JsonReader, RefusesDeepNesting) {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  EXPECT_THAT(Document::Parse(deep), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("nested deeper")));
  const std::string fine = std::string(Document::kMaxDepth - 1, '[') + std::string(Document::kMaxDepth - 1, ']');
  EXPECT_TRUE(Document::Parse(fine).ok());
}

TEST(JsonWriter, AnyBytesGoIn) {
  const std::string text = ObjectWriter().Set("reason", "bad byte \xff here").Set("offset", int64_t{42}).Set("ok", false).Dump();
  EXPECT_THAT(text, HasSubstr("\"offset\":42"));
  EXPECT_THAT(text, HasSubstr("\xef\xbf\xbd"));  // U+FFFD in place of the invalid byte
  const Document back = Parsed(text);
  EXPECT_EQ(*back.root().Integer("offset"), 42);
}

}  // namespace
}  // namespace homeward::json
