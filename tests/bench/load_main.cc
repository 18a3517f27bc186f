// homeward-load: end-to-end load and latency figures for docs/benchmarks.md, each next to its
// baseline measured in the same run on the same machine (issue 7). `make bench` runs it.
//
//   homeward-load --mode=alerts  [--rate=1000 --seconds=20 --alert_every=10 --subscribers=1]
//       event published -> alert received on a duty team's gRPC stream (mutual TLS), p50/p99,
//       next to raw produce -> consume through the same mock brokers at the same rate.
//   homeward-load --mode=queries [--entries=200 --seconds=5 --threads=1,4,16]
//       GetChronology (coordinator token, access-logged) QPS and p99, next to a bare gRPC echo
//       of the same reply size over the same mutual TLS.
//   homeward-load --mode=replay  [--events=1000000 --children=100000 --partitions=64]
//       a fresh aggregator rebuilding from the events topic: events/s and peak RSS of the
//       process that rebuilds (it is re-executed without the producer's memory).
#include <grpcpp/grpcpp.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/access/access_config.h"
#include "common/codec/event_codec.h"
#include "common/kafka/kafka_consumer.h"
#include "common/kafka/kafka_producer.h"
#include "common/kafka/mock_cluster.h"
#include "common/security/authenticator.h"
#include "common/security/tls.h"
#include "common/security/token.h"
#include "common/topics.h"
#include "homeward/v1/alert_service.grpc.pb.h"
#include "homeward/v1/chronology_service.grpc.pb.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/alerts/rules_file.h"
#include "tests/bench/echo.grpc.pb.h"
#include "tests/bench/workload.h"
#include "tests/testing/alert_pages.h"
#include "tests/testing/events.h"

ABSL_FLAG(std::string, mode, "alerts", "alerts, queries or replay");
ABSL_FLAG(int, rate, 1000, "alerts: events per second");
ABSL_FLAG(int, seconds, 20, "alerts/queries: how long to measure");
ABSL_FLAG(int, alert_every, 10, "alerts: one event in this many raises an alert");
ABSL_FLAG(int, subscribers, 1,
          "alerts: duty-team streams following the alerts (asking for provisional updates); the first is measured");
