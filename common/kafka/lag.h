// File: lag.h
//
// Producers' backpressure by the readers' position (issue 11, point 1b). The embedded Kafka
// (librdkafka's mock cluster) keeps only about 5 MiB per partition and drops older records
// silently; a real Kafka keeps what its retention says. Either way a producer that runs ahead
// of the aggregator by more than the log keeps loses records, so producers that may outrun it
// (homeward-import, homeward-ingest) wait while any partition holds more unread bytes than a
// budget, by the readers' own published positions.
//
// Each aggregator publishes its position (next offset per partition) to homeward.positions.v1,
// keyed by its replica id, a few times a second. Producers read the newest position of each
// reader they wait for and the partitions' high watermarks, and estimate the unread bytes of a
// partition as (high - next) x the average size of a message.
//
// Pure: no Kafka types; common/kafka/lag_guard.h reads Kafka for it.
#ifndef HOMEWARD_COMMON_KAFKA_LAG_H_
#define HOMEWARD_COMMON_KAFKA_LAG_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/log_position.h"

namespace homeward::kafka {

// One reader's position as published.
struct ReaderPosition {
  std::string reader;  // "aggregator", or a replica id
  absl::Time at;
  NextOffsets next;
};

std::string EncodePosition(const ReaderPosition& position);
absl::StatusOr<ReaderPosition> DecodePosition(absl::string_view json);

struct LagBudget {
  // Unread bytes a partition may hold for any reader (0: no limit).
  int64_t max_unread_bytes = 2 * 1024 * 1024;
  // The readers to wait for: those whose falling behind loses records.
  std::vector<std::string> readers = {"aggregator"};
};

struct LagVerdict {
  bool room = true;
  std::string worst;  // the partition and reader furthest behind, for people
  int64_t worst_unread_bytes = 0;
};

// Whether producers may go on: for every expected reader and every partition of `high` (next
// offset to be written), (high - the reader's next offset) x `average_message_bytes` must be
// within the budget. A reader with no published position is at offset 0 (it has read nothing
// that anyone can tell).
LagVerdict JudgeLag(const NextOffsets& high, const std::map<std::string, ReaderPosition>& positions,
                    double average_message_bytes, const LagBudget& budget);

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_KAFKA_LAG_H_
