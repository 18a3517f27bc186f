// File: fake_event_store.h
//
// An EventStore in memory, for unit tests of the ingestor and the services without SQLite, with
// the faults the real one can have: commits that fail (disk full, locked) and stored events that
// no longer verify (damaged on disk). Same contract as SqliteEventStore (event_store.h).
#ifndef HOMEWARD_TESTS_TESTING_FAKE_EVENT_STORE_H_
#define HOMEWARD_TESTS_TESTING_FAKE_EVENT_STORE_H_

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/topics.h"
#include "services/aggregator/store/event_store.h"

namespace homeward::testing {

class FakeEventStore final : public aggregator::EventStore {
 public:
  // The next `n` commits fail with UNAVAILABLE and change nothing.
  void FailCommits(int n) {
    absl::MutexLock lock(&mu_);
    failing_commits_ = n;
  }
  // The stored event no longer verifies: replay reports it damaged instead of visiting it.
  void Damage(const std::string& event_id) {
    absl::MutexLock lock(&mu_);
    damaged_.insert(event_id);
  }
  int commits() {
    absl::MutexLock lock(&mu_);
    return commits_;
  }
  std::vector<std::string> quarantined() {
    absl::MutexLock lock(&mu_);
    return quarantined_;
  }

  absl::Status Commit(const std::vector<aggregator::StoredEvent>& events,
                      const std::vector<aggregator::StoredAlertRecord>& alert_records, const NextOffsets& offsets,
                      const std::vector<std::string>& purged_ids = {},
                      absl::Time purged_at = absl::UnixEpoch()) override {
    absl::MutexLock lock(&mu_);
    if (failing_commits_ > 0) {
      --failing_commits_;
      return absl::UnavailableError("injected: the store did not take the batch");
    }
    ++commits_;
    for (const aggregator::StoredEvent& e : events) {
      if (!purged_.contains(e.event_id)) events_.try_emplace(e.event_id, e);
    }
    for (const aggregator::StoredAlertRecord& r : alert_records) alerts_[{r.epoch, r.partition, r.offset}] = r;
    PurgeLocked(purged_ids);
    for (const auto& [tp, next] : offsets) offsets_[tp] = next;
    return absl::OkStatus();
  }
  absl::Status Purge(const std::vector<std::string>& event_ids, absl::Time) override {
    absl::MutexLock lock(&mu_);
    PurgeLocked(event_ids);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<std::string>> PurgedIds() override {
    absl::MutexLock lock(&mu_);
    return std::vector<std::string>(purged_.begin(), purged_.end());
  }
  absl::StatusOr<NextOffsets> LoadOffsets() override {
    absl::MutexLock lock(&mu_);
    return offsets_;
  }
  absl::StatusOr<aggregator::ReplayReport> ForEachEvent(
      const std::function<absl::Status(absl::string_view bytes, absl::Time received_at)>& visit) override {
    std::vector<aggregator::StoredEvent> events;
    std::set<std::string> damaged;
    {
      absl::MutexLock lock(&mu_);
      for (const auto& [id, e] : events_) events.push_back(e);
      damaged = damaged_;
    }
    aggregator::ReplayReport report;
    for (const aggregator::StoredEvent& e : events) {
      if (damaged.contains(e.event_id)) {
        report.damaged.push_back({e.event_id, e.partition, e.offset, "checksum does not match (injected)"});
        continue;
      }
      if (absl::Status s = visit(e.bytes, e.received_at); !s.ok()) {
        report.damaged.push_back({e.event_id, e.partition, e.offset, s.ToString()});
        continue;
      }
      ++report.events;
    }
    return report;
  }
  absl::Status Quarantine(const std::vector<aggregator::DamagedEvent>& damaged, absl::Time) override {
    absl::MutexLock lock(&mu_);
    for (const aggregator::DamagedEvent& d : damaged) {
      events_.erase(d.event_id);
      damaged_.erase(d.event_id);
      quarantined_.push_back(d.event_id);
      if (d.partition < 0) continue;
      const TopicPartition tp{kafka::kEventsTopic, d.partition};
      const auto it = offsets_.find(tp);
      offsets_[tp] = it == offsets_.end() ? d.offset : std::min(it->second, d.offset);
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<std::string>> Body(const std::string& event_id) override {
    absl::MutexLock lock(&mu_);
    const auto it = events_.find(event_id);
    if (it == events_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second.bytes);
  }
  absl::StatusOr<int64_t> CountEvents() override {
    absl::MutexLock lock(&mu_);
    return static_cast<int64_t>(events_.size());
  }
  absl::Status ForEachAlertRecord(const std::function<void(const aggregator::StoredAlertRecord&)>& visit) override {
    std::vector<aggregator::StoredAlertRecord> records;
    {
      absl::MutexLock lock(&mu_);
      for (const auto& [position, r] : alerts_) records.push_back(r);
    }
    for (const aggregator::StoredAlertRecord& r : records) visit(r);
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AlertsEpoch() override {
    absl::MutexLock lock(&mu_);
    return alerts_epoch_;
  }
  absl::StatusOr<int64_t> BeginAlertsEpoch() override {
    absl::MutexLock lock(&mu_);
    return ++alerts_epoch_;
  }
  absl::Status RecordGap(const aggregator::LogGap& gap) override {
    absl::MutexLock lock(&mu_);
    for (const aggregator::LogGap& g : gaps_) {
      if (g.tp == gap.tp && g.from == gap.from) return absl::OkStatus();
    }
    gaps_.push_back(gap);
    return absl::OkStatus();
  }
  absl::Status AcceptGap(const TopicPartition& tp, int64_t from, const std::string& by, absl::Time at) override {
    absl::MutexLock lock(&mu_);
    for (aggregator::LogGap& g : gaps_) {
      if (g.tp != tp || g.from != from) continue;
      g.accepted_at = at;
      g.accepted_by = by;
      return absl::OkStatus();
    }
    return absl::NotFoundError(absl::StrCat("no gap in ", tp.topic, "/", tp.partition, " from ", from));
  }
  absl::StatusOr<std::vector<aggregator::LogGap>> Gaps() override {
    absl::MutexLock lock(&mu_);
    return gaps_;
  }
  absl::StatusOr<std::vector<aggregator::StoredRulesRevision>> RulesRevisions() override {
    absl::MutexLock lock(&mu_);
    return revisions_;
  }
  absl::Status AppendRulesRevision(const aggregator::StoredRulesRevision& revision) override {
    absl::MutexLock lock(&mu_);
    for (const aggregator::StoredRulesRevision& r : revisions_) {
      if (r.revision == revision.revision) {
        return absl::AlreadyExistsError(absl::StrCat("rules revision ", revision.revision, " is already held"));
      }
    }
    revisions_.push_back(revision);
    return absl::OkStatus();
  }

 private:
  void PurgeLocked(const std::vector<std::string>& event_ids) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (const std::string& id : event_ids) {
      events_.erase(id);
      purged_.insert(id);
    }
  }

  absl::Mutex mu_;
  std::map<std::string, aggregator::StoredEvent> events_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> purged_ ABSL_GUARDED_BY(mu_);
  std::map<std::tuple<int64_t, int32_t, int64_t>, aggregator::StoredAlertRecord> alerts_ ABSL_GUARDED_BY(mu_);
  NextOffsets offsets_ ABSL_GUARDED_BY(mu_);
  std::vector<aggregator::LogGap> gaps_ ABSL_GUARDED_BY(mu_);
  std::vector<aggregator::StoredRulesRevision> revisions_ ABSL_GUARDED_BY(mu_);
  int64_t alerts_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  std::set<std::string> damaged_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> quarantined_ ABSL_GUARDED_BY(mu_);
  int failing_commits_ ABSL_GUARDED_BY(mu_) = 0;
  int commits_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_FAKE_EVENT_STORE_H_