ABSL_FLAG(int, fetch_wait_ms, 10, "alerts: consumers' fetch.wait.max.ms (the mock answers an empty fetch after it)");
ABSL_FLAG(int, entries, 200, "queries: entries in the child's chronology");
ABSL_FLAG(std::string, threads, "1,4,16", "queries: client threads");
ABSL_FLAG(int64_t, events, 1'000'000, "replay: events on the topic");
ABSL_FLAG(int64_t, children, 100'000, "replay: children they concern");
ABSL_FLAG(int, partitions, 64, "replay: partitions of the events topic (the mock keeps 5 MiB each)");
ABSL_FLAG(std::string, rebuild_from, "", "internal: the replay child process's bootstrap servers");

namespace homeward::bench {
namespace {

const std::string kRoot = HOMEWARD_SOURCE_DIR;
constexpr char kBasis[] = "dpa2018-sch1-para18";

[[noreturn]] void Die(const absl::Status& s) {
  std::cerr << "homeward-load: " << s << "\n";
  std::exit(1);
}
template <typename T>
T Must(absl::StatusOr<T> v) {
  if (!v.ok()) Die(v.status());
  return *std::move(v);
}

struct Percentiles {
  double p50 = 0, p99 = 0, max = 0;
  size_t n = 0;
};
Percentiles Summarise(std::vector<double> ms) {
  Percentiles p{.n = ms.size()};
  if (ms.empty()) return p;
  std::sort(ms.begin(), ms.end());
  p.p50 = ms[ms.size() / 2];
  p.p99 = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  p.max = ms.back();
  return p;
}

// Development credentials for this run (deploy/dev-credentials.sh).
struct Credentials {
  std::string dir;
  std::string token_key;
  std::string integrity_key;
  access::AccessConfig access;
};
Credentials MakeCredentials() {
  Credentials c{.dir = absl::StrCat(std::filesystem::temp_directory_path().string(), "/homeward-load-", getpid())};
  std::filesystem::remove_all(c.dir);
  if (std::system(absl::StrCat("bash ", kRoot, "/deploy/dev-credentials.sh ", c.dir).c_str()) != 0) {
    Die(absl::InternalError("dev-credentials.sh failed"));
  }
  c.token_key = Must(security::LoadTokenKey(c.dir + "/token.key"));
  c.access = Must(access::LoadAccessConfig(kRoot + "/config/access.json"));
  for (const char* agency : {"police.load", "police.test"}) {  // the load and the replay workload publish as these
    c.access.agencies.Register(agency, {.kind = AgencyKind::kPolice, .records = DefaultRecords(AgencyKind::kPolice)});
  }
  c.access.systems["police.load"] = {.role = access::Role::kPublisher, .agency = "police.load"};
  c.integrity_key = Must(security::LoadTokenKey(c.dir + "/integrity.key"));
  return c;
}

std::unique_ptr<aggregator::Aggregator> StartAggregator(const kafka::KafkaConfig& kafka, const Credentials& creds,
                                                        const Clock& clock, const std::string& state) {
  return Must(aggregator::Aggregator::Start(
      {.kafka = kafka,
       .consumer = {.fetch_wait_max = absl::Milliseconds(absl::GetFlag(FLAGS_fetch_wait_ms))},
       .store = {.path = state},
       .rules = Must(aggregator::LoadRulesFile(kRoot + "/config/rules.json")),
       .listen_address = "127.0.0.1:0",
       .tls_dir = creds.dir,
       .access = creds.access,
       .token_key = creds.token_key,
       .integrity_key = creds.integrity_key,
       .startup_timeout = absl::Seconds(60)},
      clock));
}

std::shared_ptr<grpc::Channel> Channel(int port, const Credentials& creds, const std::string& client) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // one connection per channel
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                   Must(security::MutualTlsChannelCredentials(security::ClientFiles(creds.dir, client))),
                                   args);
}

std::string StateFile(const std::string& name) {
  const std::string path = absl::StrCat(std::filesystem::temp_directory_path().string(), "/homeward-load-", name, ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

// An event of now: occurred a minute ago, recorded now.
Event Now(Event e, absl::Time now) {
  e.occurred_at = now - absl::Minutes(1);
  e.recorded_at = now;
  return e;
}

// ---- alerts ------------------------------------------------------------------------------

Percentiles RawKafkaLatency(const kafka::KafkaConfig& config, int rate, int seconds) {
  auto producer = Must(kafka::KafkaProducer::Create(config));
  auto consumer = Must(kafka::KafkaConsumer::Create(
      config, {.fetch_wait_max = absl::Milliseconds(absl::GetFlag(FLAGS_fetch_wait_ms))}));
  if (absl::Status s = consumer->AssignAll({"homeward.bench.raw"}, {}, absl::Seconds(20)); !s.ok()) Die(s);
  const auto publish = [&](int64_t i, bool measured) {
    // Padded to the size of an event, so both paths carry the same bytes.
    std::string value = absl::StrFormat("%c%020d", measured ? 'M' : 'W', absl::ToUnixMicros(absl::Now())) +
                        std::string(200, 'x');
    producer->PublishAsync({{.topic = "homeward.bench.raw", .key = absl::StrCat("k", i % 64), .value = std::move(value)}},
                           [](std::vector<absl::Status>) {});
  };
  // Warm up: the consumer's first fetches and the producer's connections are not the latency.
  for (int i = 0; i < 100; ++i) publish(i, false);
  for (int seen = 0; seen < 100;) {
    auto m = consumer->Poll(absl::Milliseconds(100));
    if (!m.ok()) Die(m.status());
    if (m->has_value()) ++seen;
  }
  std::vector<double> ms;
  std::atomic<bool> done = false;
  const int64_t total = static_cast<int64_t>(rate) * seconds;
  std::thread reader([&] {
    while (static_cast<int64_t>(ms.size()) < total) {
      auto m = consumer->Poll(absl::Milliseconds(100));
      if (!m.ok()) Die(m.status());
      if (!m->has_value()) {
        if (done) break;
        continue;
      }
      if ((*m)->value[0] != 'M') continue;
      int64_t sent = 0;
      (void)absl::SimpleAtoi((*m)->value.substr(1, 20), &sent);
      ms.push_back(static_cast<double>(absl::ToUnixMicros(absl::Now()) - sent) / 1000.0);
    }
  });
  absl::Time next = absl::Now();
  for (int64_t i = 0; i < total; ++i) {
    absl::SleepFor(next - absl::Now());
    next += absl::Seconds(1) / rate;
    publish(i, true);
  }
  absl::SleepFor(absl::Seconds(2));
  done = true;
  reader.join();
  return Summarise(ms);
}

void Alerts() {
  const int rate = absl::GetFlag(FLAGS_rate), seconds = absl::GetFlag(FLAGS_seconds);
  const int every = absl::GetFlag(FLAGS_alert_every);
  auto topics = kafka::HomewardTopics();
  topics.push_back({"homeward.bench.raw", 6});
  auto cluster = Must(kafka::MockCluster::Start(3, topics));
  const kafka::KafkaConfig config{.bootstrap_servers = cluster->bootstrap_servers()};
  const Credentials creds = MakeCredentials();
  RealClock clock;
  auto agg = StartAggregator(config, creds, clock, StateFile("alerts"));

  absl::Mutex mu;
  absl::flat_hash_map<std::string, absl::Time> sent;  // alert id -> when its event was published
  // From the event's publication to the alert's first update on the stream (provisional, as a
  // duty team sees it), and to its confirmed update (the alerts topic holds it).
  std::vector<double> latency_ms, confirmed_ms;
  absl::flat_hash_set<std::string> seen;
  const auto measure = [&](const v1::AlertUpdate& update, absl::Time now) {
    if (update.alert().state() != v1::ALERT_STATE_RAISED) return;
    absl::MutexLock lock(&mu);
    if (const auto it = sent.find(update.alert().alert_id()); it != sent.end()) {
      const double ms = absl::ToDoubleMilliseconds(now - it->second);
      if (seen.insert(it->first).second) latency_ms.push_back(ms);
      if (!update.provisional()) confirmed_ms.push_back(ms);
    }
  };
  // The duty teams' systems follow their alerts, as in `make run`; the first stream is measured.
  // Each other one (another team, a web session) has every update written, and logged on the
  // access log, once more.
  auto stub = v1::AlertService::NewStub(Channel(agg->port(), creds, "duty.missing-children-duty"));
  std::vector<std::unique_ptr<grpc::ClientContext>> stream_contexts;
  std::vector<std::thread> followers;
  for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_subscribers)); ++i) {
    grpc::ClientContext* context = stream_contexts.emplace_back(std::make_unique<grpc::ClientContext>()).get();
    context->AddMetadata(security::kPurposeHeader, "duty team alert feed (load test)");
    context->AddMetadata(security::kLawfulBasisHeader, kBasis);
    followers.emplace_back([&stub, &measure, context, measured = i == 0] {
      v1::StreamAlertsRequest request;
      request.set_provisional(true);
      auto reader = stub->StreamAlerts(context, request);
      v1::AlertUpdate update;
      while (reader->Read(&update)) {
        if (measured) measure(update, absl::Now());
      }
    });
  }

  auto producer = Must(kafka::KafkaProducer::Create(config));
  {  // warm up: one alert end to end before measuring (connections, first fetches)
    const absl::Time now = absl::Now();
    const Event e = Now(testing::MakeEvent("police.load", "WARM-UP", "report", 1, testing::PoliceChild("WARM"), now,
                                           MissingReported{.category = AbsenceCategory::kMissing,
                                                           .risk_grade = RiskGrade::kHigh}),
                        now);
    for (const absl::Status& s : producer->PublishAll({EventMessage(e)})) {
      if (!s.ok()) Die(s);
    }
    while (homeward::testing::AllAlerts(agg->alerts(), {.child_ids = {"police:test-force/WARM"}}).empty()) absl::SleepFor(absl::Milliseconds(10));
    absl::SleepFor(absl::Milliseconds(500));
  }
  const int64_t total = static_cast<int64_t>(rate) * seconds;
  int64_t alerts = 0;
  absl::Time next = absl::Now();
  for (int64_t i = 0; i < total; ++i) {
    absl::SleepFor(next - absl::Now());
    next += absl::Seconds(1) / rate;
    const absl::Time now = absl::Now();
    Event e;
    if (i % every == 0) {  // a new child reported missing at high risk: rule high-risk fires
      const std::string record = absl::StrCat("ALERT-", i);
      e = Now(testing::MakeEvent("police.load", record, "report", 1, testing::PoliceChild(absl::StrCat("HR-", i)), now,
                                 MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh}),
              now);
      absl::MutexLock lock(&mu);
      sent[absl::StrCat("high-risk:police.load/", record)] = now;
      ++alerts;
    } else {  // background: low-risk episodes of ten thousand other children
      e = Now(SyntheticEvent(i, 10'000), now);
      e.agency_id = "police.load";
      e.event_id = MakeEventId(e.agency_id, e.source_record, e.facet, e.revision);
    }
    producer->PublishAsync({EventMessage(e)}, [](std::vector<absl::Status>) {});
  }
  const absl::Time wait = absl::Now() + absl::Seconds(30);
  while (absl::Now() < wait) {
    absl::MutexLock lock(&mu);
    if (static_cast<int64_t>(confirmed_ms.size()) >= alerts) break;
    mu.Unlock();
    absl::SleepFor(absl::Milliseconds(50));
    mu.Lock();
  }
  for (auto& context : stream_contexts) context->TryCancel();
  for (std::thread& t : followers) t.join();
  const Percentiles hub = Summarise(latency_ms);
  const Percentiles confirmed = Summarise(confirmed_ms);
  const Percentiles raw = RawKafkaLatency(config, rate, std::min(seconds, 10));
  agg->Shutdown();
  std::cout << absl::StrFormat(
      "alerts: %d events/s for %d s, 1 in %d raising an alert (%d alerts, %d received), fetch wait %d ms, "
      "%d subscriber(s)\n"
      "  event published -> alert on duty stream: p50 %.1f ms  p99 %.1f ms  max %.1f ms\n"
      "  event published -> alert confirmed:      p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%d confirmed)\n"
      "  raw produce -> consume, same brokers:    p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%d messages)\n"
      "  p99 above raw: %.1f ms (target <= 5 ms); confirmed: %.1f ms\n",
      rate, seconds, every, alerts, hub.n, absl::GetFlag(FLAGS_fetch_wait_ms), std::max(1, absl::GetFlag(FLAGS_subscribers)),
      hub.p50, hub.p99, hub.max,
      confirmed.p50, confirmed.p99, confirmed.max, confirmed.n, raw.p50, raw.p99, raw.max, raw.n, hub.p99 - raw.p99,
      confirmed.p99 - raw.p99);
  std::filesystem::remove_all(creds.dir);
}

// ---- queries -----------------------------------------------------------------------------

class EchoService final : public bench::Echo::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const EchoRequest* request,
                                 EchoReply* reply) override {
    reply->mutable_payload()->assign(static_cast<size_t>(request->reply_bytes()), 'x');
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

struct Throughput {
  double qps = 0;
  Percentiles latency;
};

// Runs `call` from `threads` threads, each with its own channel, for `seconds`.
template <typename MakeCall>
Throughput Drive(int threads, int seconds, MakeCall make_call) {
  std::vector<std::vector<double>> ms(threads);
  std::atomic<bool> stop = false;
  std::atomic<int64_t> failures = 0;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto call = make_call();
      call();  // connect and warm up outside the measurement
      while (!stop) {
        const absl::Time start = absl::Now();
        if (!call()) ++failures;
        ms[t].push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
      }
    });
  }
  absl::SleepFor(absl::Seconds(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  std::vector<double> all;
  for (auto& v : ms) all.insert(all.end(), v.begin(), v.end());
  if (failures > 0) std::cerr << "homeward-load: " << failures << " failed calls\n";
  return {.qps = static_cast<double>(all.size()) / seconds, .latency = Summarise(all)};
}

void Queries() {
  const int entries = absl::GetFlag(FLAGS_entries), seconds = absl::GetFlag(FLAGS_seconds);
  auto cluster = Must(kafka::MockCluster::Start(3, kafka::HomewardTopics()));
  const kafka::KafkaConfig config{.bootstrap_servers = cluster->bootstrap_servers()};
  const Credentials creds = MakeCredentials();
  RealClock clock;
  auto agg = StartAggregator(config, creds, clock, StateFile("queries"));
  auto producer = Must(kafka::KafkaProducer::Create(config));
  std::vector<OutboundMessage> messages;
  const absl::Time now = absl::Now();
  for (int i = 0; i < entries; ++i) {  // one child (every event names PP-0), `entries` entries
    Event e = SyntheticEvent(static_cast<int64_t>(i), 1);
    e.recorded_at = e.occurred_at + absl::Minutes(1);
    messages.push_back(EventMessage(e));
  }
  for (const absl::Status& s : producer->PublishAll(std::move(messages))) {
    if (!s.ok()) Die(s);
  }
  while (agg->stats().added < entries) absl::SleepFor(absl::Milliseconds(20));
  const std::string token = Must(security::IssueToken({.subject = "cw-load",
                                                        .role = access::Role::kCoordinator,
                                                        .authority = "coventry",
                                                        .issued_at = now,
                                                        .expires_at = now + absl::Hours(1)},
                                                       creds.token_key));
  v1::GetChronologyRequest request;
  request.set_child(SyntheticChild(0));
  request.set_page_size(entries);
  int reply_bytes = 0;
  const auto chronology_call = [&] {
    auto stub = v1::ChronologyService::NewStub(Channel(agg->port(), creds, "homeward-cli"));
    return [&, stub = std::shared_ptr(std::move(stub))] {
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + token);
      context.AddMetadata(security::kPurposeHeader, "load test");
      context.AddMetadata(security::kLawfulBasisHeader, kBasis);
      v1::GetChronologyResponse response;
      const grpc::Status s = stub->GetChronology(&context, request, &response);
      if (s.ok() && response.entries_size() != entries) return false;
      reply_bytes = static_cast<int>(response.ByteSizeLong());
      return s.ok();
    };
  };
  chronology_call()();
  if (reply_bytes == 0) Die(absl::InternalError("GetChronology failed"));

  EchoService echo;
  grpc::ServerBuilder builder;
  int echo_port = 0;
  builder.AddListeningPort("127.0.0.1:0", Must(security::MutualTlsServerCredentials(security::ServerFiles(creds.dir))),
                           &echo_port);
  builder.RegisterService(&echo);
  auto echo_server = builder.BuildAndStart();
  const auto echo_call = [&] {
    auto stub = bench::Echo::NewStub(Channel(echo_port, creds, "homeward-cli"));
    return [&, stub = std::shared_ptr(std::move(stub))] {
      grpc::ClientContext context;
      EchoRequest req;
      req.set_reply_bytes(reply_bytes);
      EchoReply reply;
      return stub->Echo(&context, req, &reply).ok();
    };
  };
  std::cout << absl::StrFormat("queries: GetChronology of a child with %d entries (reply %d bytes), %d s per point\n",
                               entries, reply_bytes, seconds);
  for (absl::string_view t : absl::StrSplit(absl::GetFlag(FLAGS_threads), ',')) {
    int threads = 1;
    (void)absl::SimpleAtoi(t, &threads);
    const Throughput hub = Drive(threads, seconds, chronology_call);
    const Throughput bare = Drive(threads, seconds, echo_call);
    std::cout << absl::StrFormat(
        "  %2d threads: GetChronology %7.0f QPS p99 %6.2f ms | echo %7.0f QPS p99 %6.2f ms | ratio %.2f (target >= 0.7)\n",
        threads, hub.qps, hub.latency.p99, bare.qps, bare.latency.p99, hub.qps / bare.qps);
  }
  echo_server->Shutdown();
  agg->Shutdown();
  std::filesystem::remove_all(creds.dir);
}

