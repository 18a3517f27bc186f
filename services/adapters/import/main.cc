// homeward-import: publishes one agency export to Homeward, in whatever format the area's
// mapping file names (police CSV, care home CSV, RHI CSV, education/health CSV, SSDA903 Missing
// table, social care JSON).
//
//   homeward-import --bootstrap_file=run/kafka.bootstrap
//       --mapping=config/mappings/police-west-midlands.json
//       --input=data/samples/police_missing_persons.csv [--rejects=rejects.csv]
//
// A run killed mid-file resumes where it stopped on the next run with the same file (checkpoints
// in --checkpoint_dir). --dry-run checks the whole export and reports what would be published
// and rejected, publishing nothing (no Kafka needed). Progress: a bar on a terminal, a line
// every 10 s otherwise. Exit status: 0 every record published; 3 some records rejected as bad
// input (the rest published); 1 some records not acknowledged by Kafka before --give_up_after
// (run again to resume), or the hub did not catch up within --lag_wait (the import waits while
// the hub's readers are more than --max_unread_bytes behind, so the log never drops records);
// 2 the export, mapping or configuration could not be read.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/clock.h"
#include "common/kafka/kafka_flags.h"
#include "common/kafka/kafka_producer.h"
#include "common/kafka/lag_guard.h"
#include "common/flags_help.h"
#include "common/logging.h"
#include "services/adapters/domain/formats.h"
#include "services/adapters/domain/record_reader.h"
#include "services/adapters/io/csv_table.h"
#include "services/adapters/io/mapping_file.h"
#include "services/adapters/io/social_care_json.h"
#include "services/adapters/runner/dry_run_publisher.h"
#include "services/adapters/runner/export_publisher.h"
#include "services/adapters/runner/progress_reporter.h"

ABSL_FLAG(std::string, mapping, "",
          "Required. The area's mapping file (config/mappings/*.json): which format the export is in, the "
          "producing agency, and this area's column names and codes (docs/formats/README.md)");
ABSL_FLAG(std::string, input, "", "Required. The export to publish (CSV, or JSON for social-care-json)");
ABSL_FLAG(std::string, rejects, "",
          "Also write every rejected record to this CSV file (location,record,reason): its location in the "
          "export, the agency's own reference for it (e.g. the occurrence number) and the reason");
ABSL_FLAG(std::string, checkpoint_dir, "run/checkpoints",
          "Where resume points are kept (one file per agency and export content)");
ABSL_FLAG(bool, checkpoint, true,
          "Resume a run that stopped part-way from its checkpoint, and record one after every batch "
          "(--checkpoint=false publishes the whole file every time)");
ABSL_FLAG(absl::Duration, give_up_after, absl::Minutes(10),
          "How long to keep retrying while Kafka is unavailable before stopping (exit 1; the same command "
          "resumes)");
ABSL_FLAG(absl::Duration, message_timeout, absl::Seconds(30),
          "How long Kafka may take to acknowledge a message before it is retried");
ABSL_FLAG(int, rows_per_batch, 200, "Records published per batch (and per checkpoint)");
ABSL_FLAG(int64_t, revision, -1,
          "Revision for formats without a version column (the SSDA903 return's year); default: the "
          "mapping's \"revision\"");
ABSL_FLAG(int64_t, max_unread_bytes, 2 * 1024 * 1024,
          "Wait while any events partition holds more than this many bytes the hub has not read yet, so "
          "the log's retention never drops records (the embedded Kafka keeps 5 MiB a partition; 0 = never wait)");
ABSL_FLAG(std::string, wait_for, "aggregator",
          "The hub replicas whose reading position --max_unread_bytes is measured against (comma-separated "
          "replica ids)");
ABSL_FLAG(absl::Duration, lag_wait, absl::Minutes(2),
          "Stop (exit 1, resumable) if the hub makes no progress for this long while the import waits");
ABSL_FLAG(bool, dry_run, false,
          "Read, map and check every record and report what would be published and rejected (the same summary "
          "and --rejects file, the same exit status), but publish nothing: no Kafka needed, no checkpoint written");

namespace {

using namespace homeward;
using namespace homeward::adapters;

absl::StatusOr<SourceTable> ReadExport(const std::string& path, FileKind kind) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return kind == FileKind::kCsv ? ParseCsv(*text) : ParseSocialCareJson(*text);
}

// What a real run needs and a dry run does without: Kafka, the hub's position, checkpoints.
struct Publishing {
  std::unique_ptr<MessagePublisher> publisher;
  kafka::LagGuardHandle guard;
  std::unique_ptr<FileCheckpointStore> checkpoints;  // null with --checkpoint=false
  std::string checkpoint_key;
};

// The real run's connections; the error to print (exit 2) if one cannot be made.
absl::StatusOr<Publishing> Connect(const SourceMapping& mapping, const std::string& input) {
  Publishing p;
  auto kafka_config = kafka::KafkaConfigFromFlags();
  if (!kafka_config.ok()) return kafka_config.status();
  auto producer = kafka::KafkaProducer::Create(*kafka_config, {.message_timeout = absl::GetFlag(FLAGS_message_timeout)});
  if (!producer.ok()) return producer.status();
  p.publisher = *std::move(producer);
  if (absl::GetFlag(FLAGS_max_unread_bytes) > 0) {
    auto started = kafka::KafkaLagGuard::Start(
        *kafka_config, {.budget = {.max_unread_bytes = absl::GetFlag(FLAGS_max_unread_bytes),
                                   .readers = absl::StrSplit(absl::GetFlag(FLAGS_wait_for), ',', absl::SkipEmpty())},
                        .wait_limit = absl::GetFlag(FLAGS_lag_wait)});
    if (!started.ok()) {
      return absl::Status(started.status().code(),
                          absl::StrCat("cannot read the hub's position: ", started.status().message()));
    }
    p.guard = *std::move(started);
  }
  if (absl::GetFlag(FLAGS_checkpoint)) {
    auto key = CheckpointKeyForFile(mapping.agency_id, input);
    if (!key.ok()) return key.status();
    p.checkpoint_key = *key;
    p.checkpoints = std::make_unique<FileCheckpointStore>(absl::GetFlag(FLAGS_checkpoint_dir));
  }
  return p;
}

