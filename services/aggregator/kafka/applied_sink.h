// File: applied_sink.h
//
// Where the ingestor hands what it has durably applied (the alert coordinator). No Kafka types.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_KAFKA_APPLIED_SINK_H_
#define HOMEWARD_SERVICES_AGGREGATOR_KAFKA_APPLIED_SINK_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/domain/event.h"
#include "common/log_position.h"
#include "services/aggregator/store/event_store.h"

namespace homeward::aggregator {

class AppliedSink {
 public:
  virtual ~AppliedSink() = default;
  // Events now committed and applied to the chronology.
  virtual void OnEventsApplied(const std::vector<Event>& events) = 0;
  // A record of homeward.alerts.v1 now committed (or replayed from the store at start).
  virtual void OnAlertRecord(const StoredAlertRecord& record) = 0;
  // A gap in the log was found (or is still open at start): records are missing for good.
  virtual void OnLogGap(const LogGap& gap) {}
  // An administrator accepted a gap: its records are gone for good, and the partition goes on.
  virtual void OnLogGapAccepted(const LogGap& gap) {}
  // How many records of the events topic the aggregator has not read yet, as far as it knows
  // (after each batch, and at least every second): a sink may put off work while far behind.
  virtual void OnBacklog(int64_t unread_events) {}
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_KAFKA_APPLIED_SINK_H_
