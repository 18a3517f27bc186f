// File: progress_reporter.h
//
// How a long import shows its progress (fed by PublishExport's `on_progress`):
//  - on a terminal, one line redrawn in place (at most ten times a second):
//      [#########-----------]  45,200/301,000 rows  2,310 rows/s  ETA 1m 51s
//  - otherwise (a log file, a pipe), a line at most every `every` (10 s) and one at the end,
//    never one per batch:
//      export.csv: 45,200 of 301,000 records done (15%), 2,310 records/s, about 1m 51s left
// Waiting is always reported, in both modes: a wait for Kafka (a batch not acknowledged, being
// retried) as a warning when it starts and at most every `every` while it lasts; a wait for the
// hub to catch up (backpressure) is logged by the guard that waits (common/kafka/lag_guard.h),
// so on a terminal the bar's line is cleared first, and the bar starts again below the wait.
//
// Thread safety: not thread-safe; PublishExport calls `on_progress` from one thread.
#ifndef HOMEWARD_SERVICES_ADAPTERS_RUNNER_PROGRESS_REPORTER_H_
#define HOMEWARD_SERVICES_ADAPTERS_RUNNER_PROGRESS_REPORTER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "services/adapters/runner/export_publisher.h"

namespace homeward::adapters {

// Where the reporter's output goes. Every function must be set.
struct ProgressOutput {
  // Terminal only: text written as is (the bar is drawn after '\r' and ends with "\x1b[K",
  // erase to the end of the line).
  std::function<void(absl::string_view)> write;
  std::function<void(const std::string&)> info;  // one line (the periodic lines)
  std::function<void(const std::string&)> warn;  // one line (waits)
};

struct ProgressOptions {
  bool terminal = false;                     // draw a bar in place (standard error is a terminal)
  std::string source_name;                   // the export, named in log lines
  absl::Duration every = absl::Seconds(10);  // log mode: at most one line this often
  absl::Duration redraw = absl::Milliseconds(100);  // terminal: at most one redraw this often
  int bar_width = 20;
};

class ProgressReporter {
 public:
  // `clock` must outlive the reporter; its Now() at construction is the start of the run.
  ProgressReporter(const Clock& clock, ProgressOutput output, ProgressOptions options);

  // Takes one report from PublishExport.
  void Update(const Progress& progress);
  // The run is over: the final state is shown (on a terminal, the bar's line is ended).
  void Finish();

  // "[#####---------------]  1,200/4,800 rows  300 rows/s  ETA 12s", for `progress` at
  // `elapsed` since the start (rows done by an earlier run do not count towards the rate).
  static std::string Bar(const Progress& progress, absl::Duration elapsed, int width);

 private:
  void Show(const Progress& progress, absl::Time now, bool final);

  const Clock& clock_;
  const ProgressOutput output_;
  const ProgressOptions options_;
  const absl::Time start_;
  Progress last_;
  bool drawn_ = false;            // terminal: the bar is on the current line
  absl::Time shown_;              // when the last line or drawing was shown (at first, the start)
  int64_t last_shown_rows_ = -1;  // log mode: the rows the last line reported
  absl::Time warned_ = absl::InfinitePast();
  bool waiting_for_kafka_ = false;
};

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_RUNNER_PROGRESS_REPORTER_H_
