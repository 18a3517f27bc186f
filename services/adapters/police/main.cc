// homeward-police-adapter: publishes a police missing-person export to Homeward.
//
//   homeward-police-adapter --bootstrap_file=run/kafka.bootstrap \
//       --input=data/samples/police_missing_persons.csv [--rejects=rejects.csv]
//
// Exit status: 0 every row published; 3 some rows rejected as bad input (the rest published);
// 1 some good rows could not be delivered; 2 the export could not be read at all.
#include <fstream>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/clock.h"
#include "common/kafka/kafka_flags.h"
#include "common/kafka/kafka_producer.h"
#include "common/logging.h"
#include "services/adapters/csv/fields.h"
#include "services/adapters/police/domain/police_mapping.h"
#include "services/adapters/runner/export_publisher.h"

ABSL_FLAG(std::string, input, "", "Police missing-person export (CSV)");
ABSL_FLAG(std::string, agency_id, "police.west-midlands", "This force's agency id");
ABSL_FLAG(std::string, force, "west-midlands", "Force code qualifying person ids");
ABSL_FLAG(std::string, rejects, "", "Write rejected rows (line, reason) to this CSV file");

namespace {

int Run() {
  using namespace homeward;
  const std::string input = absl::GetFlag(FLAGS_input);
  if (input.empty()) {
    std::cerr << "--input is required\n";
    return 2;
  }
  auto kafka_config = kafka::KafkaConfigFromFlags();
  if (!kafka_config.ok()) {
    std::cerr << kafka_config.status() << "\n";
    return 2;
  }
  auto table = adapters::ReadCsvFile(input);
  if (!table.ok()) {
    std::cerr << input << ": " << table.status() << "\n";
    return 2;
  }
  auto producer = kafka::KafkaProducer::Create(*kafka_config);
  if (!producer.ok()) {
    std::cerr << producer.status() << "\n";
    return 2;
  }
  const adapters::PoliceMappingOptions mapping{.agency_id = absl::GetFlag(FLAGS_agency_id),
                                               .force = absl::GetFlag(FLAGS_force),
                                               .local_zone = adapters::UkTimeZone()};
  RealClock clock;
  auto summary = adapters::PublishExport(
      *table,
      [&](const adapters::CsvRow& row, absl::Time now) { return MapPoliceRow(row, mapping, now); },
      **producer, clock,
      {.agency_id = mapping.agency_id,
       .source_name = input,
       .required_columns = adapters::PoliceRequiredColumns()});
  if (!summary.ok()) {
    std::cerr << summary.status() << "\n";
    return 2;
  }
  std::cout << input << ": " << summary->rows_read << " rows read: " << summary->rows_published
            << " published (" << summary->events_published << " events), "
            << summary->rows_rejected << " rejected, " << summary->rows_failed
            << " not delivered\n";
  for (const auto& r : summary->rejections) {
    std::cout << "  rejected line " << r.line << ": " << r.reason << "\n";
  }
  if (const std::string path = absl::GetFlag(FLAGS_rejects); !path.empty()) {
    std::ofstream(path) << adapters::RejectsReportCsv(*summary);
  }
  if (!summary->complete()) return 1;
  return summary->rows_rejected > 0 ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Publishes a police missing-person export to Homeward");
  absl::ParseCommandLine(argc, argv);
  homeward::log::Init("police-adapter");
  return Run();
}
