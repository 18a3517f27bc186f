// The ingestor against an in-memory log, publisher and store (issue 11): nothing the log holds
// is skipped, lost or allowed to wedge ingestion; hostile messages are dead-lettered with their
// reason; damaged stored events are quarantined and read again.
#include "services/aggregator/kafka/event_ingestor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>

#include <bit>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/dead_letter/dead_letter.h"
#include "common/metrics/registry.h"
#include "common/topics.h"
#include "tests/testing/events.h"
#include "tests/testing/eventually.h"
#include "tests/testing/fake_event_store.h"
#include "tests/testing/fake_log_reader.h"
#include "tests/testing/fake_publisher.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::Eventually;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::PoliceChild;
using ::homeward::testing::PoliceReport;
using ::testing::HasSubstr;

const TopicPartition kP0{kafka::kEventsTopic, 0};
const TopicPartition kP1{kafka::kEventsTopic, 1};

// Records some recorded gaps, as the alert coordinator would raise them.
class GapSink final : public AppliedSink {
 public:
  void OnEventsApplied(const std::vector<Event>&) override {}
  void OnAlertRecord(const StoredAlertRecord&) override {}
  void OnLogGap(const LogGap& gap) override {
    absl::MutexLock lock(&mu);
    gaps.push_back(gap);
  }
  void OnBacklog(int64_t unread_events) override {
    absl::MutexLock lock(&mu);
    backlogs.push_back(unread_events);
  }
  absl::Mutex mu;
  std::vector<LogGap> gaps;
  std::vector<int64_t> backlogs;
};

class EventIngestorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/ingestor-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    std::filesystem::remove(path_);
    for (const char* id : {"police.test", "health.test", "rhi.test"}) {
      registry_.Register(id, {.kind = testing::TestAgencyKind(id), .records = DefaultRecords(testing::TestAgencyKind(id))});
    }
    registry_.Register("lcs.cov", {.kind = AgencyKind::kSocialCare, .authority = "coventry",
                                   .records = DefaultRecords(AgencyKind::kSocialCare)});
    log_.AddPartition(kP0);
    log_.AddPartition(kP1);
    log_.AddPartition({kafka::kAlertsTopic, 0});
    Open();
  }
  void TearDown() override { StopRunning(); }

  // A fresh aggregator on the same store file: chronology and ingestor (as a restart).
  void Open(IngestorOptions options = {.retry_backoff = absl::Milliseconds(5)}) {
    StopRunning();
    ingestor_.reset();
    store_.reset();
    chronology_ = std::make_unique<ChronologyStore>();
    store_ = *SqliteEventStore::Open({.path = path_, .integrity_key = std::string(32, 's')});
    ingestor_ = std::make_unique<EventIngestor>(log_, dead_letters_, *store_, *chronology_, registry_, clock_, options);
    ingestor_->add_sink(&sink_);
    ASSERT_TRUE(ingestor_->Start(absl::Seconds(1)).ok());
  }
  void StartRunning() {
    running_ = std::thread([this] { EXPECT_TRUE(ingestor_->Run().ok()); });
  }
  void StopRunning() {
    if (!running_.joinable()) return;
    ingestor_->Stop();
    running_.join();
  }
  int64_t Append(const Event& e, const TopicPartition& tp = kP0) { return log_.Append(tp, EncodeEvent(e)); }
  // Handles everything the log holds now, in one batch.
  absl::Status HandleAll() {
    std::vector<ConsumedMessage> batch;
    for (;;) {
      absl::StatusOr<std::optional<ConsumedMessage>> m = log_.Poll(absl::ZeroDuration());
      if (!m.ok() || !m->has_value()) break;
      batch.push_back(**m);
    }
    return ingestor_->HandleBatch(batch);
  }
  std::vector<std::string> DeadLetterReasons() {
    absl::MutexLock lock(&dead_letters_.mu);
    std::vector<std::string> out;
    for (const OutboundMessage& m : dead_letters_.accepted) out.push_back(m.headers.at(0).second);
    return out;
  }
  size_t Entries(const std::string& child) {
    auto page = chronology_->Query({.child = child});
    return page.ok() ? page->entries.size() : 0;
  }

  std::string path_;
  AgencyRegistry registry_;
  testing::FakeLogReader log_;
  testing::FakePublisher dead_letters_;
  FakeClock clock_{At("2026-11-27T12:00:00Z")};
  GapSink sink_;
  std::unique_ptr<ChronologyStore> chronology_;
  std::unique_ptr<SqliteEventStore> store_;
  std::unique_ptr<EventIngestor> ingestor_;
  std::thread running_;
};

// ---- point 1: a gap in the log is never skipped silently ----