// ---- replay ------------------------------------------------------------------------------

// In the re-executed child: a fresh aggregator rebuilding from the topic.
void Rebuild(const std::string& bootstrap) {
  const int64_t events = absl::GetFlag(FLAGS_events);
  const Credentials creds = MakeCredentials();
  const FakeClock clock(absl::Now());
  const double rss_before = PeakRssMiB();
  const absl::Time start = absl::Now();
  auto agg = StartAggregator({.bootstrap_servers = bootstrap}, creds, clock, StateFile("replay"));
  while (agg->stats().consumed < events) {
    absl::SleepFor(absl::Milliseconds(20));
    if (absl::Now() - start > absl::Minutes(20)) Die(absl::DeadlineExceededError("replay took over 20 minutes"));
  }
  const absl::Duration took = absl::Now() - start;
  const auto stats = agg->stats();
  std::cout << absl::StrFormat(
      "replay: %d events (%d added, %d dead-lettered) rebuilt in %.1f s: %.0f events/s; peak RSS %.0f MiB "
      "(%.0f MiB before starting); %d batches, %.0f events a batch\n",
      events, stats.added, stats.dead_lettered, absl::ToDoubleSeconds(took),
      static_cast<double>(events) / absl::ToDoubleSeconds(took), PeakRssMiB(), rss_before, stats.batches,
      static_cast<double>(stats.consumed) / static_cast<double>(std::max<int64_t>(stats.batches, 1)));
  agg->Shutdown();
  std::filesystem::remove_all(creds.dir);
}

