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

const std::string kKey(32, 'k');

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
    auto log = AccessLog::Open(path_, false, kKey);
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
  ChainCheck Check(const std::vector<Anchor>& anchors = {}) {
    absl::StatusOr<ChainCheck> check = log_->Verify(anchors);
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
  // The edited entry's seal no longer verifies, and the next one no longer follows it.
  ASSERT_EQ(check.breaks.size(), 2u);
  EXPECT_EQ(check.breaks[0].seq, 3);
  EXPECT_THAT(check.breaks[0].problem, HasSubstr("seal"));
  EXPECT_EQ(check.breaks[1].seq, 4);
  EXPECT_THAT(check.breaks[1].problem, HasSubstr("predecessor"));
}

// Issue 11, point 14: the chain recomputed from the edit onwards passes every hash and link
// check; only the seals (keyed, the key outside the file) show it.
TEST_F(AccessLogTest, ARewrittenAndReHashedChainIsFoundByItsSeals) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(log_->Append(Read("cw-1", "nhs:1", i)).ok());
  std::vector<AccessEntry> all = *log_->Query({.limit = 10});
  std::string sql;
  std::string prev = all[1].hash;
  for (size_t i = 2; i < all.size(); ++i) {
    if (i == 2) all[i].purpose = "curiosity";
    all[i].prev_hash = prev;
    all[i].hash = AccessEntryHash(all[i]);
    prev = all[i].hash;
    sql += "UPDATE access_log SET purpose = '" + all[i].purpose + "', prev_hash = '" + all[i].prev_hash +
           "', hash = '" + all[i].hash + "' WHERE seq = " + std::to_string(all[i].seq) + ";";
  }
  Sql(sql);
  ChainCheck check = Check();
  EXPECT_FALSE(check.intact);
  ASSERT_EQ(check.breaks.size(), 3u);  // every re-hashed entry, not only the first
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(check.breaks[i].seq, static_cast<int64_t>(3 + i));
    EXPECT_THAT(check.breaks[i].problem, HasSubstr("seal"));
  }
}

TEST_F(AccessLogTest, EveryBreakIsReportedNotOnlyTheFirst) {
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(log_->Append(Read("cw-1", "nhs:1", i)).ok());
  Sql("UPDATE access_log SET detail = 'x' WHERE seq = 2; UPDATE access_log SET detail = 'y' WHERE seq = 5;");
  ChainCheck check = Check();
  ASSERT_EQ(check.breaks.size(), 2u);
  EXPECT_EQ(check.breaks[0].seq, 2);
  EXPECT_EQ(check.breaks[1].seq, 5);
}

// Issue 11, point 14: the tail cut while the hub is down leaves a perfect chain; the anchor
// published before shows what is missing.
TEST_F(AccessLogTest, ATailCutWhileTheHubIsDownIsFoundByTheAnchor) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(log_->Append(Read("cw-1", "nhs:1", i)).ok());
  const Anchor anchor = log_->Head();
  EXPECT_EQ(anchor.seq, 5);
  EXPECT_TRUE(log_->AnchorSealed(anchor));
  Sql("DELETE FROM access_log WHERE seq >= 4");
  EXPECT_TRUE(Check().intact);  // without the anchor nothing shows
  ChainCheck check = Check({anchor});
  EXPECT_FALSE(check.intact);
  EXPECT_EQ(check.anchors_checked, 1);
  EXPECT_EQ(check.first_bad_seq, 4);
  EXPECT_THAT(check.problem, HasSubstr("4..5 are missing"));
}

TEST_F(AccessLogTest, AForgedAnchorIsReportedAndVouchesForNothing) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(log_->Append(Read("cw-1", "nhs:1", i)).ok());
  Anchor forged = log_->Head();
  forged.seq = 9;  // claims more entries than there are, without the key to seal it
  ChainCheck check = Check({forged, log_->Head()});
  EXPECT_FALSE(check.intact);
  EXPECT_THAT(check.problem, HasSubstr("not sealed with this hub's key"));
  EXPECT_EQ(check.anchored_seq, 3);
  EXPECT_TRUE(Check({log_->Head()}).intact);
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
