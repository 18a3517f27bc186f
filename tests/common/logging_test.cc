// Log lines as JSON, when asked: one valid object per line whatever the message holds, with the
// time in UTC, the level and the component.
#include "common/logging.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/json/json.h"

ABSL_DECLARE_FLAG(std::string, log_format);
ABSL_DECLARE_FLAG(std::string, log_level);

namespace homeward::log {
namespace {

using ::testing::HasSubstr;

absl::Time T() { return absl::FromUnixMillis(1790000000123); }  // 2026-09-21T14:13:20.123Z

TEST(JsonLine, IsOneObjectWithTimeLevelComponentAndMessage) {
  const std::string line = JsonLine(T(), "info", "aggregator", "replayed 12 event(s)", 42);
  EXPECT_EQ(line,
            "{\"time\":\"2026-09-21T14:13:20.123Z\",\"level\":\"info\",\"component\":\"aggregator\","
            "\"msg\":\"replayed 12 event(s)\",\"thread\":42}\n");
}

TEST(JsonLine, AnyMessageStaysOneValidLine) {
  const std::string hostile = "quote \" back\\slash\nnew line\r\ttab \x01\x1b[2K bad \xff\xc3 end \xe2\x80\xae é";
  const std::string line = JsonLine(T(), "warn", "ingest", hostile, 1);
  ASSERT_EQ(line.find('\n'), line.size() - 1);  // the only line break is the last byte
  absl::StatusOr<json::Document> doc = json::Document::Parse(line);
  ASSERT_TRUE(doc.ok()) << doc.status() << ": " << line;
  absl::StatusOr<std::string> msg = doc->root().String("msg");
  ASSERT_TRUE(msg.ok());
  EXPECT_THAT(*msg, HasSubstr("quote \" back\\slash\nnew line\r\ttab \x01\x1b[2K bad "));
  EXPECT_THAT(*msg, HasSubstr("bad \xef\xbf\xbd\xef\xbf\xbd end"));  // each bad byte is U+FFFD
  EXPECT_THAT(*msg, HasSubstr("\xe2\x80\xae é"));                   // valid UTF-8 is kept
  EXPECT_EQ(doc->root().String("level").value_or(""), "warn");
}

class LogOptionsTest : public ::testing::Test {
 protected:
  void TearDown() override {
    absl::SetFlag(&FLAGS_log_format, "");
    absl::SetFlag(&FLAGS_log_level, "");
    unsetenv("HOMEWARD_LOG_FORMAT");
    unsetenv("HOMEWARD_LOG_LEVEL");
  }
};

TEST_F(LogOptionsTest, TextAndInfoUnlessAsked) {
  absl::StatusOr<LogOptions> options = LogOptionsFromFlags();
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->format, Format::kText);
  EXPECT_EQ(options->level, spdlog::level::info);
}

TEST_F(LogOptionsTest, TheEnvironmentAsksAndAFlagWins) {
  setenv("HOMEWARD_LOG_FORMAT", "json", 1);
  setenv("HOMEWARD_LOG_LEVEL", "warn", 1);
  EXPECT_EQ(LogOptionsFromFlags()->format, Format::kJson);
  EXPECT_EQ(LogOptionsFromFlags()->level, spdlog::level::warn);
  absl::SetFlag(&FLAGS_log_format, "text");
  absl::SetFlag(&FLAGS_log_level, "debug");
  EXPECT_EQ(LogOptionsFromFlags()->format, Format::kText);
  EXPECT_EQ(LogOptionsFromFlags()->level, spdlog::level::debug);
}

TEST_F(LogOptionsTest, AnUnknownFormatOrLevelIsRefused) {
  absl::SetFlag(&FLAGS_log_format, "xml");
  EXPECT_THAT(std::string(LogOptionsFromFlags().status().message()), HasSubstr("'xml' is neither text nor json"));
  absl::SetFlag(&FLAGS_log_format, "");
  absl::SetFlag(&FLAGS_log_level, "loud");
  EXPECT_THAT(std::string(LogOptionsFromFlags().status().message()), HasSubstr("'loud'"));
}

}  // namespace
}  // namespace homeward::log
