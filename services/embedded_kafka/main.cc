// homeward-kafka: the embedded Kafka for development (`make run`) — librdkafka's mock cluster,
// which speaks the real Kafka protocol on loopback. Its ports are random, so it writes the
// bootstrap address to --bootstrap_file for the other processes, and removes it on exit.
// In memory only: everything is gone when it stops (../shared/kafka-and-grpc-notes.md).
// --metrics_listen serves /healthz and /readyz (ready once its topics exist) and the process's
// metrics; --list_topics prints the topics as production creates them (deploy/kafka).
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "common/kafka/mock_cluster.h"
#include "common/flags_help.h"
#include "common/logging.h"
#include "common/metrics/metrics_flags.h"
#include "common/signals.h"

ABSL_FLAG(int, brokers, 3, "Number of mock brokers");
ABSL_FLAG(std::string, bootstrap_file, "run/kafka.bootstrap", "Where to write the bootstrap address");
ABSL_FLAG(bool, list_topics, false,
          "Print Homeward's topics as production creates them (name, partitions, retention.ms, cleanup.policy; "
          "deploy/kafka/create-topics.sh must agree) and exit");

int main(int argc, char** argv) {
  using namespace homeward;
  absl::SetProgramUsageMessage("Embedded Kafka (librdkafka mock cluster) for Homeward development");
  homeward::ParseCommandLineWithHelp(argc, argv, "services/embedded_kafka/");
  if (absl::GetFlag(FLAGS_list_topics)) {
    for (const auto& topic : kafka::HomewardTopics()) std::cout << kafka::DescribeForProduction(topic) << "\n";
    return 0;
  }
  log::Init("kafka");
  BlockShutdownSignals();
  metrics::Registry registry;
  std::atomic<bool> ready{false};
  auto endpoint = metrics::StartServiceEndpoint(registry, "homeward-kafka", [&]() -> metrics::Readiness {
    return {.ready = ready.load(), .reason = "creating the topics"};
  });
  if (!endpoint.ok()) {
    log::Error("refusing to start: metrics: {}", endpoint.status().ToString());
    return 2;
  }

  auto cluster = kafka::MockCluster::Start(absl::GetFlag(FLAGS_brokers), kafka::HomewardTopics());
  if (!cluster.ok()) {
    log::Error("{}", cluster.status().ToString());
    return 1;
  }
  const std::string file = absl::GetFlag(FLAGS_bootstrap_file);
  {
    // Write then rename, so a reader never sees half an address.
    const std::string tmp = file + ".tmp";
    std::ofstream(tmp) << (*cluster)->bootstrap_servers() << "\n";
    if (std::rename(tmp.c_str(), file.c_str()) != 0) {
      log::Error("cannot write {}", file);
      return 1;
    }
  }
  for (const auto& topic : kafka::HomewardTopics()) {
    log::Info("topic {} ({} partitions)", topic.name, topic.partitions);
  }
  log::Info("mock Kafka on {} (written to {})", (*cluster)->bootstrap_servers(), file);
  ready = true;
  WaitForShutdownSignal();
  std::remove(file.c_str());
  log::Info("stopped");
  return 0;
}
