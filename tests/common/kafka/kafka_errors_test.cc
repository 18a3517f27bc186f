#include "common/kafka/kafka_errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace homeward::kafka {
namespace {

using ::testing::HasSubstr;

TEST(KafkaErrors, EachCodeHasOneMeaning) {
  EXPECT_EQ(Classify(RD_KAFKA_RESP_ERR_NO_ERROR), KafkaError::kNone);
  EXPECT_EQ(Classify(RD_KAFKA_RESP_ERR__TRANSPORT), KafkaError::kRetriable);
  EXPECT_EQ(Classify(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION), KafkaError::kRetriable);
  EXPECT_EQ(Classify(RD_KAFKA_RESP_ERR__PARTITION_EOF), KafkaError::kEndOfPartition);
  EXPECT_EQ(Classify(RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET), KafkaError::kOffsetOutOfRange);
  EXPECT_EQ(Classify(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE), KafkaError::kTooLarge);
  EXPECT_EQ(Classify(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED), KafkaError::kDenied);
  EXPECT_EQ(Classify(RD_KAFKA_RESP_ERR__FATAL), KafkaError::kFatal);
  // A code Homeward has no decision for is not retried as if it were transient.
  EXPECT_EQ(Classify(RD_KAFKA_RESP_ERR_INVALID_RECORD), KafkaError::kUnexpected);
  EXPECT_FALSE(IsRetriable(RD_KAFKA_RESP_ERR_INVALID_RECORD));
  EXPECT_TRUE(IsRetriable(RD_KAFKA_RESP_ERR__TIMED_OUT));
}

TEST(KafkaErrors, StatusesNameWhatFailedAndTheLibrarysError) {
  EXPECT_TRUE(ToStatus(RD_KAFKA_RESP_ERR_NO_ERROR, "produce").ok());
  const absl::Status down = ToStatus(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, "produce");
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(down.message(), HasSubstr("produce: _ALL_BROKERS_DOWN"));
  EXPECT_EQ(ToStatus(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, "produce").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ToStatus(RD_KAFKA_RESP_ERR__AUTHENTICATION, "assign").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ToStatus(RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE, "seek").code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(ToStatus(RD_KAFKA_RESP_ERR_INVALID_RECORD, "produce").code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace homeward::kafka
