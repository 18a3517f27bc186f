#include "services/aggregator/audit/retention.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/events.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::PoliceReport;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = *SqliteEventStore::Open({.path = ""}); }

  // Stores and applies an event as the ingestor would, received at `at`.
  void Receive(const Event& e, absl::Time at) {
    ASSERT_TRUE(store_->Commit({{.event_id = e.event_id, .bytes = "x", .received_at = at}}, {}, {}).ok());
    chronology_.Apply(e, at);
  }

  ChronologyStore chronology_;
  std::unique_ptr<SqliteEventStore> store_;
};

TEST_F(RetentionTest, ChildrenWithNothingReceivedForTheRetentionPeriodExpire) {
  Receive(PoliceReport("MP-1", "PP-1", At("2019-01-10T10:00:00Z")), At("2019-01-10T11:00:00Z"));
  Receive(PoliceReport("MP-2", "PP-2", At("2019-01-10T10:00:00Z")), At("2019-01-10T11:00:00Z"));
  Receive(PoliceReport("MP-3", "PP-2", At("2026-11-01T10:00:00Z")), At("2026-11-01T11:00:00Z"));  // still active
  Retention retention(chronology_, *store_, nullptr);
  EXPECT_THAT(retention.Expired(absl::Hours(24 * 365 * 6), At("2026-11-27T12:00:00Z")),
              ElementsAre("police:test-force/PP-1"));
  EXPECT_THAT(retention.Expired(absl::Hours(24 * 365 * 8), At("2026-11-27T12:00:00Z")), IsEmpty());
}

TEST_F(RetentionTest, APurgeEmptiesTheStoreAndTheChronologyOfThatChildOnly) {
  Receive(PoliceReport("MP-1", "PP-1", At("2019-01-10T10:00:00Z")), At("2019-01-10T11:00:00Z"));
  Receive(PoliceReport("MP-2", "PP-2", At("2019-01-10T10:00:00Z")), At("2019-01-10T11:00:00Z"));
  Retention retention(chronology_, *store_, nullptr);
  absl::StatusOr<PurgedChild> purged =
      retention.Purge("police:test-force/PP-1", "admin-1", "retention period ended", At("2026-11-27T12:00:00Z"));
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_THAT(purged->event_ids, ElementsAre("police.test/MP-1/report@1"));
  EXPECT_EQ(store_->CountEvents().value_or(-1), 1);
  EXPECT_THAT(store_->PurgedIds().value_or(std::vector<std::string>{}), ElementsAre("police.test/MP-1/report@1"));
  EXPECT_THAT(chronology_.Children(), ElementsAre("police:test-force/PP-2"));
  // The purged id is not stored again when Kafka redelivers it.
  ASSERT_TRUE(store_->Commit({{.event_id = "police.test/MP-1/report@1", .bytes = "x"}}, {}, {}).ok());
  EXPECT_EQ(store_->CountEvents().value_or(-1), 1);
}

}  // namespace
}  // namespace homeward::aggregator
