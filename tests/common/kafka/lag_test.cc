#include "common/kafka/lag.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace homeward::kafka {
namespace {

using ::testing::HasSubstr;

const TopicPartition kP0{"homeward.events.v1", 0};
const TopicPartition kP1{"homeward.events.v1", 1};

TEST(Lag, ProducersWaitWhileAnyPartitionHoldsTooMuchUnread) {
  const LagBudget budget{.max_unread_bytes = 1000, .readers = {"aggregator"}};
  std::map<std::string, ReaderPosition> at{{"aggregator", {.reader = "aggregator", .next = {{kP0, 90}, {kP1, 95}}}}};
  EXPECT_TRUE(JudgeLag({{kP0, 100}, {kP1, 100}}, at, 100, budget).room);  // 10 x 100 B behind at most
  const LagVerdict behind = JudgeLag({{kP0, 100}, {kP1, 120}}, at, 100, budget);
  EXPECT_FALSE(behind.room);
  EXPECT_EQ(behind.worst_unread_bytes, 2500);
  EXPECT_THAT(behind.worst, HasSubstr("aggregator is 25 records"));
  EXPECT_THAT(behind.worst, HasSubstr("homeward.events.v1/1"));
}

TEST(Lag, AReaderThatHasPublishedNothingHasReadNothing) {
  const LagBudget budget{.max_unread_bytes = 1000, .readers = {"aggregator"}};
  const LagVerdict v = JudgeLag({{kP0, 50}}, {}, 100, budget);
  EXPECT_FALSE(v.room);
  EXPECT_THAT(v.worst, HasSubstr("published no position"));
  EXPECT_TRUE(JudgeLag({{kP0, 5}}, {}, 100, budget).room);
}

TEST(Lag, ABudgetOfZeroNeverWaits) {
  EXPECT_TRUE(JudgeLag({{kP0, 1'000'000}}, {}, 1000, {.max_unread_bytes = 0}).room);
}

TEST(Lag, PositionsRoundTrip) {
  const ReaderPosition p{.reader = "replica-2", .at = absl::FromUnixMicros(1795000000000000), .next = {{kP0, 7}, {kP1, 9}}};
  absl::StatusOr<ReaderPosition> back = DecodePosition(EncodePosition(p));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->reader, "replica-2");
  EXPECT_EQ(back->at, p.at);
  EXPECT_EQ(back->next, p.next);
  EXPECT_FALSE(DecodePosition("{\"reader\": 1}").ok());
}

}  // namespace
}  // namespace homeward::kafka