void Replay(const char* self) {
  const int64_t events = absl::GetFlag(FLAGS_events), children = absl::GetFlag(FLAGS_children);
  auto cluster = Must(kafka::MockCluster::Start(
      1, {{kafka::kEventsTopic, absl::GetFlag(FLAGS_partitions)}, {kafka::kDeadLetterTopic, 1}, {kafka::kAlertsTopic, 3}}));
  auto producer = Must(kafka::KafkaProducer::Create({.bootstrap_servers = cluster->bootstrap_servers()}));
  const absl::Time start = absl::Now();
  std::vector<OutboundMessage> batch;
  for (int64_t i = 0; i < events; ++i) {
    Event e = SyntheticEvent(i, children);
    e.recorded_at = e.occurred_at + absl::Minutes(1);
    batch.push_back(EventMessage(e));
    if (batch.size() == 10'000 || i + 1 == events) {
      for (const absl::Status& s : producer->PublishAll(std::move(batch))) {
        if (!s.ok()) Die(s);
      }
      batch.clear();
    }
  }
  std::cout << absl::StrFormat("replay: produced %d events over %d partitions in %.1f s\n", events,
                               absl::GetFlag(FLAGS_partitions), absl::ToDoubleSeconds(absl::Now() - start));
  std::cout.flush();
  // The rebuild runs in a process of its own, so its RSS is the aggregator's alone.
  std::vector<std::string> args = {self, "--mode=replay", absl::StrCat("--events=", events),
                                   absl::StrCat("--rebuild_from=", cluster->bootstrap_servers())};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, self, nullptr, nullptr, argv.data(), environ) != 0) Die(absl::InternalError("spawn failed"));
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) Die(absl::InternalError("the rebuild failed"));
}

}  // namespace
}  // namespace homeward::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);  // as the aggregator runs (main.cc)
  const std::string mode = absl::GetFlag(FLAGS_mode);
  if (!absl::GetFlag(FLAGS_rebuild_from).empty()) {
    homeward::bench::Rebuild(absl::GetFlag(FLAGS_rebuild_from));
  } else if (mode == "alerts") {
    homeward::bench::Alerts();
  } else if (mode == "queries") {
    homeward::bench::Queries();
  } else if (mode == "replay") {
    homeward::bench::Replay(argv[0]);
  } else {
    std::cerr << "--mode: alerts, queries or replay\n";
    return 2;
  }
  return 0;
}
