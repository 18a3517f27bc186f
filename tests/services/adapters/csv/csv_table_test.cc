#include "services/adapters/csv/csv_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/adapters/csv/fields.h"
#include "tests/testing/status_matchers.h"

namespace homeward::adapters {
namespace {

using ::homeward::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CsvTable, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  auto table = ParseCsv("a,b\n\"x, y\",\"she said \"\"hi\"\"\"\n\"two\nlines\",z\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->header, ElementsAre("a", "b"));
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[0].Get("a"), "x, y");
  EXPECT_EQ(table->rows[0].Get("b"), "she said \"hi\"");
  EXPECT_EQ(table->rows[1].Get("a"), "two\nlines");
}

TEST(CsvTable, RowsKnowTheLineTheyStartOn) {
  auto table = ParseCsv("a,b\n1,2\n\"multi\nline\",3\n4,5\n");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_EQ(table->rows[0].line(), 2);
  EXPECT_EQ(table->rows[1].line(), 3);
  EXPECT_EQ(table->rows[2].line(), 5);
}

TEST(CsvTable, AMalformedRowIsListedAndTheOthersKept) {
  auto table = ParseCsv("a,b\n1,2\n3\n4,5\r\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->rows.size(), 2u);
  ASSERT_EQ(table->malformed.size(), 1u);
  EXPECT_EQ(table->malformed[0].first, 3);
  EXPECT_THAT(table->malformed[0].second, HasSubstr("expected 2 fields, found 1"));
}

TEST(CsvTable, AbsentColumnsReadAsEmpty) {
  auto table = ParseCsv("a\n1\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->rows[0].Get("missing"), "");
}

TEST(CsvTable, AnUnterminatedQuoteIsAnError) {
  EXPECT_THAT(ParseCsv("a,b\n\"open,2\n"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line")));
}

TEST(CsvTable, EmptyInputHasNoHeader) {
  EXPECT_THAT(ParseCsv(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no header")));
}

TEST(Fields, ReadsRfc3339AndLocalTimes) {
  const absl::TimeZone uk = UkTimeZone();
  EXPECT_EQ(*ParseTime("t", "2026-10-01T19:00:00+01:00", uk), *ParseTime("t", "2026-10-01T18:00:00Z", uk));
  if (uk.name() == "Europe/London") {  // summer time: local 19:00 is 18:00 UTC
    EXPECT_EQ(*ParseTime("t", "2026-10-01 19:00", uk), *ParseTime("t", "2026-10-01T18:00:00Z", uk));
  }
  EXPECT_THAT(ParseTime("reported_at", "yesterday", uk),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reported_at: cannot read 'yesterday'")));
}

TEST(Fields, ReadsBothDateFormsAndRefusesImpossibleDates) {
  EXPECT_EQ(*ParseDate("d", "2011-03-14"), absl::CivilDay(2011, 3, 14));
  EXPECT_EQ(*ParseDate("d", "14/03/2011"), absl::CivilDay(2011, 3, 14));
  EXPECT_THAT(ParseDate("DOB", "31/02/2015"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("exists")));
  EXPECT_FALSE(ParseDate("d", "2011-03-14x").ok());
}

TEST(Fields, ReadsRiskGradesIncludingOldAbsentWording) {
  EXPECT_EQ(*ParseRiskGrade("g", "No Apparent Risk"), RiskGrade::kNoApparentRisk);
  EXPECT_EQ(*ParseRiskGrade("g", "very low"), RiskGrade::kNoApparentRisk);
  EXPECT_EQ(*ParseRiskGrade("g", "HIGH"), RiskGrade::kHigh);
  EXPECT_FALSE(ParseRiskGrade("g", "critical").ok());
}

}  // namespace
}  // namespace homeward::adapters
