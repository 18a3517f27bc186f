// homeward-import killed with SIGKILL mid-file resumes on the next run with no gap, and the
// chronology holds every event once. Uses the real binary against the mock cluster.
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/kafka/kafka_consumer.h"
#include "common/kafka/mock_cluster.h"
#include "services/aggregator/aggregator.h"
#include "tests/testing/scratch.h"
#include "tests/testing/events.h"
#include "tests/testing/secure_stack.h"

extern char** environ;

namespace homeward {
namespace {

namespace fs = std::filesystem;

// Starts homeward-import with `args`, stdout and stderr to `log`. Returns the pid.
pid_t StartImport(const std::vector<std::string>& args, const std::string& log) {
  std::vector<std::string> argv = {std::string(HOMEWARD_BIN_DIR) + "/homeward-import"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  for (auto& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, raw[0], &actions, nullptr, raw.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

int64_t CheckpointedRows(const std::string& dir) {
  if (!fs::exists(dir)) return 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".checkpoint") continue;
    std::ifstream in(entry.path());
    int64_t malformed = 0, next = 0;
    if (in >> malformed >> next) return next;
  }
  return 0;
}

TEST(ImportResume, AnImportKilledMidFileResumesWithNoGapAndNoDuplicateEntry) {
  constexpr int kRows = 3000;
  auto cluster = kafka::MockCluster::Start(3, kafka::HomewardTopics());
  ASSERT_TRUE(cluster.ok());
  for (int broker = 1; broker <= 3; ++broker) rd_kafka_mock_broker_set_rtt((*cluster)->raw(), broker, 20);
  const std::string bootstrap = (*cluster)->bootstrap_servers();

  const std::string dir = testing::ScratchPath("import-resume");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string csv = dir + "/big.csv";
  {
    std::ofstream out(csv);
    out << "occurrence_ref,record_version,person_id,forename,surname,date_of_birth,sex,nhs_number,category,"
           "risk_grade,reported_at,last_seen_at,last_seen_location,regrades,found_at,found_location,found_by,"
           "prevention_interview_at,recorded_at\n";
    for (int i = 0; i < kRows; ++i) {
      out << "MP-" << i << ",1,PP-" << i % 400 << ",A,B,2011-01-01,M,,MISSING,low,2026-10-01T19:00:00Z,,,,"
          << "2026-10-01T23:00:00Z,,,,2026-10-02T08:00:00Z\n";
    }
  }
  const std::vector<std::string> args = {
      "--bootstrap_servers=" + bootstrap, "--mapping=" + std::string(HOMEWARD_SOURCE_DIR) + "/config/mappings/police-west-midlands.json",
      "--input=" + csv, "--checkpoint_dir=" + dir + "/checkpoints", "--rows_per_batch=50"};

  // First run: killed once a fifth of the file is checkpointed.
  const pid_t first = StartImport(args, dir + "/first.log");
  ASSERT_GT(first, 0);
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (CheckpointedRows(dir + "/checkpoints") < kRows / 5 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  const int64_t at_kill = CheckpointedRows(dir + "/checkpoints");
  ASSERT_GE(at_kill, kRows / 5) << "the import never got going";
  ASSERT_LT(at_kill, kRows) << "the import finished before it could be killed";
  kill(first, SIGKILL);
  int status = 0;
  waitpid(first, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  // Second run: resumes and finishes.
  const pid_t second = StartImport(args, dir + "/second.log");
  ASSERT_GT(second, 0);
  waitpid(second, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  std::ifstream log(dir + "/second.log");
  const std::string output((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  ASSERT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_THAT(output, ::testing::HasSubstr(absl::StrCat(kRows, " records read")));

  // Every record's two events are in the log; at most the batch in flight at the kill twice.
  auto consumer = kafka::KafkaConsumer::Create({.bootstrap_servers = bootstrap});
  ASSERT_TRUE(consumer.ok());
  ASSERT_TRUE((*consumer)->AssignAll({kafka::kEventsTopic}, {}, absl::Seconds(10)).ok());
  absl::flat_hash_set<std::string> keys;
  int64_t messages = 0;
  absl::Time last = absl::Now();
  while (absl::Now() - last < absl::Seconds(2)) {
    auto m = (*consumer)->Poll(absl::Milliseconds(100));
    ASSERT_TRUE(m.ok());
    if (!m->has_value()) continue;
    ++messages;
    keys.insert(absl::StrCat((*m)->key, "#", (*m)->value.size(), "#", std::hash<std::string>{}((*m)->value)));
    last = absl::Now();
  }
  EXPECT_EQ(keys.size(), 2u * kRows) << "a gap: some record's events never reached the log";
  EXPECT_LE(messages - 2 * kRows, 2 * 50) << "more than one batch was published twice";
  std::cout << "killed at row " << at_kill << "; " << messages - 2 * kRows << " event(s) re-sent on resume\n";

  // And the chronology holds each event once.
  FakeClock clock(testing::TestNow());
  auto aggregator = aggregator::Aggregator::Start(
      testing::Secure({.kafka = {.bootstrap_servers = bootstrap}, .listen_address = "127.0.0.1:0"}), clock);
  ASSERT_TRUE(aggregator.ok());
  const absl::Time wait = absl::Now() + absl::Seconds(30);
  while ((*aggregator)->stats().consumed < messages && absl::Now() < wait) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ((*aggregator)->stats().added, 2 * kRows);
  EXPECT_EQ((*aggregator)->stats().duplicates, messages - 2 * kRows);
}

}  // namespace
}  // namespace homeward
