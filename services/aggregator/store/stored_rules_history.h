// File: stored_rules_history.h
//
// The rules history (services/aggregator/domain/rules/history.h) kept in the durable store:
// each distinct rule set this replica has run under, with when it was adopted.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_STORE_STORED_RULES_HISTORY_H_
#define HOMEWARD_SERVICES_AGGREGATOR_STORE_STORED_RULES_HISTORY_H_

#include <vector>

#include "services/aggregator/domain/rules/history.h"
#include "services/aggregator/store/event_store.h"

namespace homeward::aggregator {

class StoredRulesHistory final : public rules::RulesHistory {
 public:
  // `store` must outlive this object.
  explicit StoredRulesHistory(EventStore& store) : store_(store) {}

  absl::StatusOr<std::vector<rules::RulesRevision>> Revisions() override {
    absl::StatusOr<std::vector<StoredRulesRevision>> stored = store_.RulesRevisions();
    if (!stored.ok()) return stored.status();
    std::vector<rules::RulesRevision> out;
    for (StoredRulesRevision& r : *stored) {
      out.push_back({.revision = r.revision, .adopted_at = r.adopted_at, .source = std::move(r.source), .text = std::move(r.text)});
    }
    return out;
  }
  absl::Status Append(const rules::RulesRevision& r) override {
    return store_.AppendRulesRevision({.revision = r.revision, .adopted_at = r.adopted_at, .source = r.source, .text = r.text});
  }

 private:
  EventStore& store_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_STORE_STORED_RULES_HISTORY_H_
