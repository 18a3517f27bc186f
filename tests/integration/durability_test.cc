// The aggregator's durability and convergence, against the mock cluster:
//  - the real homeward-aggregator killed with SIGKILL ten times while events stream in loses
//    nothing and holds nothing twice;
//  - a fresh aggregator with an empty store rebuilds the same state from the log;
//  - two replicas reading the same topics, events arriving out of order, converge.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <gmock/gmock.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/codec/event_codec.h"
#include "common/kafka/kafka_producer.h"
#include "common/kafka/mock_cluster.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/store/event_store.h"
#include "tests/testing/scratch.h"
#include "tests/testing/chronology_snapshot.h"
#include "tests/testing/events.h"
#include "tests/testing/eventually.h"
#include "tests/testing/kafka_harness.h"
#include "tests/testing/secure_stack.h"

extern char** environ;

namespace homeward {
namespace {

using ::homeward::testing::Eventually;
namespace fs = std::filesystem;
using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::PoliceChild;

// Event i: child i % children; reports, re-grades, finds, and some amendments (revision 2).
Event Numbered(int i, int children) {
  const std::string child = absl::StrCat("PP-", i % children);
  const absl::Time at = At("2026-01-01T00:00:00Z") + absl::Minutes(37 * i);
  const std::string record = absl::StrCat("MP-", i / 3);
  switch (i % 3) {
    case 0:
      return MakeEvent("police.west-midlands", record, "report", 1, PoliceChild(child), at,
                       MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kLow});
    case 1:
      return MakeEvent("police.west-midlands", record, "regrade-1", 1, PoliceChild(child), at,
                       RiskRegraded{.from_grade = RiskGrade::kLow, .to_grade = RiskGrade::kMedium});
    default:
      return MakeEvent("police.west-midlands", record, "found", 1 + (i % 7 == 0), PoliceChild(child), at, FoundReturned{});
  }
}

// How many times the aggregators writing `log` have logged that they serve (once a start).
int Starts(const std::string& log) {
  std::ifstream in(log);
  int starts = 0;
  for (std::string line; std::getline(in, line);) starts += line.find("serving gRPC") != std::string::npos;
  return starts;
}

std::vector<std::string> Children(int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back(absl::StrCat("police:test-force/PP-", i));
  return ids;
}

class DurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(kafka_.Start(3).ok());
    dir_ = testing::ScratchPath("durability");
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Publish(const std::vector<Event>& events) { ASSERT_TRUE(kafka_.Publish(events).ok()); }

  std::unique_ptr<aggregator::Aggregator> StartAggregator(const std::string& state) {
    auto a = aggregator::Aggregator::Start(
        testing::Secure({.kafka = kafka_.config(), .store = {.path = state}, .listen_address = "127.0.0.1:0"}), clock_);
    EXPECT_TRUE(a.ok()) << a.status();
    return a.ok() ? *std::move(a) : nullptr;
  }

  FakeClock clock_{testing::TestNow()};
  testing::KafkaHarness kafka_;
  std::string dir_;
};

