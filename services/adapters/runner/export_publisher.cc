#include "services/adapters/runner/export_publisher.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/codec/event_codec.h"
#include "common/json/json.h"
#include "common/topics.h"

namespace homeward::adapters {
namespace {

// One record's messages: its events, or its dead letter.
struct PendingRow {
  std::vector<OutboundMessage> messages;
  bool rejected = false;
  std::string record;  // the agency's reference, for a rejection or a warning
  std::string reason;
  std::vector<std::string> warnings;  // of a record published all the same
};

OutboundMessage DeadLetter(const ExportPublisherOptions& options, const std::string& location,
                           const std::string& record, const std::string& reason) {
  // Names the file, location and the agency's reference, not the record's content: the source
  // file holds the personal data.
  const std::string body = json::ObjectWriter()
                               .Set("agency_id", options.agency_id)
                               .Set("source", options.source_name)
                               .Set("location", location)
                               .Set("record", record)
                               .Set("reason", reason)
                               .Dump();
  return OutboundMessage{.topic = kafka::kDeadLetterTopic,
                         .key = absl::StrCat(options.agency_id, "/", options.source_name, ":", location),
                         .value = body,
                         .headers = {{"homeward-reason", reason}}};
}

PendingRow MapRow(const SourceRow& row, const RowMapper& mapper, absl::Time now,
                  const ExportPublisherOptions& options) {
  absl::StatusOr<std::vector<Event>> events = mapper(row, now);
  PendingRow p;
  auto reject = [&](std::string reason) {
    p = PendingRow{.rejected = true,
                   .record = options.record_reference ? options.record_reference(row) : "",
                   .reason = std::move(reason)};
    p.messages.push_back(DeadLetter(options, row.location(), p.record, p.reason));
    return p;
  };
  if (!events.ok()) return reject(std::string(events.status().message()));
  for (const Event& e : *events) {
    OutboundMessage message = EventMessage(e);
    if (absl::Status size = CheckEventSize(message.value.size()); !size.ok()) {
      // The whole record is rejected: publishing part of it would split one agency record.
      return reject(absl::StrCat(e.facet, ": ", size.message()));
    }
    p.messages.push_back(std::move(message));
  }
  if (options.warnings) {
    p.warnings = options.warnings(*events);
    if (!p.warnings.empty() && options.record_reference) p.record = options.record_reference(row);
  }
  return p;
}

// Publishes `batch`, retrying what is unacknowledged with backoff until `give_up_after`.
// Returns, per record, whether every message was acknowledged.
std::vector<bool> Deliver(const std::vector<PendingRow>& batch, MessagePublisher& publisher,
                          const ExportPublisherOptions& options, Progress progress) {
  std::vector<bool> done(batch.size(), false);
  std::vector<size_t> todo(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) todo[i] = i;
  absl::Duration backoff = options.initial_backoff;
  const absl::Time give_up = absl::Now() + options.give_up_after;
  for (int attempt = 1; !todo.empty(); ++attempt) {
    std::vector<OutboundMessage> messages;
    std::vector<size_t> owner;
    for (size_t r : todo) {
      for (const auto& m : batch[r].messages) {
        messages.push_back(m);
        owner.push_back(r);
      }
    }
    const std::vector<absl::Status> results = publisher.PublishAll(std::move(messages));
    std::vector<bool> failed(batch.size(), false);
    progress.last_error = absl::OkStatus();
    for (size_t i = 0; i < results.size(); ++i) {
      if (!results[i].ok()) {
        failed[owner[i]] = true;
        progress.last_error = results[i];
      }
    }
    std::vector<size_t> retry;
    for (size_t r : todo) {
      if (failed[r]) {
        retry.push_back(r);
      } else {
        done[r] = true;
      }
    }
    todo = std::move(retry);
    if (todo.empty() || absl::Now() + backoff > give_up) break;
    progress.attempt = attempt + 1;
    if (options.on_progress) options.on_progress(progress);
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, options.max_backoff);
  }
  return done;
}

}  // namespace

