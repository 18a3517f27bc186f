// File: log_position.h
//
// A position in the Kafka log, without Kafka types, so stores and domain-facing code can keep
// offsets.
#ifndef HOMEWARD_COMMON_LOG_POSITION_H_
#define HOMEWARD_COMMON_LOG_POSITION_H_

#include <compare>
#include <cstdint>
#include <map>
#include <string>

namespace homeward {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

// The next offset to read, per partition.
using NextOffsets = std::map<TopicPartition, int64_t>;

}  // namespace homeward

#endif  // HOMEWARD_COMMON_LOG_POSITION_H_
