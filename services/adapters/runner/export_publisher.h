// File: export_publisher.h
//
// Publishes an agency export: each record is mapped to events with the agency's mapping, and
// what every file adapter shares is done here once:
//  - a record counts as published only when the log has acknowledged every one of its events;
//  - a bad record is rejected with its location and reason, to the rejects report and the
//    dead-letter topic, and the good records of the same file still go through;
//  - while the log is unavailable, delivery is retried with backoff and progress is reported;
//    nothing is dropped: what is still unacknowledged at the give-up time is counted as failed
//    and the checkpoint stops before it, so the next run resumes there;
//  - with a checkpoint store, a run killed mid-file resumes where it stopped, with no gap.
#ifndef HOMEWARD_SERVICES_ADAPTERS_RUNNER_EXPORT_PUBLISHER_H_
#define HOMEWARD_SERVICES_ADAPTERS_RUNNER_EXPORT_PUBLISHER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/backpressure.h"
#include "common/clock.h"
#include "common/domain/event.h"
#include "common/publisher.h"
#include "services/adapters/domain/source_row.h"
#include "services/adapters/runner/checkpoint.h"

namespace homeward::adapters {

using RowMapper = std::function<absl::StatusOr<std::vector<Event>>(const SourceRow&, absl::Time now)>;
// What a person should know about a record published all the same; empty for most.
using RowWarnings = std::function<std::vector<std::string>(const std::vector<Event>&)>;

// What PublishExport reports to `on_progress`: after every batch, while a batch is retried
// (`attempt` > 1), and before waiting for the hub to catch up (`hub_behind` not OK).
struct Progress {
  int64_t rows_done = 0;     // published, rejected or skipped so far
  int64_t rows_total = 0;
  int64_t rows_skipped = 0;  // of rows_done, done by an earlier run (checkpoint)
  int attempt = 0;           // > 1 while waiting for the log
  absl::Status last_error;   // why the last attempt did not complete
  absl::Status hub_behind;   // not OK while waiting for the hub's readers to catch up: why
};

// The agency's own reference for a record (Format::reference), "" if it has none.
using RecordReference = std::function<std::string(const SourceRow&)>;

struct ExportPublisherOptions {
  std::string agency_id;    // producing agency, carried on dead letters
  std::string source_name;  // file name, carried on dead letters and in the report
  RecordReference record_reference;  // optional: names each rejection's and warning's record
  RowWarnings warnings;              // optional: e.g. RecordWarnings (record_reader.h)
  std::vector<std::string> required_columns;  // in the file's own names; empty = no check
  size_t rows_per_batch = 200;
  absl::Duration initial_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(30);
  // How long one batch may keep retrying before the run stops (what is left counts as failed).
  absl::Duration give_up_after = absl::Minutes(10);
  // Optional: resume and record progress under `checkpoint_key`.
  CheckpointStore* checkpoint_store = nullptr;
  std::string checkpoint_key;
  std::function<void(const Progress&)> on_progress;  // optional
  // Optional: before each batch, wait while the hub's readers are too far behind to take more
  // without the log dropping records (common/kafka/lag.h). If it gives up, the run stops
  // there (what is left counts as not delivered; the next run resumes).
  Backpressure* backpressure = nullptr;
};

struct Rejection {
  std::string location;  // "line 12", "/children/3/placements/0"
  std::string record;    // the agency's reference for it ("MP-26-0101"), "" if unknown
  std::string reason;
};

// A record published all the same, with something a person should know (RecordWarnings).
struct Warning {
  std::string location;
  std::string record;
  std::string message;
};

struct ExportSummary {
  int64_t rows_read = 0;
  int64_t rows_skipped = 0;    // already done by an earlier run (checkpoint)
  int64_t rows_published = 0;  // every event acknowledged by the log
  int64_t rows_rejected = 0;   // bad input: listed in `rejections`, sent to the dead-letter topic
  int64_t rows_failed = 0;     // not acknowledged by the give-up time: the next run resumes here
  int64_t events_published = 0;
  std::vector<Rejection> rejections;
  std::vector<Warning> warnings;  // of records published (an unverified NHS number, ...)
  absl::Status stopped;  // why the run stopped early (Kafka unavailable, the hub not catching up)

  // Every record is accounted for: skipped + published + rejected + failed == read.
  bool complete() const { return rows_failed == 0; }
};

// FAILED_PRECONDITION if the table lacks a required column (nothing is published then);
// DATA_LOSS / INTERNAL if the checkpoint cannot be read or written. Otherwise the summary.
absl::StatusOr<ExportSummary> PublishExport(const SourceTable& table, const RowMapper& mapper,
                                            MessagePublisher& publisher, const Clock& clock,
                                            const ExportPublisherOptions& options);

// The rejects report: "location,record,reason" CSV (RFC 4180, every field quoted), one row per
// rejection.
std::string RejectsReportCsv(const ExportSummary& summary);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_RUNNER_EXPORT_PUBLISHER_H_
