#include "services/aggregator/audit/retention.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/domain/event_validation.h"
#include "tests/testing/events.h"
#include "tests/testing/fake_publisher.h"

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
  homeward::testing::FakePublisher log_;
};

TEST_F(RetentionTest, ChildrenWithNothingReceivedForTheRetentionPeriodExpire) {
  Receive(PoliceReport("MP-1", "PP-1", At("2019-01-10T10:00:00Z")), At("2019-01-10T11:00:00Z"));
  Receive(PoliceReport("MP-2", "PP-2", At("2019-01-10T10:00:00Z")), At("2019-01-10T11:00:00Z"));
  Receive(PoliceReport("MP-3", "PP-2", At("2026-11-01T10:00:00Z")), At("2026-11-01T11:00:00Z"));  // still active
  Retention retention(chronology_, log_, nullptr, absl::ZeroDuration());
  EXPECT_THAT(retention.Expired(absl::Hours(24 * 365 * 6), At("2026-11-27T12:00:00Z")),
              ElementsAre(ChildId("police:test-force/PP-1")));
  EXPECT_THAT(retention.Expired(absl::Hours(24 * 365 * 8), At("2026-11-27T12:00:00Z")), IsEmpty());
}

// Issue 11, point 11: a purge is published to the log as ChildPurged events naming the event
// ids, so every replica's ingestor applies the same purge (tests/services/aggregator/kafka).
TEST_F(RetentionTest, APurgeIsPublishedAsEventsNamingThatChildsRecordsOnly) {
  Receive(PoliceReport("MP-1", "PP-1", At("2019-01-10T10:00:00Z")), At("2019-01-10T11:00:00Z"));
  Receive(PoliceReport("MP-2", "PP-2", At("2019-01-10T10:00:00Z")), At("2019-01-10T11:00:00Z"));
  Retention retention(chronology_, log_, nullptr, absl::ZeroDuration());
  absl::StatusOr<PurgedChild> purged =
      retention.Purge("police:test-force/PP-1", "admin-1", "retention period ended", At("2026-11-27T12:00:00Z"));
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_THAT(purged->event_ids, ElementsAre("police.test/MP-1/report@1"));
  ASSERT_EQ(log_.accepted.size(), 1u);
  absl::StatusOr<Event> event = DecodeEvent(log_.accepted[0].value);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->agency_id, kRetentionAgency);
  const auto& p = std::get<ChildPurged>(event->payload);
  EXPECT_THAT(p.event_ids, ElementsAre("police.test/MP-1/report@1"));
  EXPECT_EQ(p.decided_by, "admin-1");
  EXPECT_EQ(p.reason, "retention period ended");
  // Nothing changes until it is applied from the log.
  EXPECT_EQ(chronology_.Children().size(), 2u);
  // The same purge published again is the same event.
  ASSERT_TRUE(retention.Purge("police:test-force/PP-1", "admin-1", "retention period ended", At("2026-11-27T13:00:00Z")).ok());
  EXPECT_EQ(DecodeEvent(log_.accepted[1].value)->event_id, event->event_id);
}

TEST_F(RetentionTest, ALargePurgeIsSeveralEventsWithinTheLimit) {
  PurgedChild plan{.child_id = ChildId("nhs:9990000018")};
  for (int i = 0; i < 1234; ++i) plan.event_ids.push_back(absl::StrCat("police.test/MP-", i, "/report@1"));
  const std::vector<Event> events = PurgeEvents(plan, "admin-1", "why", At("2026-11-27T12:00:00Z"));
  ASSERT_EQ(events.size(), 3u);
  size_t total = 0;
  for (const Event& e : events) {
    EXPECT_TRUE(ValidateEvent(e, At("2026-11-27T12:00:00Z")).ok());
    EXPECT_TRUE(CheckEventSize(EncodeEvent(e).size()).ok());
    total += std::get<ChildPurged>(e.payload).event_ids.size();
  }
  EXPECT_EQ(total, 1234u);
}

TEST(PurgedIds, HoldWhateverBytesTheIdsContain) {
  auto store = *SqliteEventStore::Open({.path = ""});
  const std::string with_nul("police.test/MP\0-1/report@1", 26);
  ASSERT_TRUE(store->Purge({with_nul}, At("2026-11-27T12:00:00Z")).ok());
  EXPECT_THAT(store->PurgedIds().value_or(std::vector<std::string>{}), ElementsAre(with_nul));
}

}  // namespace
}  // namespace homeward::aggregator
