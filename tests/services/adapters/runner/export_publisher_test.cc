#include "services/adapters/runner/export_publisher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/topics.h"
#include "services/adapters/domain/police_mapping.h"
#include "services/adapters/domain/record_reader.h"
#include "services/adapters/io/csv_table.h"
#include "tests/testing/adapters.h"
#include "tests/testing/fake_publisher.h"
#include "tests/testing/status_matchers.h"

namespace homeward::adapters {
namespace {

using ::homeward::testing::FakePublisher;
using ::homeward::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kHeader[] =
    "occurrence_ref,record_version,person_id,forename,surname,date_of_birth,sex,nhs_number,category,"
    "risk_grade,reported_at,last_seen_at,last_seen_location,regrades,found_at,found_location,found_by,"
    "prevention_interview_at,recorded_at\n";

// Row i: a clean record MP-i with a report and a found event.
std::string GoodRow(int i) {
  return absl::StrCat("MP-", i, ",1,PP-", i, ",A,B,2011-01-01,M,,MISSING,low,2026-10-01T19:00:00Z,,,,",
                      "2026-10-01T23:00:00Z,,,,2026-10-02T08:00:00Z\n");
}

// Lines 2..5: good, unknown code, good (report only), too few fields.
const std::string kExport =
    absl::StrCat(kHeader, GoodRow(1),
                 "MP-2,1,PP-2,C,D,2012-01-01,F,,LOST,low,2026-10-02T19:00:00Z,,,,,,,,2026-10-02T20:00:00Z\n",
                 "MP-3,1,PP-3,E,F,2013-01-01,F,,MISSING,high,2026-10-03T19:00:00Z,,,,,,,,2026-10-03T20:00:00Z\n",
                 "MP-4,1,PP-4,too,few\n");

// Remembers checkpoints in memory; can be told to "crash" the run after N saves.
class MemoryCheckpoints final : public CheckpointStore {
 public:
  absl::StatusOr<std::optional<Checkpoint>> Load(const std::string& key) override {
    auto it = saved.find(key);
    if (it == saved.end()) return std::nullopt;
    return it->second;
  }
  absl::Status Save(const std::string& key, const Checkpoint& c) override {
    saved[key] = c;
    ++saves;
    return absl::OkStatus();
  }
  std::map<std::string, Checkpoint> saved;
  int saves = 0;
};

class ExportPublisherTest : public ::testing::Test {
 protected:
  absl::StatusOr<ExportSummary> Publish(const std::string& csv, ExportPublisherOptions options = {}) {
    auto table = ParseCsv(csv);
    if (!table.ok()) return table.status();
    options.agency_id = "police.wm";
    options.source_name = "export.csv";
    options.required_columns = PoliceColumns();
    options.record_reference = [](const SourceRow& row) { return row.Get("occurrence_ref"); };
    options.initial_backoff = absl::ZeroDuration();
    return PublishExport(
        *table, [this](const SourceRow& row, absl::Time now) { return MapPoliceRow(MappedRow(row, mapping_), now); },
        publisher_, clock_, options);
  }
  std::vector<OutboundMessage> On(const std::string& topic) const {
    std::vector<OutboundMessage> out;
    for (const auto& m : publisher_.accepted) {
      if (m.topic == topic) out.push_back(m);
    }
    return out;
  }
  std::set<std::string> EventIdsPublished() const {
    std::set<std::string> ids;
    for (const auto& m : On(kafka::kEventsTopic)) ids.insert(DecodeEvent(m.value)->event_id);
    return ids;
  }

