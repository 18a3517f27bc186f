#include "services/aggregator/audit/access_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

namespace homeward::aggregator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

AccessEntry Read(const std::string& who, const std::string& child, int minute) {
  return {.at = absl::FromUnixSeconds(1795000000 + 60 * minute),
          .subject = who,
          .role = "coordinator",
          .action = "read-child",
          .method = "GetChronology",
          .child_id = child,
          .detail = "3 of 3 entries",
          .purpose = "strategy meeting prep",
          .lawful_basis = "dpa2018-sch1-para18",
          .outcome = "OK"};
}

class AccessLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/access-log-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() +
            ".db";
    std::filesystem::remove(path_);
    Reopen();
  }
  void Reopen() {
    log_.reset();
    auto log = AccessLog::Open(path_);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
  }
  void Sql(const std::string& sql) {
    log_.reset();  // as someone editing the file while the hub is down
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
    Reopen();
  }
  ChainCheck Check() {
    absl::StatusOr<ChainCheck> check = log_->Verify();
    EXPECT_TRUE(check.ok()) << check.status();
    return check.value_or(ChainCheck{});
  }

  std::string path_;
  std::unique_ptr<AccessLog> log_;
};

TEST_F(AccessLogTest, EntriesChainAcrossReopening) {
  auto first = log_->Append(Read("cw-1", "nhs:1", 0));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->seq, 1);
  EXPECT_EQ(first->prev_hash, std::string(64, '0'));
  EXPECT_EQ(first->hash, AccessEntryHash(*first));
  Reopen();
  auto second = log_->Append(Read("cw-2", "nhs:2", 1));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->seq, 2);
  EXPECT_EQ(second->prev_hash, first->hash);
  const ChainCheck check = Check();
  EXPECT_TRUE(check.intact) << check.problem;
  EXPECT_EQ(check.entries, 2);
  EXPECT_EQ(check.head_hash, second->hash);
}

TEST_F(AccessLogTest, QueriesByChildSubjectAndTime) {
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(log_->Append(Read(i % 2 ? "cw-1" : "cw-2", i < 3 ? "nhs:1" : "nhs:2", i)).ok());
  const auto seqs = [&](const AccessQuery& q) {
    std::vector<int64_t> out;
    const absl::StatusOr<std::vector<AccessEntry>> found = log_->Query(q);
    EXPECT_TRUE(found.ok()) << found.status();
    for (const AccessEntry& e : found.value_or(std::vector<AccessEntry>{})) out.push_back(e.seq);
    return out;
  };
  EXPECT_THAT(seqs({.child_ids = {"nhs:1"}}), ElementsAre(1, 2, 3));
  EXPECT_THAT(seqs({.child_ids = {"nhs:1", "nhs:2"}, .subject = "cw-1"}), ElementsAre(2, 4, 6));
  EXPECT_THAT(seqs({.from = absl::FromUnixSeconds(1795000000 + 120), .to = absl::FromUnixSeconds(1795000000 + 240)}),
              ElementsAre(3, 4, 5));
  EXPECT_THAT(seqs({.after_seq = 4, .limit = 1}), ElementsAre(5));
  const AccessEntry e = (*log_->Query({.after_seq = 0, .limit = 1}))[0];
  EXPECT_EQ(e.purpose, "strategy meeting prep");
  EXPECT_EQ(e.lawful_basis, "dpa2018-sch1-para18");
  EXPECT_EQ(e.at, absl::FromUnixSeconds(1795000000));
}

TEST_F(AccessLogTest, AnAlteredEntryIsFoundWhereItWasAltered) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(log_->Append(Read("cw-1", "nhs:1", i)).ok());
  Sql("UPDATE access_log SET purpose = 'curiosity' WHERE seq = 3");
  ChainCheck check = Check();
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad_seq, 3);
  EXPECT_THAT(check.problem, HasSubstr("altered"));
}

TEST_F(AccessLogTest, AnAlteredEntryWithARecomputedHashBreaksTheNextLink) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(log_->Append(Read("cw-1", "nhs:1", i)).ok());
  AccessEntry forged = (*log_->Query({.after_seq = 2, .limit = 1}))[0];
  forged.subject = "nobody";
  Sql("UPDATE access_log SET subject = 'nobody', hash = '" + AccessEntryHash(forged) + "' WHERE seq = 3");
  ChainCheck check = Check();
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad_seq, 4);
  EXPECT_THAT(check.problem, HasSubstr("predecessor"));
}

TEST_F(AccessLogTest, ADeletedEntryIsAGap) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(log_->Append(Read("cw-1", "nhs:1", i)).ok());
  Sql("DELETE FROM access_log WHERE seq = 2");
  ChainCheck check = Check();
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad_seq, 2);
  EXPECT_THAT(check.problem, HasSubstr("missing"));
}

TEST_F(AccessLogTest, EntriesCutOffTheEndWhileRunningAreNoticed) {
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(log_->Append(Read("cw-1", "nhs:1", i)).ok());
  // Another connection truncates the file under the running log.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM access_log WHERE seq >= 3", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  ChainCheck check = Check();
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.first_bad_seq, 3);
}

}  // namespace
}  // namespace homeward::aggregator