void PrintSummary(const std::string& input, const ExportSummary& s, bool dry_run) {
  if (dry_run) {
    std::cout << absl::StrFormat(
        "%s: dry run, nothing published: %d records read: %d would be published (%d events), %d rejected\n", input,
        s.rows_read, s.rows_published, s.events_published, s.rows_rejected);
  } else {
    std::cout << absl::StrFormat(
        "%s: %d records read: %d published (%d events), %d rejected, %d skipped (done before), %d not delivered\n",
        input, s.rows_read, s.rows_published, s.events_published, s.rows_rejected, s.rows_skipped, s.rows_failed);
  }
  const auto named = [](const std::string& location, const std::string& record) {
    return record.empty() ? location : absl::StrCat(location, " (", record, ")");
  };
  for (const Rejection& r : s.rejections) std::cout << "  rejected " << named(r.location, r.record) << ": " << r.reason << "\n";
  for (const Warning& w : s.warnings) std::cout << "  warning " << named(w.location, w.record) << ": " << w.message << "\n";
}

int Run() {
  const std::string input = absl::GetFlag(FLAGS_input);
  const bool dry_run = absl::GetFlag(FLAGS_dry_run);
  if (input.empty() || absl::GetFlag(FLAGS_mapping).empty()) {
    std::cerr << "--mapping and --input are required (--help lists every flag)\n";
    return 2;
  }
  auto mapping = LoadMappingFile(absl::GetFlag(FLAGS_mapping));
  if (!mapping.ok()) {
    std::cerr << mapping.status() << "\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_revision) >= 0) mapping->default_revision = absl::GetFlag(FLAGS_revision);
  auto format = FindFormat(mapping->format);
  auto table = ReadExport(input, format->file_kind);
  if (!table.ok()) {
    std::cerr << input << ": " << table.status() << "\n";
    return 2;
  }
  Publishing publishing;
  if (dry_run) {
    publishing.publisher = std::make_unique<DryRunPublisher>();
  } else if (auto connected = Connect(*mapping, input); connected.ok()) {
    publishing = *std::move(connected);
  } else {
    std::cerr << connected.status() << "\n";
    return 2;
  }

  RealClock clock;
  ProgressReporter progress(
      clock,
      {.write = [](absl::string_view text) { std::cerr << text << std::flush; },
       .info = [](const std::string& line) { log::Info("{}", line); },
       .warn = [](const std::string& line) { log::Warn("{}", line); }},
      {.terminal = isatty(STDERR_FILENO) == 1, .source_name = input});
  const SourceMapping& m = *mapping;
  auto summary = PublishExport(
      *table, [&](const SourceRow& row, absl::Time now) { return format->map(MappedRow(row, m), now); },
      *publishing.publisher, clock,
      {.agency_id = m.agency_id,
       .source_name = input,
       .record_reference = [&](const SourceRow& row) { return format->reference(MappedRow(row, m)); },
       .warnings = &RecordWarnings,
       .required_columns = AreaColumns(m, format->required_columns),
       .rows_per_batch = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_rows_per_batch))),
       .give_up_after = absl::GetFlag(FLAGS_give_up_after),
       .checkpoint_store = publishing.checkpoints.get(),
       .checkpoint_key = publishing.checkpoint_key,
       .on_progress = [&](const Progress& p) { progress.Update(p); },
       .backpressure = publishing.guard.get()});
  progress.Finish();
  if (!summary.ok()) {
    std::cerr << summary.status() << "\n";
    return 2;
  }
  PrintSummary(input, *summary, dry_run);
  if (const std::string path = absl::GetFlag(FLAGS_rejects); !path.empty()) {
    std::ofstream(path) << RejectsReportCsv(*summary);
  }
  if (!summary->complete()) {
    std::cout << "  stopped early (" << summary->stopped.message() << "); run the same command again to resume.\n";
    return 1;
  }
  return summary->rows_rejected > 0 ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Publishes an agency export to Homeward: every record is read with the area's mapping file,\n"
      "checked, and published to Kafka as events; bad records are rejected with their location and\n"
      "reason, and the good ones still go through.\n"
      "\n"
      "  homeward-import --mapping=config/mappings/police-west-midlands.json --input=export.csv \\\n"
      "                  --bootstrap_file=run/kafka.bootstrap [--rejects=rejects.csv]\n"
      "\n"
      "--mapping and --input are required, and Kafka's address (--bootstrap_file or\n"
      "--bootstrap_servers), unless --dry-run: every record read and checked, what would be\n"
      "published and rejected reported, nothing published, no Kafka needed. A run that stops\n"
      "part-way resumes where it stopped when the same command is run again. Progress goes to\n"
      "standard error: a bar on a terminal, a line every 10 s otherwise; the summary to standard\n"
      "output. docs/formats/README.md describes formats, mapping files and rules.\n"
      "\n"
      "Exit status: 0 every record published; 3 some records rejected (listed; the rest published);\n"
      "1 stopped early: Kafka or the hub unavailable (run the same command again to resume);\n"
      "2 the export, the mapping or the configuration could not be read.");
  homeward::ParseCommandLineWithHelp(argc, argv, "services/adapters/import/");
  homeward::log::Init("import");
  return Run();
}
