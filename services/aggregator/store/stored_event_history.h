// File: stored_event_history.h
//
// The reports' EventHistory (services/aggregator/domain/reports/report_engine.h) read from the
// durable store: every event it holds, every revision, each checked against its checksum and
// decoded. A row that fails either is an error naming it (the report is not run on a partial
// log), never skipped.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_STORE_STORED_EVENT_HISTORY_H_
#define HOMEWARD_SERVICES_AGGREGATOR_STORE_STORED_EVENT_HISTORY_H_

#include "services/aggregator/domain/reports/report_engine.h"
#include "services/aggregator/store/event_store.h"

namespace homeward::aggregator {

class StoredEventHistory final : public reports::EventHistory {
 public:
  // `store` must outlive this object.
  explicit StoredEventHistory(EventStore& store) : store_(store) {}
  absl::Status ForEachEvent(const std::function<void(const Event&)>& visit) override;

 private:
  EventStore& store_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_STORE_STORED_EVENT_HISTORY_H_
