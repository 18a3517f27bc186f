// File: export_publisher.h
//
// Takes an agency export (a CSV table), maps each row to events with the agency's mapping, and
// publishes them. What every file adapter shares:
//  - a row counts as published only when the log has acknowledged every one of its events;
//  - a bad row is rejected with its line and reason, to the rejects report and the dead-letter
//    topic, and the good rows of the same file still go through;
//  - delivery failures are retried with backoff; what still fails is counted, never dropped
//    silently.
#ifndef HOMEWARD_SERVICES_ADAPTERS_RUNNER_EXPORT_PUBLISHER_H_
#define HOMEWARD_SERVICES_ADAPTERS_RUNNER_EXPORT_PUBLISHER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/domain/event.h"
#include "common/publisher.h"
#include "services/adapters/csv/csv_table.h"

namespace homeward::adapters {

using RowMapper = std::function<absl::StatusOr<std::vector<Event>>(const CsvRow&, absl::Time now)>;

struct ExportPublisherOptions {
  std::string agency_id;    // producing agency, carried on dead letters
  std::string source_name;  // file name, carried on dead letters and in the report
  std::vector<std::string> required_columns;
  size_t rows_per_batch = 500;
  int max_attempts = 5;  // delivery attempts per batch before a row counts as failed
  absl::Duration initial_backoff = absl::Milliseconds(200);
  absl::Duration delivery_timeout = absl::Seconds(30);  // per attempt
};

struct Rejection {
  int line = 0;
  std::string reason;
};

struct ExportSummary {
  int rows_read = 0;
  int rows_published = 0;  // every event acknowledged by the log
  int rows_rejected = 0;   // bad input: listed in `rejections`, sent to the dead-letter topic
  int rows_failed = 0;     // good rows the log did not acknowledge after every attempt
  int events_published = 0;
  std::vector<Rejection> rejections;
  // False if any row failed delivery or any dead letter could not be published.
  bool complete() const { return rows_failed == 0 && dead_letters_failed == 0; }
  int dead_letters_failed = 0;
};

// FAILED_PRECONDITION if the table lacks a required column (nothing is published then).
// Otherwise the summary; every row read is in exactly one of published, rejected or failed.
absl::StatusOr<ExportSummary> PublishExport(const CsvTable& table, const RowMapper& mapper,
                                            MessagePublisher& publisher, const Clock& clock,
                                            const ExportPublisherOptions& options);

// The rejects report: "line,reason" CSV, one row per rejection.
std::string RejectsReportCsv(const ExportSummary& summary);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_RUNNER_EXPORT_PUBLISHER_H_
