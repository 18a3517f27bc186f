#include "services/ingest/domain/push_acceptance.h"

#include "absl/strings/str_cat.h"
#include "common/domain/event_validation.h"

namespace homeward::ingest {

absl::Status CheckPushedEvent(const Event& event, absl::string_view caller_agency, absl::Time now) {
  if (event.agency_id != caller_agency) {
    return absl::PermissionDeniedError(absl::StrCat("caller is agency '", caller_agency,
                                                    "' but the event claims to be from '", event.agency_id, "'"));
  }
  return ValidateEvent(event, now);
}

absl::Status PushAcceptance::Check(const Event& event, absl::string_view caller_agency, absl::Time now) {
  if (absl::Status s = CheckPushedEvent(event, caller_agency, now); !s.ok()) return s;
  if (absl::Status s = registry_.CheckEvent(event); !s.ok()) return s;
  const std::string record = absl::StrCat(event.agency_id, "\x1f", event.source_record);
  absl::MutexLock lock(&mu_);
  if (std::holds_alternative<FoundReturned>(event.payload)) {
    if (const auto it = report_starts_.find(record); it != report_starts_.end()) {
      return CheckReturnAfterReport(event, it->second);
    }
  } else if (std::holds_alternative<MissingReported>(event.payload)) {
    if (report_starts_.insert_or_assign(record, event.occurred_at).second) {
      order_.push_back(record);
      if (order_.size() > capacity_) {
        report_starts_.erase(order_.front());
        order_.pop_front();
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace homeward::ingest