  SourceMapping mapping_ = testing::Mapping("police-csv", "police.wm", AgencyKind::kPolice, "wm");
  FakePublisher publisher_;
  FakeClock clock_{testing::TestNow()};
};

TEST_F(ExportPublisherTest, GoodRowsGoThroughAndBadRowsAreRejectedWithLocationAndReason) {
  auto summary = Publish(kExport);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows_read, 4);
  EXPECT_EQ(summary->rows_published, 2);
  EXPECT_EQ(summary->rows_rejected, 2);
  EXPECT_EQ(summary->rows_failed, 0);
  EXPECT_EQ(summary->events_published, 3);  // MP-1 report + found, MP-3 report
  ASSERT_EQ(summary->rejections.size(), 2u);
  EXPECT_EQ(summary->rejections[0].location, "line 5");
  EXPECT_EQ(summary->rejections[0].record, "");  // too broken to have fields
  EXPECT_THAT(summary->rejections[0].reason, HasSubstr("malformed record"));
  EXPECT_EQ(summary->rejections[1].location, "line 3");
  EXPECT_EQ(summary->rejections[1].record, "MP-2");  // the force's occurrence number
  EXPECT_THAT(summary->rejections[1].reason, HasSubstr("category: unknown code 'LOST'"));
  EXPECT_TRUE(summary->complete());
}

TEST_F(ExportPublisherTest, ARecordWithAnUnverifiedNhsNumberIsPublishedWithAWarning) {
  std::string row = GoodRow(5);
  row.replace(row.find(",M,,"), 4, ",M,9990001011,");  // check digit should be 4
  auto summary = Publish(absl::StrCat(kHeader, row, GoodRow(6)), {.warnings = &RecordWarnings});
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows_published, 2);
  EXPECT_EQ(summary->rows_rejected, 0);
  ASSERT_EQ(summary->warnings.size(), 1u);
  EXPECT_EQ(summary->warnings[0].location, "line 2");
  EXPECT_EQ(summary->warnings[0].record, "MP-5");
  EXPECT_THAT(summary->warnings[0].message, HasSubstr("unverified_nhs_number, not used to link records"));
  EXPECT_EQ(DecodeEvent(On(kafka::kEventsTopic)[0].value)->child->unverified_nhs_number, "9990001011");
}

TEST_F(ExportPublisherTest, EventsAreKeyedBySourceRecordAndDecodable) {
  ASSERT_TRUE(Publish(kExport).ok());
  const auto events = On(kafka::kEventsTopic);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].key, "police.wm/MP-1");
  EXPECT_THAT(EventIdsPublished(), ElementsAre("police.wm/MP-1/found@1", "police.wm/MP-1/report@1",
                                               "police.wm/MP-3/report@1"));
}

TEST_F(ExportPublisherTest, EveryRejectionIsDeadLetteredWithoutTheRecordsPersonalData) {
  ASSERT_TRUE(Publish(kExport).ok());
  const auto letters = On(kafka::kDeadLetterTopic);
  ASSERT_EQ(letters.size(), 2u);
  EXPECT_THAT(letters[1].value, HasSubstr("\"location\":\"line 3\""));
  EXPECT_THAT(letters[1].value, HasSubstr("\"record\":\"MP-2\""));
  EXPECT_THAT(letters[1].value, HasSubstr("LOST"));
  EXPECT_FALSE(absl::StrContains(letters[1].value, "PP-2"));
}

TEST_F(ExportPublisherTest, RetriesUndeliveredRowsUntilTheyAreAcknowledged) {
  int failures_left = 3;
  publisher_.verdict = [&](const OutboundMessage& m) {
    if (m.key == "police.wm/MP-3" && failures_left > 0) {
      --failures_left;
      return absl::UnavailableError("broker down");
    }
    return absl::OkStatus();
  };
  std::vector<Progress> reports;
  auto summary = Publish(kExport, {.on_progress = [&](const Progress& p) { reports.push_back(p); }});
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->rows_published, 2);
  EXPECT_EQ(summary->rows_failed, 0);
  EXPECT_EQ(On(kafka::kEventsTopic).size(), 3u);  // MP-1 was not published twice
  ASSERT_GE(reports.size(), 3u);                  // progress shown while waiting
  EXPECT_EQ(reports[0].attempt, 2);
  EXPECT_THAT(reports[0].last_error.ToString(), HasSubstr("broker down"));
}

TEST_F(ExportPublisherTest, ARowIsPublishedOnlyIfAllItsEventsAre) {
  publisher_.verdict = [](const OutboundMessage& m) {
    return absl::StrContains(m.value, "report@") && m.key == "police.wm/MP-1" ? absl::UnavailableError("down")
                                                                              : absl::OkStatus();
  };
  auto summary = Publish(kExport, {.give_up_after = absl::Milliseconds(50)});
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->rows_failed, 1);     // MP-1: its found event alone does not count
  EXPECT_EQ(summary->rows_published, 1);  // MP-3, in the same batch, did go through
  EXPECT_FALSE(summary->complete());
  EXPECT_EQ(summary->rows_published + summary->rows_rejected + summary->rows_failed + summary->rows_skipped,
            summary->rows_read);
}

TEST_F(ExportPublisherTest, AFileWithoutRequiredColumnsPublishesNothing) {
  EXPECT_THAT(Publish("occurrence_ref,person_id\nMP-1,PP-1\n"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("missing column(s) record_version")));
  EXPECT_EQ(publisher_.calls, 0);
}

