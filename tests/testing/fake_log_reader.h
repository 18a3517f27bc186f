// File: fake_log_reader.h
//
// An in-memory LogReader: partitions of messages with a movable start (retention), so the
// ingestor's handling of gaps, seeks and stalls is tested without Kafka. As the real one, it
// never moves a partition by itself: reading below a partition's start stops that partition
// and reports it out of range until Seek().
#ifndef HOMEWARD_TESTS_TESTING_FAKE_LOG_READER_H_
#define HOMEWARD_TESTS_TESTING_FAKE_LOG_READER_H_

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/log_reader.h"

namespace homeward::testing {

class FakeLogReader final : public LogReader {
 public:
  // Appends a message to `tp`; returns its offset.
  int64_t Append(const TopicPartition& tp, std::string value, std::string key = "") {
    absl::MutexLock lock(&mu_);
    Partition& p = partitions_[tp];
    const int64_t offset = p.start + static_cast<int64_t>(p.messages.size());
    p.messages.push_back(ConsumedMessage{tp, offset, std::move(key), std::move(value)});
    return offset;
  }
  // Retention: drops every message before `offset`.
  void TrimBefore(const TopicPartition& tp, int64_t offset) {
    absl::MutexLock lock(&mu_);
    Partition& p = partitions_[tp];
    while (p.start < offset && !p.messages.empty()) {
      p.messages.erase(p.messages.begin());
      ++p.start;
    }
    p.start = std::max(p.start, offset);
  }
  void AddPartition(const TopicPartition& tp) {
    absl::MutexLock lock(&mu_);
    partitions_[tp];
  }

  absl::Status AssignAll(const std::vector<std::string>& topics, const NextOffsets& next_offsets,
                         absl::Duration) override {
    absl::MutexLock lock(&mu_);
    for (auto& [tp, p] : partitions_) {
      if (std::find(topics.begin(), topics.end(), tp.topic) == topics.end()) continue;
      const auto it = next_offsets.find(tp);
      positions_[tp] = it == next_offsets.end() ? 0 : it->second;
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::pair<int64_t, int64_t>> Watermarks(const TopicPartition& tp, absl::Duration) override {
    absl::MutexLock lock(&mu_);
    const Partition& p = partitions_[tp];
    return std::make_pair(p.start, p.start + static_cast<int64_t>(p.messages.size()));
  }
  absl::StatusOr<std::optional<ConsumedMessage>> Poll(absl::Duration) override {
    absl::MutexLock lock(&mu_);
    for (auto& [tp, next] : positions_) {
      if (stopped_.contains(tp)) continue;
      const Partition& p = partitions_[tp];
      const int64_t end = p.start + static_cast<int64_t>(p.messages.size());
      if (next < p.start || next > end) {
        stopped_.insert(tp);
        out_of_range_.push_back({tp, next});
        continue;
      }
      if (next < end) return std::optional<ConsumedMessage>(p.messages[next++ - p.start]);
    }
    return std::optional<ConsumedMessage>();
  }
  std::vector<OutOfRange> TakeOutOfRange() override {
    absl::MutexLock lock(&mu_);
    return std::exchange(out_of_range_, {});
  }
  absl::Status Seek(const TopicPartition& tp, int64_t offset) override {
    absl::MutexLock lock(&mu_);
    positions_[tp] = offset;
    stopped_.erase(tp);
    ++seeks;
    return absl::OkStatus();
  }

  // The end of every assigned partition (a fake has no fetches to wait for).
  NextOffsets LastSeenEnds() override {
    absl::MutexLock lock(&mu_);
    NextOffsets ends;
    for (const auto& [tp, next] : positions_) {
      const Partition& p = partitions_[tp];
      ends[tp] = p.start + static_cast<int64_t>(p.messages.size());
    }
    return ends;
  }

  int seeks = 0;

 private:
  struct Partition {
    int64_t start = 0;
    std::vector<ConsumedMessage> messages;
  };
  absl::Mutex mu_;
  std::map<TopicPartition, Partition> partitions_;
  std::map<TopicPartition, int64_t> positions_;
  std::set<TopicPartition> stopped_;
  std::vector<OutOfRange> out_of_range_;
};

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_FAKE_LOG_READER_H_
