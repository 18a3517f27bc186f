#include "services/adapters/io/csv_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace homeward::adapters {
namespace {

using ::homeward::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CsvTable, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  auto table = ParseCsv("a,b\n\"x, y\",\"she said \"\"hi\"\"\"\n\"two\nlines\",z\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->columns, ElementsAre("a", "b"));
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[0].Get("a"), "x, y");
  EXPECT_EQ(table->rows[0].Get("b"), "she said \"hi\"");
  EXPECT_EQ(table->rows[1].Get("a"), "two\nlines");
}

TEST(CsvTable, AUtf8ByteOrderMarkIsNotPartOfTheFirstColumn) {
  // As a spreadsheet program saves "CSV UTF-8".
  auto table = ParseCsv("\xEF\xBB\xBFrecord_ref,name\nMP-1,x\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->columns, ElementsAre("record_ref", "name"));
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(table->rows[0].Get("record_ref"), "MP-1");
  EXPECT_EQ(table->rows[0].location(), "line 2");
}

TEST(CsvTable, AUtf16FileIsRefusedWithWhatToDo) {
  EXPECT_THAT(ParseCsv(absl::string_view("\xFF\xFEr\0e\0f\0", 8)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("save it as CSV UTF-8")));
}

TEST(CsvTable, RowsKnowTheLineTheyStartOn) {
  auto table = ParseCsv("a,b\n1,2\n\"multi\nline\",3\n4,5\n");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_EQ(table->rows[0].location(), "line 2");
  EXPECT_EQ(table->rows[1].location(), "line 3");
  EXPECT_EQ(table->rows[2].location(), "line 5");
}

TEST(CsvTable, AMalformedRowIsListedAndTheOthersKept) {
  auto table = ParseCsv("a,b\n1,2\n3\n4,5\r\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->rows.size(), 2u);
  ASSERT_EQ(table->malformed.size(), 1u);
  EXPECT_EQ(table->malformed[0].first, "line 3");
  EXPECT_THAT(table->malformed[0].second, HasSubstr("expected 2 fields, found 1"));
}

TEST(CsvTable, AbsentColumnsReadAsEmpty) {
  auto table = ParseCsv("a\n1\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->rows[0].Get("missing"), "");
}

TEST(CsvTable, AnUnterminatedQuoteIsAnError) {
  EXPECT_THAT(ParseCsv("a,b\n\"open,2\n"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2: quoted field never closed")));
}

TEST(CsvTable, EmptyInputHasNoHeader) {
  EXPECT_THAT(ParseCsv(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no header")));
}

}  // namespace
}  // namespace homeward::adapters