TEST_F(ExportPublisherTest, AKilledRunResumesWithNoGapAndNoDuplicate) {
  std::string csv = kHeader;
  for (int i = 0; i < 50; ++i) absl::StrAppend(&csv, GoodRow(i));
  MemoryCheckpoints checkpoints;
  // The first run "dies" while its third batch is in flight: the log never acknowledges it.
  int delivered_batches = 0;
  publisher_.verdict = [&](const OutboundMessage& m) {
    return delivered_batches < 2 ? absl::OkStatus() : absl::UnavailableError("killed");
  };
  const ExportPublisherOptions options{.rows_per_batch = 10,
                                       .give_up_after = absl::ZeroDuration(),
                                       .checkpoint_store = &checkpoints,
                                       .checkpoint_key = "k",
                                       .on_progress = [&](const Progress& p) {
                                         if (p.attempt == 1) ++delivered_batches;
                                       }};
  auto first = Publish(csv, options);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->rows_published, 20);
  EXPECT_EQ(first->rows_failed, 30);
  EXPECT_EQ(checkpoints.saved["k"].next_row, 20);

  const size_t messages_before = publisher_.accepted.size();
  publisher_.verdict = [](const OutboundMessage&) { return absl::OkStatus(); };
  auto second = Publish(csv, options);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->rows_skipped, 20);
  EXPECT_EQ(second->rows_published, 30);
  EXPECT_TRUE(second->complete());
  EXPECT_EQ(publisher_.accepted.size() - messages_before, 60u);  // only rows 20..49, once each
  EXPECT_EQ(EventIdsPublished().size(), 100u);                   // no gap: all 50 records' events

  auto third = Publish(csv, options);  // a re-run of a finished file publishes nothing
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->rows_skipped, 50);
  EXPECT_EQ(third->rows_published, 0);
}

TEST_F(ExportPublisherTest, MalformedRecordsAreDeadLetteredOnceAcrossResumes) {
  MemoryCheckpoints checkpoints;
  const ExportPublisherOptions options{.checkpoint_store = &checkpoints, .checkpoint_key = "k"};
  ASSERT_TRUE(Publish(kExport, options).ok());
  ASSERT_TRUE(Publish(kExport, options).ok());
  EXPECT_EQ(On(kafka::kDeadLetterTopic).size(), 2u);
}

TEST(FileCheckpointStore, SavesDurablyAndReadsBack) {
  const std::string dir = ::testing::TempDir() + "/checkpoints-test";
  std::filesystem::remove_all(dir);
  FileCheckpointStore store(dir);
  EXPECT_EQ(*store.Load("k"), std::nullopt);
  ASSERT_TRUE(store.Save("k", {.malformed_done = true, .next_row = 42}).ok());
  EXPECT_EQ(*store.Load("k"), (Checkpoint{.malformed_done = true, .next_row = 42}));
  std::ofstream(dir + "/bad.checkpoint") << "garbage";
  EXPECT_THAT(store.Load("bad"), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("remove it")));
}

TEST(FileCheckpointStore, TheKeyFollowsTheFilesContent) {
  const std::string path = ::testing::TempDir() + "/export-key-test.csv";
  std::ofstream(path) << "a,b\n1,2\n";
  auto one = CheckpointKeyForFile("police.wm", path);
  ASSERT_TRUE(one.ok());
  EXPECT_THAT(*one, ::testing::StartsWith("police.wm-"));
  EXPECT_EQ(one->size(), std::string("police.wm-").size() + 32);
  std::ofstream(path, std::ios::app) << "3,4\n";
  EXPECT_NE(*CheckpointKeyForFile("police.wm", path), *one);
}

TEST(RejectsReport, NamesEachRecordByLocationAndReferenceAndQuotesEveryField) {
  ExportSummary s;
  s.rejections = {{.location = "line 3", .record = "MP-26-\"7\"", .reason = "category: unknown code 'X', \"bad\""},
                  {.location = "line 9", .reason = "malformed record"}};
  EXPECT_EQ(RejectsReportCsv(s),
            "location,record,reason\n"
            "\"line 3\",\"MP-26-\"\"7\"\"\",\"category: unknown code 'X', \"\"bad\"\"\"\n"
            "\"line 9\",\"\",\"malformed record\"\n");
}

}  // namespace
}  // namespace homeward::adapters