TEST_F(DurabilityTest, KilledTenTimesUnderLoadItLosesNothingAndHoldsNothingTwice) {
  constexpr int kEvents = 12000, kChildren = 300;
  const std::string state = dir_ + "/aggregator.db";
  std::atomic<bool> publishing = true;
  std::thread producer([&] {  // ~2,000 events/s while the aggregator is being killed
    for (int start = 0; start < kEvents; start += 200) {
      std::vector<Event> batch;
      for (int i = start; i < start + 200; ++i) batch.push_back(Numbered(i, kChildren));
      Publish(batch);
      absl::SleepFor(absl::Milliseconds(100));
    }
    publishing = false;
  });
  absl::Cleanup join_producer = [&] { producer.join(); };  // on every path, failed assertions included

  std::mt19937 rng(7);
  std::vector<int64_t> stored_at_kill;
  for (int round = 0; round < 10; ++round) {
    std::vector<std::string> args = {std::string(HOMEWARD_BIN_DIR) + "/homeward-aggregator",
                                     "--bootstrap_servers=" + kafka_.config().bootstrap_servers, "--state=" + state,
                                     "--listen=127.0.0.1:0",
                                     "--rules=" + std::string(HOMEWARD_SOURCE_DIR) + "/config/rules.json",
                                     "--tls_dir=" + testing::Pki().dir,
                                     "--access=" + std::string(HOMEWARD_SOURCE_DIR) + "/config/access.json"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = dir_ + "/aggregator.log";
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    // Killed while it ingests: once it serves, at a random moment in the next 300-900 ms. (The
    // window used to start at the spawn; a start replays the store and evaluates every child,
    // and once the log held every event a loaded machine's starts outlasted the window, so no
    // round after the first got to ingest anything.)
    const bool started = Eventually([&] { return Starts(log) > round; }, absl::Seconds(30));
    absl::SleepFor(absl::Milliseconds(std::uniform_int_distribution<int>(300, 900)(rng)));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the aggregator exited by itself; see " << log;
    ASSERT_TRUE(started) << "the aggregator did not start serving within 30 s; see " << log;
    auto store = aggregator::SqliteEventStore::Open({.path = state});
    ASSERT_TRUE(store.ok());
    stored_at_kill.push_back(*(*store)->CountEvents());
  }
  std::move(join_producer).Invoke();
  EXPECT_GT(stored_at_kill.back(), stored_at_kill.front()) << "the kills never let it make progress";

  // Restarted once more, it catches up from its store and the log.
  std::unique_ptr<aggregator::Aggregator> a = StartAggregator(state);
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(Eventually([&] { return a->chronology().event_count() == kEvents; }, absl::Seconds(60)))
      << a->chronology().event_count() << " of " << kEvents;
  int64_t entries = 0;
  for (const std::string& child : Children(kChildren)) {
    auto page = a->chronology().Query({.child = child, .page_size = 1000});
    ASSERT_TRUE(page.ok());
    entries += page->total_entries;
  }
  EXPECT_EQ(entries, kEvents);  // each event once: none lost, none twice
  auto store = aggregator::SqliteEventStore::Open({.path = state});
  EXPECT_EQ(*(*store)->CountEvents(), kEvents);
  std::cout << "events stored at each kill: " << absl::StrJoin(stored_at_kill, ", ") << "\n";
}

TEST_F(DurabilityTest, BrokersDownAndFailingFetchesUnderLoadLoseNothingAndDuplicateNothing) {
  constexpr int kEvents = 6000, kChildren = 200;
  std::unique_ptr<aggregator::Aggregator> aggregator = StartAggregator(dir_ + "/faults.db");
  std::thread producer([&] {  // ~2,000 events/s through the faults below
    for (int start = 0; start < kEvents; start += 200) {
      std::vector<Event> batch;
      for (int i = start; i < start + 200; ++i) batch.push_back(Numbered(i, kChildren));
      Publish(batch);
      absl::SleepFor(absl::Milliseconds(100));
    }
  });
  absl::Cleanup join_producer = [&] { producer.join(); };
  rd_kafka_mock_cluster_t* cluster = kafka_.cluster().raw();
  absl::SleepFor(absl::Milliseconds(500));
  // Fetches fail in every way a broker can fail them, while producing goes on.
  rd_kafka_mock_push_request_errors(cluster, /*ApiKey Fetch=*/1, 6, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
                                    RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
                                    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  absl::SleepFor(absl::Milliseconds(700));
  // Then every broker goes away for two seconds, and comes back.
  for (int broker = 1; broker <= 3; ++broker) rd_kafka_mock_broker_set_down(cluster, broker);
  absl::SleepFor(absl::Seconds(2));
  for (int broker = 1; broker <= 3; ++broker) rd_kafka_mock_broker_set_up(cluster, broker);
  std::move(join_producer).Invoke();

  ASSERT_TRUE(Eventually([&] { return aggregator->chronology().event_count() == kEvents; }, absl::Seconds(60)))
      << aggregator->chronology().event_count() << " of " << kEvents;
  absl::SleepFor(absl::Milliseconds(500));  // a duplicate would have arrived by now
  EXPECT_EQ(aggregator->chronology().event_count(), static_cast<size_t>(kEvents));
  EXPECT_EQ(aggregator->stats().dead_lettered, 0);
  // Each event is once in the chronology (redeliveries were recognised), and once in the store.
  size_t entries = 0;
  for (const std::string& child : Children(kChildren)) {
    auto page = aggregator->chronology().Query({.child = child, .page_size = 1000});
    ASSERT_TRUE(page.ok()) << page.status();
    entries += page->entries.size();
    for (const auto& e : page->entries) entries += e.superseded_event_ids.size();
  }
  EXPECT_EQ(entries, static_cast<size_t>(kEvents));
  aggregator->Shutdown();
  auto store = aggregator::SqliteEventStore::Open({.path = dir_ + "/faults.db"});
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->CountEvents().value_or(-1), kEvents);
}

TEST_F(DurabilityTest, AFreshAggregatorRebuildsTheSameStateFromTheLog) {
  constexpr int kEvents = 3000, kChildren = 100;
  std::vector<Event> events;
  for (int i = 0; i < kEvents; ++i) events.push_back(Numbered(i, kChildren));
  Publish(events);
  std::unique_ptr<aggregator::Aggregator> durable = StartAggregator(dir_ + "/durable.db");
  ASSERT_TRUE(Eventually([&] { return durable->chronology().event_count() == kEvents; }));
  const std::string before = testing::Snapshot(durable->chronology(), Children(kChildren));
  durable->Shutdown();
  durable.reset();

  std::unique_ptr<aggregator::Aggregator> restarted = StartAggregator(dir_ + "/durable.db");
  EXPECT_EQ(restarted->stats().replayed, kEvents);  // from its store, before reading Kafka
  EXPECT_EQ(testing::Snapshot(restarted->chronology(), Children(kChildren)), before);

  std::unique_ptr<aggregator::Aggregator> rebuilt = StartAggregator("");  // empty store
  ASSERT_TRUE(Eventually([&] { return rebuilt->chronology().event_count() == kEvents; }));
  EXPECT_EQ(testing::Snapshot(rebuilt->chronology(), Children(kChildren)), before);
}

TEST_F(DurabilityTest, ReplicasConvergeWhateverTheInterleaving) {
  constexpr int kEvents = 3000, kChildren = 60;
  std::vector<Event> events;
  for (int i = 0; i < kEvents; ++i) events.push_back(Numbered(i, kChildren));
  // Identity decisions and late, out-of-order arrivals across partitions.
  events.push_back(MakeEvent(kIdentityAgency, "D-1", "decision", 1, {}, At("2026-06-01T00:00:00Z"),
                             IdentityDecision{.identifier_a = "police:test-force/PP-1",
                                              .identifier_b = "police:test-force/PP-2", .link = true, .decided_by = "u"}));
  std::shuffle(events.begin(), events.end(), std::mt19937(11));
  std::unique_ptr<aggregator::Aggregator> one = StartAggregator("");
  std::unique_ptr<aggregator::Aggregator> two = StartAggregator(dir_ + "/two.db");
  for (size_t start = 0; start < events.size(); start += 250) {  // while both are reading
    Publish(std::vector<Event>(events.begin() + start, events.begin() + std::min(events.size(), start + 250)));
  }
  ASSERT_TRUE(Eventually([&] {
    return one->chronology().event_count() == events.size() && two->chronology().event_count() == events.size();
  }));
  const std::string a = testing::Snapshot(one->chronology(), Children(kChildren));
  EXPECT_EQ(a, testing::Snapshot(two->chronology(), Children(kChildren)));
  EXPECT_THAT(a, ::testing::HasSubstr("police:test-force/PP-1 [police:test-force/PP-1,police:test-force/PP-2]"));
}

}  // namespace
}  // namespace homeward
