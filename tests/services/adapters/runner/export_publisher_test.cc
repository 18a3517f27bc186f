#include "services/adapters/runner/export_publisher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "common/codec/event_codec.h"
#include "common/kafka/kafka_config.h"
#include "services/adapters/police/domain/police_mapping.h"
#include "tests/testing/events.h"
#include "tests/testing/fake_publisher.h"
#include "tests/testing/status_matchers.h"

namespace homeward::adapters {
namespace {

using ::homeward::testing::FakePublisher;
using ::homeward::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kExport[] =
    "occurrence_ref,record_version,person_id,forename,surname,date_of_birth,sex,nhs_number,category,"
    "risk_grade,reported_at,last_seen_at,last_seen_location,regrades,found_at,found_location,found_by,"
    "prevention_interview_at,recorded_at\n"
    "MP-1,1,PP-1,A,B,2011-01-01,M,,MISSING,low,2026-10-01T19:00:00Z,,,,2026-10-01T23:00:00Z,,,,2026-10-02T08:00:00Z\n"
    "MP-2,1,PP-2,C,D,2012-01-01,F,,LOST,low,2026-10-02T19:00:00Z,,,,,,,,2026-10-02T20:00:00Z\n"
    "MP-3,1,PP-3,E,F,2013-01-01,F,,MISSING,high,2026-10-03T19:00:00Z,,,,,,,,2026-10-03T20:00:00Z\n"
    "MP-4,1,PP-4,too,few\n";

class ExportPublisherTest : public ::testing::Test {
 protected:
  absl::StatusOr<ExportSummary> Publish(const std::string& csv) {
    auto table = ParseCsv(csv);
    if (!table.ok()) return table.status();
    return PublishExport(
        *table, [this](const CsvRow& row, absl::Time now) { return MapPoliceRow(row, mapping_, now); },
        publisher_, clock_,
        {.agency_id = "police.wm",
         .source_name = "export.csv",
         .required_columns = PoliceRequiredColumns(),
         .initial_backoff = absl::ZeroDuration()});
  }
  std::vector<OutboundMessage> On(const std::string& topic) const {
    std::vector<OutboundMessage> out;
    for (const auto& m : publisher_.accepted) {
      if (m.topic == topic) out.push_back(m);
    }
    return out;
  }

  PoliceMappingOptions mapping_{.agency_id = "police.wm", .force = "wm"};
  FakePublisher publisher_;
  FakeClock clock_{testing::TestNow()};
};

TEST_F(ExportPublisherTest, GoodRowsGoThroughAndBadRowsAreRejectedWithLineAndReason) {
  auto summary = Publish(kExport);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows_read, 4);
  EXPECT_EQ(summary->rows_published, 2);
  EXPECT_EQ(summary->rows_rejected, 2);
  EXPECT_EQ(summary->rows_failed, 0);
  EXPECT_EQ(summary->events_published, 3);  // MP-1 report + found, MP-3 report
  ASSERT_EQ(summary->rejections.size(), 2u);
  EXPECT_EQ(summary->rejections[0].line, 3);
  EXPECT_THAT(summary->rejections[0].reason, HasSubstr("category: unknown code 'LOST'"));
  EXPECT_EQ(summary->rejections[1].line, 5);
  EXPECT_THAT(summary->rejections[1].reason, HasSubstr("malformed row"));
  EXPECT_TRUE(summary->complete());
}

TEST_F(ExportPublisherTest, EventsAreKeyedBySourceRecordAndDecodable) {
  ASSERT_TRUE(Publish(kExport).ok());
  const auto events = On(kafka::kEventsTopic);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].key, "police.wm/MP-1");
  auto decoded = DecodeEvent(events[0].value);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->event_id, "police.wm/MP-1/report@1");
}

TEST_F(ExportPublisherTest, EveryRejectionIsDeadLetteredWithoutTheRowsPersonalData) {
  ASSERT_TRUE(Publish(kExport).ok());
  const auto letters = On(kafka::kDeadLetterTopic);
  ASSERT_EQ(letters.size(), 2u);
  EXPECT_THAT(letters[0].value, HasSubstr("\"line\":3"));
  EXPECT_THAT(letters[0].value, HasSubstr("LOST"));
  EXPECT_FALSE(absl::StrContains(letters[0].value, "PP-2"));
}

TEST_F(ExportPublisherTest, RetriesUndeliveredRowsUntilTheyAreAcknowledged) {
  int failures_left = 2;
  publisher_.verdict = [&](const OutboundMessage& m) {
    if (m.key == "police.wm/MP-3" && failures_left > 0) {
      --failures_left;
      return absl::UnavailableError("broker down");
    }
    return absl::OkStatus();
  };
  auto summary = Publish(kExport);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->rows_published, 2);
  EXPECT_EQ(summary->rows_failed, 0);
  EXPECT_EQ(On(kafka::kEventsTopic).size(), 3u);  // MP-1 was not published twice
}

TEST_F(ExportPublisherTest, ARowIsPublishedOnlyIfAllItsEventsAre) {
  publisher_.verdict = [](const OutboundMessage& m) {
    return absl::StrContains(m.value, "found@") || m.key != "police.wm/MP-1" ? absl::OkStatus()
                                                                            : absl::UnavailableError("down");
  };
  auto summary = Publish(kExport);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->rows_published, 1);
  EXPECT_EQ(summary->rows_failed, 1);
  EXPECT_FALSE(summary->complete());
}

TEST_F(ExportPublisherTest, AFileWithoutRequiredColumnsPublishesNothing) {
  EXPECT_THAT(Publish("occurrence_ref,person_id\nMP-1,PP-1\n"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("missing column(s) record_version")));
  EXPECT_EQ(publisher_.calls, 0);
}

TEST(RejectsReport, QuotesReasons) {
  ExportSummary s;
  s.rejections = {{3, "category: unknown code 'X', \"bad\""}};
  EXPECT_EQ(RejectsReportCsv(s), "line,reason\n3,\"category: unknown code 'X', \"\"bad\"\"\"\n");
}

}  // namespace
}  // namespace homeward::adapters