TEST_F(EventIngestorTest, AGapStopsThePartitionIsRecordedAndGoesOnOnlyWhenAccepted) {
  for (int i = 0; i < 5; ++i) Append(PoliceReport(absl::StrCat("MP-", i), "PP-1", At("2026-11-20T10:00:00Z") + absl::Hours(i)));
  ASSERT_TRUE(HandleAll().ok());
  EXPECT_EQ(Entries("police:test-force/PP-1"), 5u);
  // While the aggregator is down, five more arrive and retention removes three of them.
  for (int i = 5; i < 10; ++i) Append(PoliceReport(absl::StrCat("MP-", i), "PP-1", At("2026-11-20T10:00:00Z") + absl::Hours(i)));
  Append(PoliceReport("MP-OTHER", "PP-2", At("2026-11-20T10:00:00Z")), kP1);
  log_.TrimBefore(kP0, 8);
  Open();
  StartRunning();
  ASSERT_TRUE(Eventually([&] { return !ingestor_->health().serving; }));
  const IngestHealth health = ingestor_->health();
  ASSERT_EQ(health.open_gaps.size(), 1u);
  EXPECT_EQ(health.open_gaps[0].from, 5);
  EXPECT_EQ(health.open_gaps[0].to, 7);
  EXPECT_THAT(health.reason, HasSubstr("offsets 5..7 (3 records)"));
  // The other partition goes on; this one does not jump past the gap by itself.
  ASSERT_TRUE(Eventually([&] { return Entries("police:test-force/PP-2") == 1; }));
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(Entries("police:test-force/PP-1"), 5u);
  EXPECT_EQ(ingestor_->next_offsets()[kP0], 5);
  EXPECT_EQ(ingestor_->stats().log_gaps, 1);
  {
    absl::MutexLock lock(&sink_.mu);
    ASSERT_EQ(sink_.gaps.size(), 1u);  // raised as a data-quality alert
  }
  ASSERT_EQ(store_->Gaps()->size(), 1u);  // durable
  // An administrator accepts it (after re-importing): the partition goes on after the gap.
  absl::StatusOr<LogGap> accepted = ingestor_->AcceptGap(kP0, "admin-1");
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  ASSERT_TRUE(Eventually([&] { return Entries("police:test-force/PP-1") == 7; }));
  EXPECT_TRUE(ingestor_->health().serving);
  EXPECT_EQ((*store_->Gaps())[0].accepted_by, "admin-1");
  EXPECT_EQ(ingestor_->AcceptGap(kP0, "admin-1").status().code(), absl::StatusCode::kNotFound);
}

// Catch-up mode's input (alert_coordinator.h): how many events are unread, as the log's ends
// are seen; a partition stopped at a gap is not a backlog that reading will clear.
TEST_F(EventIngestorTest, SinksAreToldTheBacklogLeavingOutAPartitionStoppedAtAGap) {
  for (int i = 0; i < 3000; ++i) {
    Append(PoliceReport(absl::StrCat("MP-", i), "PP-1", At("2026-11-20T10:00:00Z") + absl::Minutes(i)));
  }
  for (int i = 0; i < 5; ++i) Append(PoliceReport(absl::StrCat("MQ-", i), "PP-2", At("2026-11-20T10:00:00Z")), kP1);
  log_.TrimBefore(kP1, 3);  // offsets 0..2 are gone: a gap, and two records behind it
  StartRunning();
  ASSERT_TRUE(Eventually([&] { return ingestor_->stats().added == 3000; }));
  ASSERT_TRUE(Eventually([&] {
    absl::MutexLock lock(&sink_.mu);
    return !sink_.backlogs.empty() && sink_.backlogs.back() == 0;
  }));
  absl::MutexLock lock(&sink_.mu);
  EXPECT_GE(*std::max_element(sink_.backlogs.begin(), sink_.backlogs.end()), 2500);
  EXPECT_EQ(sink_.gaps.size(), 1u);
}

