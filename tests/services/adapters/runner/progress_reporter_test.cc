#include "services/adapters/runner/progress_reporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/testing/events.h"

namespace homeward::adapters {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

class ProgressReporterTest : public ::testing::Test {
 protected:
  ProgressReporter Reporter(bool terminal) {
    return ProgressReporter(
        clock_,
        {.write = [this](absl::string_view text) { absl::StrAppend(&written_, text); },
         .info = [this](const std::string& line) { info_.push_back(line); },
         .warn = [this](const std::string& line) { warn_.push_back(line); }},
        {.terminal = terminal, .source_name = "export.csv"});
  }
  // A long import: `batches` batches of 200 rows of 60,000, one every `each`.
  void Import(ProgressReporter& reporter, int batches, absl::Duration each) {
    for (int i = 1; i <= batches; ++i) {
      clock_.Advance(each);
      reporter.Update({.rows_done = 200 * i, .rows_total = 60000, .attempt = 1});
    }
  }

  FakeClock clock_{testing::TestNow()};
  std::string written_;
  std::vector<std::string> info_, warn_;
};

TEST_F(ProgressReporterTest, InALogALineAtMostEveryTenSecondsNotOnePerBatch) {
  ProgressReporter reporter = Reporter(/*terminal=*/false);
  Import(reporter, 300, absl::Milliseconds(200));  // 60,000 rows in 60 s: 300 batches
  reporter.Finish();
  // Lines at 10, 20, ... 50 s, and the end (which says how long it took); nothing drawn in place.
  ASSERT_THAT(info_, SizeIs(6));
  EXPECT_EQ(info_[0],
            "export.csv: 10,000 of 60,000 records done (16%), 1,000 records/s, about 50s left");
  EXPECT_EQ(info_[4],
            "export.csv: 50,000 of 60,000 records done (83%), 1,000 records/s, about 10s left");
  EXPECT_EQ(info_.back(), "export.csv: 60,000 of 60,000 records done in 1m 0s (1,000 records/s)");
  EXPECT_THAT(written_, IsEmpty());
  EXPECT_THAT(warn_, IsEmpty());
}

TEST_F(ProgressReporterTest, ARunThatStopsEarlySaysWhereItStopped) {
  ProgressReporter reporter = Reporter(/*terminal=*/false);
  Import(reporter, 10, absl::Milliseconds(200));
  reporter.Finish();
  EXPECT_THAT(info_,
              ElementsAre("export.csv: 2,000 of 60,000 records done (3%) when the run stopped"));
}

TEST_F(ProgressReporterTest, OnATerminalOneLineRedrawnInPlaceWithRateAndTimeLeft) {
  ProgressReporter reporter = Reporter(/*terminal=*/true);
  Import(reporter, 300,
         absl::Milliseconds(20));  // 50 batches a second: redrawn at most 10 times a second
  reporter.Finish();
  EXPECT_THAT(info_, IsEmpty());
  const size_t redraws = static_cast<size_t>(std::count(written_.begin(), written_.end(), '\r'));
  EXPECT_GE(redraws, 55u);
  EXPECT_LE(redraws, 62u);
  EXPECT_EQ(std::count(written_.begin(), written_.end(), '\n'),
            1);  // the bar's line, ended at the end
  EXPECT_THAT(
      written_,
      HasSubstr("\r[#-------------------]  3,200/60,000 rows  10,000 rows/s  ETA 6s\x1b[K"));
  EXPECT_THAT(written_,
              HasSubstr("\r[####################]  60,000/60,000 rows  10,000 rows/s\x1b[K\n"));
}

TEST_F(ProgressReporterTest, WaitingForKafkaIsReportedWhenItStartsAndEveryTenSeconds) {
  ProgressReporter reporter = Reporter(/*terminal=*/true);
  Import(reporter, 5, absl::Milliseconds(200));
  for (int attempt = 2; attempt <= 8; ++attempt) {  // backoff doubling from 200 ms: 25 s in all
    clock_.Advance(absl::Milliseconds(200) * (1 << (attempt - 2)));
    reporter.Update({.rows_done = 1000,
                     .rows_total = 60000,
                     .attempt = attempt,
                     .last_error = absl::UnavailableError("broker down")});
  }
  EXPECT_THAT(warn_, SizeIs(3));  // at the start, after 12.6 s and after 25.4 s
  EXPECT_THAT(warn_[0], AllOf(HasSubstr("export.csv: waiting for Kafka"), HasSubstr("broker down"),
                              HasSubstr("1,000 of 60,000 records done, attempt 2")));
  // The bar's line was cleared before the first warning, so it stands on a line of its own.
  EXPECT_TRUE(absl::EndsWith(written_, "\r\x1b[K")) << written_;
  reporter.Update({.rows_done = 1200, .rows_total = 60000, .attempt = 1});
  EXPECT_THAT(written_, HasSubstr("\r\x1b[K\r[--------------------]  1,200/60,000"));
}

TEST_F(ProgressReporterTest, BeforeWaitingForTheHubTheBarMakesWayForTheGuardsLines) {
  ProgressReporter reporter = Reporter(/*terminal=*/true);
  Import(reporter, 2, absl::Milliseconds(200));
  reporter.Update({.rows_done = 400,
                   .rows_total = 60000,
                   .attempt = 1,
                   .hub_behind = absl::ResourceExhaustedError("the hub is catching up")});
  EXPECT_TRUE(absl::EndsWith(written_, "\r\x1b[K")) << written_;
  EXPECT_THAT(warn_, IsEmpty());  // the lag guard logs the wait itself, every 5 s
}

TEST(ProgressBar, RowsDoneByAnEarlierRunDoNotCountTowardsTheRate) {
  const Progress resumed{.rows_done = 40000, .rows_total = 60000, .rows_skipped = 30000};
  EXPECT_EQ(ProgressReporter::Bar(resumed, absl::Seconds(10), 10),
            "[######----]  40,000/60,000 rows  1,000 rows/s  ETA 20s");
  EXPECT_THAT(ProgressReporter::Bar({.rows_total = 60000}, absl::ZeroDuration(), 10),
              Not(HasSubstr("ETA")));
  EXPECT_EQ(ProgressReporter::Bar({.rows_done = 100, .rows_total = 301000}, absl::Seconds(1), 4),
            "[----]  100/301,000 rows  100 rows/s  ETA 50m 9s");
}

}  // namespace
}  // namespace homeward::adapters
