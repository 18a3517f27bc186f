#include "services/adapters/runner/export_publisher.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/codec/event_codec.h"
#include "common/kafka/kafka_config.h"
#include "common/logging.h"

namespace homeward::adapters {
namespace {

// A row that mapped cleanly, with the messages that carry its events.
struct PendingRow {
  int line = 0;
  std::vector<OutboundMessage> messages;
};

OutboundMessage DeadLetter(const ExportPublisherOptions& options, const Rejection& r) {
  // Names the file and line, not the row's content: the source file holds the personal data.
  const nlohmann::json body = {{"agency_id", options.agency_id},
                               {"source", options.source_name},
                               {"line", r.line},
                               {"reason", r.reason}};
  return OutboundMessage{.topic = kafka::kDeadLetterTopic,
                         .key = absl::StrCat(options.agency_id, "/", options.source_name, ":", r.line),
                         .value = body.dump(),
                         .headers = {{"homeward-reason", r.reason}}};
}

// Publishes `batch` with retries; returns, per row, whether every message was acknowledged.
std::vector<bool> PublishRows(const std::vector<PendingRow>& batch, MessagePublisher& publisher,
                              const ExportPublisherOptions& options) {
  std::vector<bool> row_ok(batch.size(), false);
  std::vector<size_t> todo(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) todo[i] = i;
  absl::Duration backoff = options.initial_backoff;
  for (int attempt = 1; attempt <= options.max_attempts && !todo.empty(); ++attempt) {
    std::vector<OutboundMessage> messages;
    std::vector<size_t> owner;
    for (size_t r : todo) {
      for (const auto& m : batch[r].messages) {
        messages.push_back(m);
        owner.push_back(r);
      }
    }
    const std::vector<absl::Status> results = publisher.PublishAll(messages, options.delivery_timeout);
    std::vector<bool> failed(batch.size(), false);
    absl::Status first_error;
    for (size_t i = 0; i < results.size(); ++i) {
      if (!results[i].ok()) {
        failed[owner[i]] = true;
        if (first_error.ok()) first_error = results[i];
      }
    }
    std::vector<size_t> retry;
    for (size_t r : todo) {
      if (failed[r]) {
        retry.push_back(r);
      } else {
        row_ok[r] = true;
      }
    }
    todo = std::move(retry);
    if (!todo.empty() && attempt < options.max_attempts) {
      log::Warn("{} row(s) not yet acknowledged ({}); attempt {} of {} in {}", todo.size(),
                first_error.ToString(), attempt + 1, options.max_attempts,
                absl::FormatDuration(backoff));
      absl::SleepFor(backoff);
      backoff *= 2;
    }
  }
  return row_ok;
}

}  // namespace

absl::StatusOr<ExportSummary> PublishExport(const CsvTable& table, const RowMapper& mapper,
                                            MessagePublisher& publisher, const Clock& clock,
                                            const ExportPublisherOptions& options) {
  std::vector<std::string> missing;
  for (const std::string& column : options.required_columns) {
    if (std::find(table.header.begin(), table.header.end(), column) == table.header.end()) {
      missing.push_back(column);
    }
  }
  if (!missing.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        options.source_name, ": missing column(s) ", absl::StrJoin(missing, ", "), "; nothing published"));
  }

  ExportSummary summary;
  summary.rows_read = static_cast<int>(table.rows.size() + table.malformed.size());
  for (const auto& [line, reason] : table.malformed) {
    summary.rejections.push_back({line, absl::StrCat("malformed row: ", reason)});
  }

  std::vector<PendingRow> pending;
  const absl::Time now = clock.Now();
  for (const CsvRow& row : table.rows) {
    absl::StatusOr<std::vector<Event>> events = mapper(row, now);
    if (!events.ok()) {
      summary.rejections.push_back({row.line(), std::string(events.status().message())});
      continue;
    }
    PendingRow p{.line = row.line()};
    for (const Event& e : *events) {
      p.messages.push_back(OutboundMessage{.topic = kafka::kEventsTopic,
                                           .key = absl::StrCat(e.agency_id, "/", e.source_record),
                                           .value = EncodeEvent(e),
                                           .headers = {{"homeward-event-id", e.event_id}}});
    }
    pending.push_back(std::move(p));
  }
  std::sort(summary.rejections.begin(), summary.rejections.end(),
            [](const Rejection& a, const Rejection& b) { return a.line < b.line; });
  summary.rows_rejected = static_cast<int>(summary.rejections.size());

  for (size_t start = 0; start < pending.size(); start += options.rows_per_batch) {
    const size_t end = std::min(pending.size(), start + options.rows_per_batch);
    const std::vector<PendingRow> batch(pending.begin() + start, pending.begin() + end);
    const std::vector<bool> ok = PublishRows(batch, publisher, options);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (ok[i]) {
        ++summary.rows_published;
        summary.events_published += static_cast<int>(batch[i].messages.size());
      } else {
        ++summary.rows_failed;
      }
    }
    log::Info("{}: {} of {} good rows published", options.source_name, summary.rows_published,
              pending.size());
  }

  if (!summary.rejections.empty()) {
    std::vector<PendingRow> letters;
    for (const Rejection& r : summary.rejections) {
      letters.push_back(PendingRow{.line = r.line, .messages = {DeadLetter(options, r)}});
    }
    const std::vector<bool> ok = PublishRows(letters, publisher, options);
    summary.dead_letters_failed = static_cast<int>(std::count(ok.begin(), ok.end(), false));
  }
  return summary;
}

std::string RejectsReportCsv(const ExportSummary& summary) {
  std::string out = "line,reason\n";
  for (const Rejection& r : summary.rejections) {
    std::string reason = r.reason;
    // RFC 4180: quote the field, doubling any quote inside it.
    size_t pos = 0;
    while ((pos = reason.find('"', pos)) != std::string::npos) {
      reason.insert(pos, 1, '"');
      pos += 2;
    }
    absl::StrAppend(&out, r.line, ",\"", reason, "\"\n");
  }
  return out;
}

}  // namespace homeward::adapters
