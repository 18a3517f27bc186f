#include "services/aggregator/store/stored_event_history.h"

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"

namespace homeward::aggregator {

absl::Status StoredEventHistory::ForEachEvent(const std::function<void(const Event&)>& visit) {
  absl::StatusOr<ReplayReport> report = store_.ForEachEvent([&](absl::string_view bytes, absl::Time) {
    absl::StatusOr<Event> event = DecodeEvent(bytes);
    if (!event.ok()) return event.status();
    visit(*event);
    return absl::OkStatus();
  });
  if (!report.ok()) return report.status();
  if (!report->damaged.empty()) {
    const DamagedEvent& d = report->damaged.front();
    return absl::DataLossError(absl::StrCat(report->damaged.size(), " stored event(s) cannot be read (", d.event_id, ": ",
                                            d.problem, "); the report is not run on part of the log. Restart the "
                                            "aggregator to quarantine and re-read them (homeward status)"));
  }
  return absl::OkStatus();
}

}  // namespace homeward::aggregator