absl::StatusOr<ExportSummary> PublishExport(const SourceTable& table, const RowMapper& mapper,
                                            MessagePublisher& publisher, const Clock& clock,
                                            const ExportPublisherOptions& options) {
  std::vector<std::string> missing;
  for (const std::string& column : options.required_columns) {
    if (std::find(table.columns.begin(), table.columns.end(), column) == table.columns.end()) {
      missing.push_back(column);
    }
  }
  if (!missing.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(options.source_name, ": missing column(s) ",
                                                      absl::StrJoin(missing, ", "), "; nothing published"));
  }

  Checkpoint checkpoint;
  const bool checkpointing = options.checkpoint_store != nullptr;
  if (checkpointing) {
    auto loaded = options.checkpoint_store->Load(options.checkpoint_key);
    if (!loaded.ok()) return loaded.status();
    if (loaded->has_value()) checkpoint = **loaded;
  }
  auto save = [&]() -> absl::Status {
    return checkpointing ? options.checkpoint_store->Save(options.checkpoint_key, checkpoint) : absl::OkStatus();
  };

  ExportSummary summary;
  const int64_t total = static_cast<int64_t>(table.rows.size());
  summary.rows_read = total + static_cast<int64_t>(table.malformed.size());
  Progress progress{.rows_total = summary.rows_read};

  // Records too broken to map go first, so the checkpoint can say they are done.
  if (checkpoint.malformed_done) {
    summary.rows_skipped += static_cast<int64_t>(table.malformed.size());
  } else if (!table.malformed.empty()) {
    std::vector<PendingRow> letters;
    for (const auto& [location, reason] : table.malformed) {
      const std::string why = absl::StrCat("malformed record: ", reason);
      letters.push_back({.messages = {DeadLetter(options, location, "", why)}, .rejected = true, .reason = why});
    }
    const std::vector<bool> ok = Deliver(letters, publisher, options, progress);
    for (size_t i = 0; i < letters.size(); ++i) {
      if (!ok[i]) {
        summary.rows_failed = summary.rows_read;  // nothing further is attempted this run
        return summary;
      }
      summary.rejections.push_back({.location = table.malformed[i].first, .reason = letters[i].reason});
    }
    summary.rows_rejected += static_cast<int64_t>(letters.size());
    checkpoint.malformed_done = true;
    if (absl::Status s = save(); !s.ok()) return s;
  }

  const int64_t first = std::min(checkpoint.next_row, total);
  summary.rows_skipped += first;
  progress.rows_skipped = summary.rows_skipped;
  progress.rows_done = summary.rows_skipped + summary.rows_rejected;
  int64_t messages_sent = 0, bytes_sent = 0;
  for (int64_t start = first; start < total; start += static_cast<int64_t>(options.rows_per_batch)) {
    if (options.backpressure != nullptr) {
      options.backpressure->Published(messages_sent, bytes_sent);
      if (absl::Status behind = options.backpressure->Check(); !behind.ok() && options.on_progress) {
        progress.hub_behind = behind;
        options.on_progress(progress);
        progress.hub_behind = absl::OkStatus();
      }
      if (absl::Status room = options.backpressure->WaitForRoom(); !room.ok()) {
        summary.stopped = room;
        summary.rows_failed = summary.rows_read - summary.rows_skipped - summary.rows_published - summary.rows_rejected;
        return summary;
      }
    }
    const int64_t end = std::min(total, start + static_cast<int64_t>(options.rows_per_batch));
    const absl::Time now = clock.Now();
    std::vector<PendingRow> batch;
    for (int64_t i = start; i < end; ++i) batch.push_back(MapRow(table.rows[i], mapper, now, options));
    const std::vector<bool> ok = Deliver(batch, publisher, options, progress);

    int64_t contiguous = start;  // the checkpoint may only pass rows that are done
    bool gap = false;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!ok[i]) {
        gap = true;
        continue;
      }
      if (!gap) contiguous = start + static_cast<int64_t>(i) + 1;
      if (batch[i].rejected) {
        ++summary.rows_rejected;
        summary.rejections.push_back(
            {.location = table.rows[start + i].location(), .record = batch[i].record, .reason = batch[i].reason});
      } else {
        ++summary.rows_published;
        for (const std::string& w : batch[i].warnings) {
          summary.warnings.push_back({.location = table.rows[start + i].location(), .record = batch[i].record, .message = w});
        }
        summary.events_published += static_cast<int64_t>(batch[i].messages.size());
        for (const OutboundMessage& m : batch[i].messages) bytes_sent += static_cast<int64_t>(m.value.size());
        messages_sent += static_cast<int64_t>(batch[i].messages.size());
      }
    }
    checkpoint.next_row = contiguous;
    if (absl::Status s = save(); !s.ok()) return s;
    progress.rows_done = summary.rows_skipped + summary.rows_published + summary.rows_rejected;
    progress.attempt = 1;
    if (options.on_progress) options.on_progress(progress);
    if (gap) {
      // The log stayed unavailable past the give-up time: stop; the next run resumes here.
      summary.stopped = absl::UnavailableError("Kafka did not acknowledge every record in time");
      summary.rows_failed = summary.rows_read - summary.rows_skipped - summary.rows_published - summary.rows_rejected;
      return summary;
    }
  }
  return summary;
}

std::string RejectsReportCsv(const ExportSummary& summary) {
  // RFC 4180: quote each field, doubling any quote inside it.
  const auto quoted = [](const std::string& field) {
    return absl::StrCat("\"", absl::StrReplaceAll(field, {{"\"", "\"\""}}), "\"");
  };
  std::string out = "location,record,reason\n";
  for (const Rejection& r : summary.rejections) {
    absl::StrAppend(&out, quoted(r.location), ",", quoted(r.record), ",", quoted(r.reason), "\n");
  }
  return out;
}

}  // namespace homeward::adapters
