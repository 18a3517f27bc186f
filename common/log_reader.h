// File: log_reader.h
//
// The port through which the aggregator reads the log: KafkaConsumer implements it for real,
// unit tests use tests/testing/fake_log_reader.h. No Kafka types here.
//
// The reader never moves a partition by itself. Where a partition's next offset is no longer in
// the log (retention removed records before they were read), fetching that partition stops and
// the reader reports it (TakeOutOfRange); only Seek() moves it on. So a gap in the log is always
// an explicit decision, never a silent jump (issue 11, point 1).
#ifndef HOMEWARD_COMMON_LOG_READER_H_
#define HOMEWARD_COMMON_LOG_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/log_position.h"

namespace homeward {

struct ConsumedMessage {
  TopicPartition tp;
  int64_t offset = 0;
  std::string key;
  std::string value;
};

// A partition whose next offset (`offset`) the log no longer holds.
struct OutOfRange {
  TopicPartition tp;
  int64_t offset = 0;
  bool operator==(const OutOfRange&) const = default;
};

class LogReader {
 public:
  virtual ~LogReader() = default;

  // Assigns every partition of `topics`. A partition listed in `next_offsets` starts at that
  // offset (the next one to read); any other at offset 0, the start of a complete log.
  // UNAVAILABLE if the topics' metadata cannot be had within `timeout`.
  virtual absl::Status AssignAll(const std::vector<std::string>& topics, const NextOffsets& next_offsets,
                                 absl::Duration timeout) = 0;

  // The partition's (low, high) watermarks: the first offset still held and the next to be
  // written. UNAVAILABLE if the log does not answer within `timeout`.
  virtual absl::StatusOr<std::pair<int64_t, int64_t>> Watermarks(const TopicPartition& tp, absl::Duration timeout) = 0;

  // The next message, or nullopt if none arrived within `timeout`. Recoverable errors yield
  // nullopt; a fatal client error returns INTERNAL.
  virtual absl::StatusOr<std::optional<ConsumedMessage>> Poll(absl::Duration timeout) = 0;

  // Partitions that stopped since the last call because their next offset is out of range.
  virtual std::vector<OutOfRange> TakeOutOfRange() = 0;

  // Moves `tp` to `offset` and resumes fetching it.
  virtual absl::Status Seek(const TopicPartition& tp, int64_t offset) = 0;

  // Each assigned partition's high watermark (the next offset to be written) as the reader last
  // saw it in a fetch, without asking the log; partitions not fetched yet are absent. For
  // monitoring lag. By default nothing is known.
  virtual NextOffsets LastSeenEnds() { return {}; }
};

}  // namespace homeward

#endif  // HOMEWARD_COMMON_LOG_READER_H_