TEST_F(EventIngestorTest, AnOpenGapIsStillOpenAfterARestart) {
  Append(PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z")));
  Append(PoliceReport("MP-2", "PP-1", At("2026-11-20T11:00:00Z")));
  log_.TrimBefore(kP0, 1);
  StartRunning();
  ASSERT_TRUE(Eventually([&] { return !ingestor_->health().open_gaps.empty(); }));
  Open();  // restart: the gap is known from the store at once, and found again
  EXPECT_FALSE(ingestor_->health().serving);
  StartRunning();
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(ingestor_->health().open_gaps.size(), 1u);
  EXPECT_EQ(Entries("police:test-force/PP-1"), 0u);
}

TEST_F(EventIngestorTest, ALogThatWasNeverReadButNoLongerStartsAtZeroIsAGapToo) {
  Append(PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z")));
  Append(PoliceReport("MP-2", "PP-1", At("2026-11-20T11:00:00Z")));
  log_.TrimBefore(kP0, 1);
  StartRunning();
  ASSERT_TRUE(Eventually([&] { return !ingestor_->health().open_gaps.empty(); }));
  EXPECT_EQ(ingestor_->health().open_gaps[0].from, 0);
  EXPECT_EQ(ingestor_->health().open_gaps[0].to, 0);
}

// ---- point 2: no single message can stop ingestion ----

TEST_F(EventIngestorTest, AMegabyteOfRandomBytesIsDeadLetteredByReferenceAndIngestionGoesOn) {
  // The log's limit for one message, as librdkafka's message.max.bytes.
  dead_letters_.verdict = [](const OutboundMessage& m) {
    return m.value.size() > 1'000'000 ? absl::InvalidArgumentError("MSG_SIZE_TOO_LARGE") : absl::OkStatus();
  };
  std::string junk(1'048'576, '\0');
  std::mt19937 random(7);
  for (char& c : junk) c = static_cast<char>(random());
  log_.Append(kP0, junk);
  Append(PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z")));
  StartRunning();
  ASSERT_TRUE(Eventually([&] { return Entries("police:test-force/PP-1") == 1; }));
  absl::MutexLock lock(&dead_letters_.mu);
  ASSERT_EQ(dead_letters_.accepted.size(), 1u);
  const OutboundMessage& letter = dead_letters_.accepted[0];
  EXPECT_EQ(letter.value, junk.substr(0, kPrefixBytes));
  EXPECT_THAT(letter.headers[0].second, HasSubstr("\"stored\":\"reference\""));
  EXPECT_THAT(letter.headers[0].second, HasSubstr(Sha256Hex(junk)));
  EXPECT_THAT(letter.headers[0].second, HasSubstr("\"size\":1048576"));
  EXPECT_THAT(letter.headers[0].second, HasSubstr("over the limit of 65536"));
  EXPECT_EQ(letter.key, "homeward.events.v1/0@0");
}

TEST_F(EventIngestorTest, ADeadLetterTheLogRefusesWholeIsSentByReference) {
  dead_letters_.verdict = [](const OutboundMessage& m) {
    return m.value.size() > 50'000 ? absl::InvalidArgumentError("MSG_SIZE_TOO_LARGE") : absl::OkStatus();
  };
  log_.Append(kP0, std::string(60'000, 'x'));  // not an event, and whole it is over this log's limit
  StartRunning();
  ASSERT_TRUE(Eventually([&] { return ingestor_->stats().dead_lettered == 1; }));
  EXPECT_EQ(ingestor_->stats().dead_letters_by_reference, 1);
  EXPECT_EQ(ingestor_->stats().rejected_invalid, 1);
  EXPECT_THAT(DeadLetterReasons()[0], HasSubstr("reference"));
}

TEST_F(EventIngestorTest, ARetryThatCannotProgressIsVisibleAndRecovers) {
  absl::Mutex mu;
  bool kafka_up = false;
  dead_letters_.verdict = [&](const OutboundMessage&) {
    absl::MutexLock lock(&mu);
    return kafka_up ? absl::OkStatus() : absl::UnavailableError("all brokers down");
  };
  log_.Append(kP0, "not an event");
  Append(PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z")));
  StartRunning();
  ASSERT_TRUE(Eventually([&] { return !ingestor_->health().serving; }));
  EXPECT_THAT(ingestor_->health().reason, HasSubstr("stalled"));
  EXPECT_THAT(ingestor_->health().last_error, HasSubstr("all brokers down"));
  EXPECT_GE(ingestor_->stats().commit_failures, 3);
  EXPECT_EQ(Entries("police:test-force/PP-1"), 0u);  // the batch is kept, not skipped
  {
    absl::MutexLock lock(&mu);
    kafka_up = true;
  }
  ASSERT_TRUE(Eventually([&] { return ingestor_->health().serving; }, absl::Seconds(20)));
  EXPECT_EQ(Entries("police:test-force/PP-1"), 1u);
  EXPECT_EQ(ingestor_->stats().dead_lettered, 1);
}

// ---- point 3: size limits ----

TEST_F(EventIngestorTest, AnEventOverTheSizeLimitIsRejectedNotStored) {
  Event big = PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z"));
  std::get<MissingReported>(big.payload).last_seen_location = std::string(900 * 1024, 'a');
  Append(big);
  ASSERT_TRUE(HandleAll().ok());
  EXPECT_EQ(ingestor_->stats().rejected_oversized, 1);
  EXPECT_EQ(Entries("police:test-force/PP-1"), 0u);
  EXPECT_EQ(store_->CountEvents().value_or(-1), 0);
}

// ---- point 8: an agency's kind and records come from the configuration ----

TEST_F(EventIngestorTest, AnAgencyPublishesOnlyItsRegisteredKindAndRecords) {
  Event labelled = MakeEvent("health.test", "ED-1", "note", 1, PoliceChild("PP-1"), At("2026-11-20T10:00:00Z"),
                             ChronologyNote{.kind = "school-absence", .summary = "clinical detail"});
  labelled.agency_kind = AgencyKind::kEducation;  // escaping the health mask
  Append(labelled);
  Append(MakeEvent("police.test", "RHI-1", "interview", 1, PoliceChild("PP-1"), At("2026-11-20T11:00:00Z"),
                   ReturnInterview{.outcome = InterviewOutcome::kCompleted, .childs_own_words = "words"}));
  Append(MakeEvent("police.unknown", "MP-9", "report", 1, PoliceChild("PP-1"), At("2026-11-20T12:00:00Z"),
                   MissingReported{.category = AbsenceCategory::kMissing}));
  Append(MakeEvent("police.test", "PL-1", "placement", 1, PoliceChild("PP-1"), At("2026-11-20T13:00:00Z"),
                   PlacementChanged{.looked_after = true, .placing_authority = "warwickshire"}));
  Append(MakeEvent("lcs.cov", "PL-2", "placement", 1, PoliceChild("PP-1"), At("2026-11-20T13:00:00Z"),
                   PlacementChanged{.looked_after = true, .placing_authority = "warwickshire"}));
  ASSERT_TRUE(HandleAll().ok());
  EXPECT_EQ(ingestor_->stats().rejected_unregistered, 5);
  const std::vector<std::string> reasons = DeadLetterReasons();
  ASSERT_EQ(reasons.size(), 5u);
  EXPECT_THAT(reasons[0], HasSubstr("registered as health; the event says education"));
  EXPECT_THAT(reasons[1], HasSubstr("(police) may not publish return_interview"));
  EXPECT_THAT(reasons[2], HasSubstr("not registered"));
  EXPECT_THAT(reasons[3], HasSubstr("may not publish placement_changed"));
  EXPECT_THAT(reasons[4], HasSubstr("records placements made by coventry, not by 'warwickshire'"));
  EXPECT_EQ(Entries("police:test-force/PP-1"), 0u);
}

// ---- point 15: the same id with other content is a conflict ----

TEST_F(EventIngestorTest, TheSameIdWithOtherContentIsAConflictAndTheFirstIsKept) {
  const Event first = PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z"));
  Event other = first;
  std::get<MissingReported>(other.payload).last_seen_location = "somewhere else";
  Append(first);
  ASSERT_TRUE(HandleAll().ok());
  Append(first);  // a redelivery: nothing to say
  Append(other);  // the same id, other content
  ASSERT_TRUE(HandleAll().ok());
  EXPECT_EQ(ingestor_->stats().rejected_conflicts, 1);
  EXPECT_EQ(ingestor_->stats().duplicates, 1);
  ASSERT_EQ(DeadLetterReasons().size(), 1u);
  EXPECT_THAT(DeadLetterReasons()[0], HasSubstr("conflict: event id police.test/MP-1/report@1 is already held"));
  auto page = chronology_->Query({.child = "police:test-force/PP-1"});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(std::get<MissingReported>(page->entries[0].event.payload).last_seen_location, "");
  // Within one batch, and after a restart (fingerprints come back from the store), the same.
  Append(other);
  Open();
  Append(other);
  ASSERT_TRUE(HandleAll().ok());
  EXPECT_EQ(ingestor_->stats().rejected_conflicts, 2);
}

// ---- point 5: a return before its own report ----

TEST_F(EventIngestorTest, AReturnBeforeItsKnownReportIsRejectedAndOneThatCameFirstIsFlagged) {
  Append(PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z")));
  Append(MakeEvent("police.test", "MP-1", "found", 1, PoliceChild("PP-1"), At("2026-11-20T08:00:00Z"), FoundReturned{}));
  ASSERT_TRUE(HandleAll().ok());  // the report first, in the same batch
  EXPECT_EQ(ingestor_->stats().rejected_impossible, 1);
  EXPECT_THAT(DeadLetterReasons()[0], HasSubstr("before the start of its own missing report"));
  // The other way round: the found record arrives first, so it cannot be judged; the report
  // that lands later flags the episode (rule impossible-times raises the data-quality alert).
  Append(MakeEvent("police.test", "MP-2", "found", 1, PoliceChild("PP-2"), At("2026-11-21T08:00:00Z"), FoundReturned{}));
  ASSERT_TRUE(HandleAll().ok());
  Append(PoliceReport("MP-2", "PP-2", At("2026-11-21T10:00:00Z")));
  ASSERT_TRUE(HandleAll().ok());
  auto episodes = chronology_->Episodes("police:test-force/PP-2");
  ASSERT_TRUE(episodes.ok());
  ASSERT_EQ(episodes->size(), 1u);
  EXPECT_TRUE((*episodes)[0].impossible_times);
  EXPECT_FALSE((*episodes)[0].end.has_value());  // never a negative-length episode
  EXPECT_THAT((*episodes)[0].flags, ::testing::Contains(HasSubstr("impossible times")));
}

// ---- point 13: damaged stored events are quarantined and read again ----

void Exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST_F(EventIngestorTest, AStoredEventAlteredWhileTheHubWasDownIsQuarantinedAndReadAgainFromTheLog) {
  Event report = PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z"));
  std::get<MissingReported>(report.payload).last_seen_location = "Bus station";
  Append(report);
  Append(PoliceReport("MP-2", "PP-1", At("2026-11-21T10:00:00Z")));
  ASSERT_TRUE(HandleAll().ok());
  // Someone edits the text inside the stored protobuf (same length, still decodes).
  StopRunning();
  ingestor_.reset();
  store_.reset();
  Exec(path_, "UPDATE events SET body = CAST(replace(CAST(body AS TEXT), 'Bus station', 'Bus depot!!') AS BLOB) "
              "WHERE event_id = 'police.test/MP-1/report@1'");
  Open();
  EXPECT_EQ(ingestor_->stats().quarantined, 1);
  EXPECT_FALSE(ingestor_->health().serving);  // until it is read again
  EXPECT_EQ(Entries("police:test-force/PP-1"), 1u);  // never served altered
  StartRunning();
  ASSERT_TRUE(Eventually([&] { return Entries("police:test-force/PP-1") == 2; }));
  ASSERT_TRUE(Eventually([&] { return ingestor_->health().serving; }));
  auto page = chronology_->Query({.child = "police:test-force/PP-1"});
  EXPECT_EQ(std::get<MissingReported>(page->entries[0].event.payload).last_seen_location, "Bus station");
  // And the store holds the original again: a second restart replays it cleanly.
  StopRunning();
  Open();
  EXPECT_EQ(ingestor_->stats().quarantined, 0);
  EXPECT_EQ(Entries("police:test-force/PP-1"), 2u);
}

TEST_F(EventIngestorTest, FlippedBytesInAStoredEventAreFound) {
  Append(PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z")));
  ASSERT_TRUE(HandleAll().ok());
  ingestor_.reset();
  store_.reset();
  Exec(path_, "UPDATE events SET body = zeroblob(length(body))");
  Open();
  EXPECT_EQ(ingestor_->stats().quarantined, 1);
  EXPECT_EQ(ingestor_->health().awaiting_rebuild.size(), 1u);
}

// ---- point 11: a purge is an event every replica applies; it survives restarts ----

TEST_F(EventIngestorTest, APurgeEventForgetsTheEventsForGoodWhateverTheirIds) {
  Append(PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z")));
  Append(PoliceReport("MP-2", "PP-2", At("2026-11-20T10:00:00Z")));
  ASSERT_TRUE(HandleAll().ok());
  Event purge = MakeEvent(kRetentionAgency, "purge-1", "purge", 1, {}, At("2026-11-27T11:00:00Z"),
                          ChildPurged{.event_ids = {"police.test/MP-1/report@1"}, .reason = "retention", .decided_by = "admin-1"});
  Append(purge, kP1);
  ASSERT_TRUE(HandleAll().ok());
  EXPECT_EQ(ingestor_->stats().purges, 1);
  EXPECT_EQ(Entries("police:test-force/PP-1"), 0u);
  EXPECT_EQ(Entries("police:test-force/PP-2"), 1u);
  EXPECT_EQ(store_->PurgedIds()->size(), 1u);
  // Redelivered from the log, and after a restart: still gone.
  Append(PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z")));
  ASSERT_TRUE(HandleAll().ok());
  Open();  // the purge event replays too; its ids stay known as the store's tombstones
  EXPECT_EQ(Entries("police:test-force/PP-1"), 0u);
  EXPECT_EQ(Entries("police:test-force/PP-2"), 1u);
}

TEST_F(EventIngestorTest, ThePositionIsPublishedForBackpressure) {
  absl::Mutex mu;
  std::vector<NextOffsets> published;
  Open({.publish_position = [&](const NextOffsets& o) {
    absl::MutexLock lock(&mu);
    published.push_back(o);
  }});
  Append(PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z")));
  StartRunning();
  EXPECT_TRUE(Eventually([&] {
    absl::MutexLock lock(&mu);
    for (const NextOffsets& o : published) {
      if (o.contains(kP0) && o.at(kP0) == 1) return true;
    }
    return false;
  }));
  StopRunning();
}

// ---- issue 17: what the ingestor tells an operator ----

TEST_F(EventIngestorTest, AReplayAndEachCommitAreCounted) {
  metrics::Registry registry;
  Open({.metrics = &registry});
  for (int i = 0; i < 3; ++i) Append(PoliceReport(absl::StrCat("MP-", i), "PP-1", At("2026-11-20T10:00:00Z")));
  ASSERT_TRUE(HandleAll().ok());
  EXPECT_EQ(registry.Value("homeward_batch_commit_seconds"), 1);  // one batch, one timed commit
  EXPECT_EQ(registry.Value("homeward_replay_events_expected"), 0);

  Open({.metrics = &registry});  // a restart: the store is replayed
  EXPECT_EQ(registry.Value("homeward_replay_events_expected"), 3);
  EXPECT_EQ(registry.Value("homeward_replay_events_done"), 3);
  EXPECT_EQ(registry.Value("homeward_replaying"), 0);
  EXPECT_EQ(ingestor_->stats().replayed, 3);
}

TEST_F(EventIngestorTest, LagIsWhatEachPartitionHoldsUnread) {
  Append(PoliceReport("MP-1", "PP-1", At("2026-11-20T10:00:00Z")));
  for (int i = 0; i < 4; ++i) Append(PoliceReport(absl::StrCat("MP-P1-", i), "PP-2", At("2026-11-20T10:00:00Z")), kP1);
  log_.TrimBefore(kP1, 2);  // a gap: partition 1 stops, its four records unread
  StartRunning();
  EXPECT_TRUE(Eventually([&] {
    const std::map<TopicPartition, int64_t> lag = ingestor_->lag();
    return lag.contains(kP0) && lag.at(kP0) == 0 && lag.contains(kP1) && lag.at(kP1) == 4;
  }));
  StopRunning();
}

// ---- the ingestor's core without SQLite or Kafka: an in-memory log and store ----

class IngestorCoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.Register("police.test", {.kind = AgencyKind::kPolice, .records = DefaultRecords(AgencyKind::kPolice)});
    log_.AddPartition(kP0);
    log_.AddPartition({kafka::kAlertsTopic, 0});
    Restart();
  }
  // A fresh chronology and ingestor on the same store (as a restart).
  void Restart() {
    ingestor_.reset();
    chronology_ = std::make_unique<ChronologyStore>();
    ingestor_ = std::make_unique<EventIngestor>(log_, dead_letters_, store_, *chronology_, registry_, clock_);
    ASSERT_TRUE(ingestor_->Start(absl::Seconds(1)).ok());
  }
  std::vector<ConsumedMessage> Unread() {
    std::vector<ConsumedMessage> batch;
    for (;;) {
      absl::StatusOr<std::optional<ConsumedMessage>> m = log_.Poll(absl::ZeroDuration());
      if (!m.ok() || !m->has_value()) return batch;
      batch.push_back(**m);
    }
  }
  size_t Entries(const std::string& child) {
    auto page = chronology_->Query({.child = child});
    return page.ok() ? page->entries.size() : 0;
  }

  AgencyRegistry registry_;
  testing::FakeLogReader log_;
  testing::FakePublisher dead_letters_;
  testing::FakeEventStore store_;
  FakeClock clock_{At("2026-11-27T12:00:00Z")};
  std::unique_ptr<ChronologyStore> chronology_;
  std::unique_ptr<EventIngestor> ingestor_;
};

TEST_F(IngestorCoreTest, ABatchTheStoreRefusesIsNotAppliedAndTheSameBatchAppliesOnceLater) {
  for (int i = 0; i < 3; ++i) {
    log_.Append(kP0, EncodeEvent(PoliceReport(absl::StrCat("MP-", i), "PP-1", At("2026-11-20T10:00:00Z") + absl::Hours(i))));
  }
  const std::vector<ConsumedMessage> batch = Unread();
  store_.FailCommits(1);
  EXPECT_EQ(ingestor_->HandleBatch(batch).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Entries("police:test-force/PP-1"), 0u) << "nothing of a batch not committed is applied";
  EXPECT_TRUE(ingestor_->next_offsets().empty());
  ASSERT_TRUE(ingestor_->HandleBatch(batch).ok());
  ASSERT_TRUE(ingestor_->HandleBatch(batch).ok());  // redelivered: changes nothing
  EXPECT_EQ(Entries("police:test-force/PP-1"), 3u);
  EXPECT_EQ(ingestor_->stats().added, 3);
  EXPECT_EQ(ingestor_->stats().duplicates, 3);
  EXPECT_EQ(ingestor_->next_offsets()[kP0], 3);
  EXPECT_EQ(*store_.CountEvents(), 3);
}

TEST_F(IngestorCoreTest, ARestartRebuildsTheChronologyFromTheStoreAndQuarantinesWhatNoLongerVerifies) {
  for (int i = 0; i < 4; ++i) {
    log_.Append(kP0, EncodeEvent(PoliceReport(absl::StrCat("MP-", i), "PP-1", At("2026-11-20T10:00:00Z") + absl::Hours(i))));
  }
  ASSERT_TRUE(ingestor_->HandleBatch(Unread()).ok());
  const std::string damaged = PoliceReport("MP-2", "PP-1", At("2026-11-20T12:00:00Z")).event_id;
  store_.Damage(damaged);
  Restart();
  EXPECT_EQ(ingestor_->stats().replayed, 3);
  EXPECT_EQ(ingestor_->stats().quarantined, 1);
  EXPECT_EQ(Entries("police:test-force/PP-1"), 3u);
  EXPECT_THAT(store_.quarantined(), ::testing::ElementsAre(damaged));
  EXPECT_FALSE(ingestor_->health().serving) << "a damaged event not yet read again from the log";
  // The log still holds it: read again from its offset, it is whole again.
  ASSERT_TRUE(ingestor_->HandleBatch(Unread()).ok());
  EXPECT_EQ(Entries("police:test-force/PP-1"), 4u);
  EXPECT_TRUE(ingestor_->health().serving);
}

// The store writes only the offsets that moved; what it holds is still every offset it was last
// given, after a quarantine has rewound one too.
TEST(SqliteEventStoreTest, TheOffsetsHeldAreTheLastGivenEvenAfterAQuarantineRewindsOne) {
  auto store = SqliteEventStore::Open({});  // in memory
  ASSERT_TRUE(store.ok()) << store.status();
  const absl::Time now = At("2026-11-27T12:00:00Z");
  const StoredEvent event{.event_id = "police.test/MP-1/report@1", .bytes = "x", .received_at = now,
                          .partition = 0, .offset = 9};
  ASSERT_TRUE((*store)->Commit({event}, {}, {{kP0, 10}, {kP1, 20}}).ok());
  ASSERT_TRUE((*store)->Commit({}, {}, {{kP0, 11}, {kP1, 20}}).ok());  // one partition moved
  EXPECT_EQ(*(*store)->LoadOffsets(), (NextOffsets{{kP0, 11}, {kP1, 20}}));

  ASSERT_TRUE((*store)->Quarantine({{.event_id = event.event_id, .partition = 0, .offset = 9}}, now).ok());
  EXPECT_EQ((*store)->LoadOffsets()->at(kP0), 9) << "rewound to read the damaged event again";
  // The same offsets as before the quarantine: still written, not taken for unchanged.
  ASSERT_TRUE((*store)->Commit({}, {}, {{kP0, 11}, {kP1, 20}}).ok());
  EXPECT_EQ(*(*store)->LoadOffsets(), (NextOffsets{{kP0, 11}, {kP1, 20}}));
}


// A file store, fresh for each test, with its WAL and shared-memory files.
std::string FreshStorePath(absl::string_view name) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/store-", name, ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

// What one column of one stored row holds, read past the store.
std::string StoredColumn(const std::string& path, absl::string_view column, absl::string_view event_id) {
  sqlite3* db = nullptr;
  sqlite3_stmt* q = nullptr;
  std::string value;
  const std::string sql = absl::StrCat("SELECT ", column, " FROM events WHERE event_id = ?1");
  if (sqlite3_open(path.c_str(), &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(q, 1, event_id.data(), static_cast<int>(event_id.size()), SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
      value.assign(static_cast<const char*>(sqlite3_column_blob(q, 0)), sqlite3_column_bytes(q, 0));
    }
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  return value;
}

// The checksums of stores written before are still what the store computes: HMAC-SHA256 (or
// SHA-256 without a key) of the length-prefixed fields, worked out here with OpenSSL's one-shot
// calls, as the store did until it kept one MAC context for every row.
TEST(SqliteEventStoreTest, AnEventIsSealedWithTheSameChecksumAsStoresWrittenBefore) {
  const std::string id = std::string("police.test/MP-1/report@1\0x", 28);  // any bytes
  const std::string body("\x0a\x03" "abc\x00\xff body bytes", 18);  // a NUL and a high byte among them
  const absl::Time at = At("2026-11-27T12:00:00Z");
  const std::string canonical = absl::StrCat(id.size(), ":", id, ";", absl::ToUnixMicros(at), ";", 3, ";", 41, ";",
                                             body.size(), ":", body);
  for (const std::string& key : {std::string(32, 'k'), std::string()}) {
    const std::string path = FreshStorePath(key.empty() ? "unkeyed" : "keyed");
    {
      auto store = SqliteEventStore::Open({.path = path, .integrity_key = key});
      ASSERT_TRUE(store.ok()) << store.status();
      ASSERT_TRUE((*store)->Commit({{.event_id = id, .bytes = body, .received_at = at, .partition = 3, .offset = 41}},
                                   {}, {{kP0, 42}})
                      .ok());
    }
    unsigned char expected[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(canonical.data());
    if (key.empty()) {
      ASSERT_EQ(EVP_Digest(data, canonical.size(), expected, &len, EVP_sha256(), nullptr), 1);
    } else {
      ASSERT_NE(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data, canonical.size(), expected, &len),
                nullptr);
    }
    EXPECT_EQ(StoredColumn(path, "checksum", id), std::string(reinterpret_cast<const char*>(expected), len))
        << (key.empty() ? "unkeyed" : "keyed");
    // And it verifies on the way back in.
    auto reopened = SqliteEventStore::Open({.path = path, .integrity_key = key});
    ASSERT_TRUE(reopened.ok());
    auto replay = (*reopened)->ForEachEvent([&](absl::string_view bytes, absl::Time received) {
      EXPECT_EQ(bytes, body);
      EXPECT_EQ(received, at);
      return absl::OkStatus();
    });
    ASSERT_TRUE(replay.ok());
    EXPECT_EQ(replay->events, 1);
    EXPECT_TRUE(replay->damaged.empty());
  }
}

// Commits of `count` events of `size` bytes each, `per_commit` to a transaction.
void CommitEvents(SqliteEventStore& store, int count, int per_commit, size_t size) {
  const absl::Time now = At("2026-11-27T12:00:00Z");
  for (int i = 0; i < count; i += per_commit) {
    std::vector<StoredEvent> events;
    for (int j = i; j < std::min(count, i + per_commit); ++j) {
      events.push_back({.event_id = absl::StrCat("police.test/MP-", j, "/report@1"),
                        .bytes = std::string(size, static_cast<char>('a' + j % 26)),
                        .received_at = now,
                        .partition = 0,
                        .offset = j});
    }
    ASSERT_TRUE(store.Commit(events, {}, {{kP0, std::min(count, i + per_commit)}}).ok());
  }
}

// A commit that takes the WAL past the threshold asks the store's thread to checkpoint; the
// commit itself does not (SQLite's own automatic checkpoint did, on the ingest thread).
TEST(SqliteEventStoreTest, TheWalIsCheckpointedOffTheCommittingThread) {
  const std::string path = FreshStorePath("checkpointed");
  {
    auto store = SqliteEventStore::Open({.path = path, .checkpoint_pages = 8, .wal_limit_pages = 100000});
    ASSERT_TRUE(store.ok()) << store.status();
    CommitEvents(**store, 200, 4, 8192);
    EXPECT_TRUE(Eventually([&] { return (*store)->checkpoints().background > 0; }));
    EXPECT_EQ((*store)->checkpoints().in_commit, 0);
  }
  auto reopened = SqliteEventStore::Open({.path = path});
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->CountEvents(), 200);
  EXPECT_EQ(StoredColumn(path, "body", "police.test/MP-199/report@1"), std::string(8192, 'a' + 199 % 26));
}

// The WAL's limit: with nothing checkpointing in the background (here the threshold is the
// limit), the commit that reaches it checkpoints itself, and the WAL file never grows much past
// the limit, however much is written.
TEST(SqliteEventStoreTest, TheWalStaysWithinItsLimitWhenNothingElseCheckpointsIt) {
  const std::string path = FreshStorePath("bounded");
  constexpr int kLimit = 32;
  auto store = SqliteEventStore::Open({.path = path, .checkpoint_pages = kLimit, .wal_limit_pages = kLimit});
  ASSERT_TRUE(store.ok()) << store.status();
  CommitEvents(**store, 400, 4, 8192);  // about 900 pages in all
  const SqliteEventStore::CheckpointCounts counts = (*store)->checkpoints();
  EXPECT_GE(counts.in_commit, 10);
  EXPECT_EQ(counts.background, 0);
  // Each time was counted, and logged at the 1st, 2nd, 4th, 8th... only.
  EXPECT_GE(counts.limit_reached, counts.in_commit);
  EXPECT_EQ(counts.limit_warnings, static_cast<int64_t>(std::bit_width(static_cast<uint64_t>(counts.limit_reached))));
  // The limit, plus the commit that crossed it (four events of two or three pages each), plus
  // the b-tree pages it touched; a frame is a page and 24 bytes.
  const auto wal_bytes = std::filesystem::file_size(path + "-wal");
  EXPECT_LE(wal_bytes, (kLimit + 24) * (4096 + 24) + 32) << "the WAL grew past its limit";
  EXPECT_EQ(*(*store)->CountEvents(), 400);
}

// Refused before the file is touched.
TEST(SqliteEventStoreTest, CheckpointThresholdsOutsideTheirBoundsAreRefused) {
  const std::string path = FreshStorePath("thresholds");
  EXPECT_EQ(SqliteEventStore::Open({.path = path, .checkpoint_pages = 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SqliteEventStore::Open({.path = path, .checkpoint_pages = 100, .wal_limit_pages = 99}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace homeward::aggregator
