// In-process benchmarks of the aggregator's durable path (Google Benchmark), each next to its
// baseline on the same machine in the same run (issue 7; docs/benchmarks.md):
//   BM_RawSqliteInsert    the same rows (id, time, bytes) in 500-row WAL transactions: the floor
//   BM_DurableApply       EventIngestor::HandleBatch: decode, validate, commit (events + offsets),
//                         apply to the chronology, in 500-event batches
//   BM_DurableApplyRules  the same with the risk rules (config/rules.json) evaluated per batch
//   BM_ReplayFromStore    EventIngestor::Start: rebuilding the chronology from the SQLite store
//   BM_AlertTickWhileChildrenWait  the alert timer's tick with many children waiting, none due
//   BM_AlertCensus        the alert book's census (each metrics scrape) with many alerts held
// Arguments: events, children. Run through `make bench`.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/kafka/kafka_consumer.h"
#include "common/kafka/mock_cluster.h"
#include "common/topics.h"
#include "services/aggregator/alerts/alert_codec.h"
#include "services/aggregator/alerts/alert_coordinator.h"
#include "services/aggregator/alerts/rules_file.h"
#include "services/aggregator/audit/access_log.h"
#include "services/aggregator/grpc/chronology_reply.h"
#include "services/aggregator/grpc/conversions.h"
#include "services/aggregator/kafka/event_ingestor.h"
#include "tests/bench/workload.h"
#include "tests/testing/events.h"
#include "tests/testing/fake_publisher.h"

namespace homeward::bench {
namespace {

// As the aggregator runs (services/aggregator/main.cc): without Abseil's deadlock detection.
const bool kNoDeadlockDetection = [] {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return true;
}();

constexpr size_t kBatch = 500;  // the ingestor's default max_batch
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 11, 27, 12, 0, 0), absl::UTCTimeZone());

std::string TempDb(const std::string& name) {
  const std::string path = absl::StrCat(std::filesystem::temp_directory_path().string(), "/homeward-bench-", name, ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

// Workloads are built once per size and shared by the benchmarks.
const std::vector<std::string>& Workload(int64_t n, int64_t children) {
  static auto* cache = new std::map<std::pair<int64_t, int64_t>, std::vector<std::string>>;
  auto [it, fresh] = cache->try_emplace({n, children});
  if (fresh) it->second = EncodedWorkload(n, children);
  return it->second;
}

std::vector<std::vector<kafka::ConsumedMessage>> Batches(const std::vector<std::string>& events) {
  std::vector<std::vector<kafka::ConsumedMessage>> batches;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i % kBatch == 0) batches.emplace_back();
    batches.back().push_back({.tp = {kafka::kEventsTopic, static_cast<int32_t>(i % 6)},
                              .offset = static_cast<int64_t>(i / 6),
                              .key = "",
                              .value = events[i]});
  }
  return batches;
}

kafka::MockCluster& Cluster() {
  static auto* cluster = kafka::MockCluster::Start(1, kafka::HomewardTopics())->release();
  return *cluster;
}

void BM_RawSqliteInsert(benchmark::State& state) {
  const auto& events = Workload(state.range(0), state.range(1));
  for (auto _ : state) {
    state.PauseTiming();
    const std::string path = TempDb("raw");
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE events (event_id TEXT PRIMARY "
                 "KEY, received_at_us INTEGER NOT NULL, body BLOB NOT NULL) WITHOUT ROWID;",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO events VALUES (?1, ?2, ?3)", -1, &insert, nullptr);
    // The same ids the aggregator stores (decoding them is the aggregator's work, not SQLite's).
    std::vector<std::string> ids;
    for (int64_t i = 0; i < state.range(0); ++i) ids.push_back(SyntheticEvent(i, state.range(1)).event_id);
    state.ResumeTiming();
    for (size_t i = 0; i < events.size(); ++i) {
      if (i % kBatch == 0) sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
      sqlite3_reset(insert);
      sqlite3_bind_text(insert, 1, ids[i].data(), static_cast<int>(ids[i].size()), SQLITE_STATIC);
      sqlite3_bind_int64(insert, 2, absl::ToUnixMicros(kNow));
      sqlite3_bind_blob(insert, 3, events[i].data(), static_cast<int>(events[i].size()), SQLITE_STATIC);
      if (sqlite3_step(insert) != SQLITE_DONE) state.SkipWithError("insert failed");
      if (i % kBatch == kBatch - 1 || i + 1 == events.size()) sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    state.PauseTiming();
    sqlite3_finalize(insert);
    sqlite3_close(db);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The agency the workload publishes as, registered as the aggregator requires.
const AgencyRegistry& Agencies() {
  static const auto* registry = [] {
    auto* r = new AgencyRegistry();
    r->Register("police.test", {.kind = AgencyKind::kPolice, .records = DefaultRecords(AgencyKind::kPolice)});
    return r;
  }();
  return *registry;
}
// Stored events are sealed with a key, as in the aggregator (its HMAC is part of what is measured).
const std::string kStoreKey(32, 'k');

void DurableApply(benchmark::State& state, bool with_rules) {
  const auto batches = Batches(Workload(state.range(0), state.range(1)));
  const FakeClock clock(kNow);
  auto consumer = kafka::KafkaConsumer::Create({.bootstrap_servers = Cluster().bootstrap_servers()});
  auto rules = aggregator::LoadRulesFile(std::string(HOMEWARD_SOURCE_DIR) + "/config/rules.json");
  if (!consumer.ok() || !rules.ok()) {
    state.SkipWithError("setup failed");
    return;
  }
  double peak = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto store = aggregator::SqliteEventStore::Open({.path = TempDb("apply"), .integrity_key = kStoreKey});
    auto chronology = std::make_unique<aggregator::ChronologyStore>();
    testing::FakePublisher publisher;
    aggregator::EventIngestor ingestor(**consumer, publisher, **store, *chronology, Agencies(), clock);
    std::unique_ptr<aggregator::AlertCoordinator> alerts;
    if (with_rules) {
      alerts = std::make_unique<aggregator::AlertCoordinator>(*rules, *chronology, publisher, clock);
      ingestor.add_sink(alerts.get());
    }
    state.ResumeTiming();
    for (const auto& batch : batches) {
      if (!ingestor.HandleBatch(batch).ok()) state.SkipWithError("batch failed");
    }
    state.PauseTiming();
    if (ingestor.stats().added != state.range(0)) state.SkipWithError("not every event was applied");
    peak = PeakRssMiB();
    alerts.reset();
    chronology.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["peak_rss_MiB"] = peak;
}

void BM_DurableApply(benchmark::State& state) { DurableApply(state, false); }
void BM_DurableApplyRules(benchmark::State& state) { DurableApply(state, true); }

void BM_ReplayFromStore(benchmark::State& state) {
  const std::string path = TempDb(absl::StrCat("replay-", state.range(0)));
  const FakeClock clock(kNow);
  {
    auto store = aggregator::SqliteEventStore::Open({.path = path, .integrity_key = kStoreKey});
    auto consumer = kafka::KafkaConsumer::Create({.bootstrap_servers = Cluster().bootstrap_servers()});
    aggregator::ChronologyStore chronology;
    testing::FakePublisher publisher;
    aggregator::EventIngestor ingestor(**consumer, publisher, **store, chronology, Agencies(), clock);
    for (const auto& batch : Batches(Workload(state.range(0), state.range(1)))) (void)ingestor.HandleBatch(batch);
  }
  double resident = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto store = aggregator::SqliteEventStore::Open({.path = path, .integrity_key = kStoreKey});
    auto consumer = kafka::KafkaConsumer::Create({.bootstrap_servers = Cluster().bootstrap_servers()});
    auto chronology = std::make_unique<aggregator::ChronologyStore>();
    testing::FakePublisher publisher;
    aggregator::EventIngestor ingestor(**consumer, publisher, **store, *chronology, Agencies(), clock);
    const double before = RssMiB();
    state.ResumeTiming();
    if (!ingestor.Start(absl::Seconds(10)).ok()) state.SkipWithError("replay failed");
    state.PauseTiming();
    if (ingestor.stats().replayed != state.range(0)) state.SkipWithError("replayed a different count");
    // What the rebuilt chronology keeps resident, per event (the memory target).
    resident = (RssMiB() - before) * 1024 * 1024 / static_cast<double>(state.range(0));
    chronology.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["resident_B_per_event"] = resident;
}

// The alert timer's tick (once a second) while `children` children each wait for a rule to fall
// due later (an open episode: long-missing at 24 hours) and nothing is due yet.
void BM_AlertTickWhileChildrenWait(benchmark::State& state) {
  const int64_t children = state.range(0);
  FakeClock clock(kNow);
  auto rules = aggregator::LoadRulesFile(std::string(HOMEWARD_SOURCE_DIR) + "/config/rules.json");
  if (!rules.ok()) {
    state.SkipWithError("setup failed");
    return;
  }
  aggregator::ChronologyStore chronology;
  testing::FakePublisher publisher;
  aggregator::AlertCoordinator alerts(*rules, chronology, publisher, clock);
  std::vector<Event> batch;
  for (int64_t i = 0; i < children; ++i) {
    batch.push_back(testing::MakeEvent("police.test", absl::StrCat("MP-", i), "report", 1,
                                       testing::PoliceChild(absl::StrCat("PP-", i)), kNow - absl::Hours(1),
                                       MissingReported{.category = AbsenceCategory::kMissing,
                                                       .category_as_recorded = "MISSING",
                                                       .risk_grade = RiskGrade::kLow}));
    chronology.Apply(batch.back(), kNow);
    if (batch.size() == kBatch || i + 1 == children) {
      alerts.OnEventsApplied(batch);
      batch.clear();
    }
  }
  if (alerts.waiting_children() != static_cast<size_t>(children)) {
    state.SkipWithError(absl::StrCat(alerts.waiting_children(), " children wait, not ", children).c_str());
    return;
  }
  for (auto _ : state) alerts.Tick();
  if (!publisher.accepted.empty()) state.SkipWithError("a tick published something: it was not idle");
}

// The alert book's census (read at each metrics scrape, under the coordinator's lock) with
// `alerts` alerts held: a quarter acknowledged, one in ten escalated, the rest raised.
void BM_AlertCensus(benchmark::State& state) {
  const FakeClock clock(kNow);
  aggregator::RuleSet rules;
  aggregator::ChronologyStore chronology;
  testing::FakePublisher publisher;
  aggregator::AlertCoordinator alerts(rules, chronology, publisher, clock);
  auto stored = [&, offset = int64_t{0}](const aggregator::AlertRecord& record) mutable {
    alerts.OnAlertRecord({.epoch = 0, .partition = 0, .offset = offset++, .bytes = aggregator::AlertRecordMessage(record).value});
  };
  for (int64_t i = 0; i < state.range(0); ++i) {
    const std::string id = absl::StrCat("repeat-missing:police.test/MP-", i);
    stored(aggregator::Alert{.alert_id = id,
                             .child_id = aggregator::ChildId(absl::StrCat("police:test/PP-", i)),
                             .rule_id = "repeat-missing",
                             .rule_version = 1,
                             .severity = i % 3 == 0 ? "strategy meeting" : "escalation",
                             .team = "missing-children-duty",
                             .raised_at = kNow - absl::Minutes(i % 10'000),
                             .triggered_by_event_time = kNow - absl::Hours(1),
                             .due_at = kNow - absl::Hours(1),
                             .reason = "3 episodes within 90 days"});
    if (i % 4 == 0) {
      stored(aggregator::AlertTransition{.alert_id = id, .kind = aggregator::TransitionKind::kAcknowledge, .by = "sw-1", .at = kNow});
    } else if (i % 10 == 1) {
      stored(aggregator::AlertTransition{.alert_id = id, .kind = aggregator::TransitionKind::kEscalate, .by = "homeward", .at = kNow});
    }
  }
  int64_t counted = 0;
  for (auto _ : state) {
    const aggregator::AlertCensus census = alerts.Census();
    counted = 0;
    for (const auto& [key, n] : census.by_state_and_severity) counted += n;
    benchmark::DoNotOptimize(census);
  }
  if (counted != state.range(0)) state.SkipWithError(absl::StrCat("counted ", counted).c_str());
}

// Where a GetChronology's server time goes, piece by piece, for a child with `entries` entries.
aggregator::ChronologyStore& OneChild(int64_t entries) {
  static auto* stores = new std::map<int64_t, std::unique_ptr<aggregator::ChronologyStore>>;
  auto& store = (*stores)[entries];
  if (store == nullptr) {
    store = std::make_unique<aggregator::ChronologyStore>();
    for (int64_t i = 0; i < entries; ++i) store->Apply(SyntheticEvent(i, 1), kNow);
  }
  return *store;
}
void BM_ChronologyFacts(benchmark::State& state) {  // what the access check reads
  auto& store = OneChild(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(store.Facts(SyntheticChild(0)));
}
void BM_ChronologyQuery(benchmark::State& state) {
  auto& store = OneChild(state.range(0));
  for (auto _ : state) {
    benchmark::DoNotOptimize(store.Query({.child = SyntheticChild(0), .page_size = static_cast<int>(state.range(0))}));
  }
}
void BM_ChronologyToProto(benchmark::State& state) {
  auto page = OneChild(state.range(0)).Query({.child = SyntheticChild(0), .page_size = static_cast<int>(state.range(0))});
  for (auto _ : state) {
    v1::GetChronologyResponse response;
    aggregator::ToProto(*page, &response);
    benchmark::DoNotOptimize(response.SerializeAsString());
  }
}
// The reply as GetChronology now makes it (chronology_reply.h), with a coordinator's masks, and
// what the client then does with it: parse 200 nested entries (the echo's reply is one field).
const std::vector<access::MaskRule> kCoordinatorMasks = {{.agency_kind = "health", .field = "chronology_note.summary"},
                                                         {.field = "philomena_profile"}};
std::string AssembledReply(int64_t entries, aggregator::EntryWireCache& cache) {
  std::string bytes;
  (void)OneChild(entries).VisitPage(
      {.child = SyntheticChild(0), .page_size = static_cast<int>(entries)},
      [&](const aggregator::ChronologyPage& head, absl::Span<const aggregator::ChronologyEntry* const> page) {
        bytes = aggregator::AssembleChronologyReply(head, page, cache, kCoordinatorMasks,
                                                    {.role = access::Role::kCoordinator, .authority = "coventry"})
                    .bytes;
      });
  return bytes;
}
void BM_ChronologyReplyAssembled(benchmark::State& state) {
  aggregator::EntryWireCache cache;
  for (auto _ : state) benchmark::DoNotOptimize(AssembledReply(state.range(0), cache));
}
void BM_ChronologyReplyClientParse(benchmark::State& state) {
  aggregator::EntryWireCache cache;
  const std::string bytes = AssembledReply(state.range(0), cache);
  for (auto _ : state) {
    v1::GetChronologyResponse response;
    benchmark::DoNotOptimize(response.ParseFromString(bytes));
  }
  state.counters["reply_bytes"] = static_cast<double>(bytes.size());
}
void BM_AccessLogAppend(benchmark::State& state) {
  auto log = aggregator::AccessLog::Open(TempDb("access"), false, kStoreKey);
  for (auto _ : state) {
    (void)(*log)->Append({.at = kNow, .subject = "cw-1", .role = "coordinator", .action = "read-child",
                          .method = "GetChronology", .child_id = SyntheticChild(0), .detail = "200 of 200 entries",
                          .purpose = "load test", .lawful_basis = "dpa2018-sch1-para18", .outcome = "OK"});
  }
}
// A live batch's commit: 4 events (the median batch at 1,000 events/s) and the offsets of the
// nine partitions read (six of events, three of alerts), two of which moved.
void BM_StoreCommitLiveBatch(benchmark::State& state) {
  auto store = aggregator::SqliteEventStore::Open({.path = TempDb("commit"), .integrity_key = kStoreKey});
  const std::string body = EncodedWorkload(1, 1).front();
  NextOffsets offsets;
  for (int32_t p = 0; p < 6; ++p) offsets[{kafka::kEventsTopic, p}] = 0;
  for (int32_t p = 0; p < 3; ++p) offsets[{kafka::kAlertsTopic, p}] = 0;
  int64_t n = 0;
  for (auto _ : state) {
    std::vector<aggregator::StoredEvent> events;
    for (int i = 0; i < 4; ++i, ++n) {
      events.push_back({.event_id = absl::StrCat("police.test/R-", n, "/report@1"), .bytes = body,
                        .received_at = kNow, .partition = static_cast<int32_t>(n % 6), .offset = n / 6});
      offsets[{kafka::kEventsTopic, static_cast<int32_t>(n % 6)}] = n / 6 + 1;
    }
    if (!(*store)->Commit(events, {}, offsets).ok()) state.SkipWithError("commit failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StoreCommitLiveBatch)->Unit(benchmark::kMicrosecond);

BENCHMARK(BM_ChronologyFacts)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ChronologyQuery)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ChronologyToProto)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ChronologyReplyAssembled)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ChronologyReplyClientParse)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AccessLogAppend)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AlertCensus)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AlertTickWhileChildrenWait)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

// Growth: 10 k, 100 k and 1 M events; 100, 10 k and 100 k children.
void Sizes(benchmark::internal::Benchmark* b) {
  b->Args({10'000, 100})->Args({100'000, 10'000})->Args({1'000'000, 100'000});
  b->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
}
BENCHMARK(BM_RawSqliteInsert)->Apply(Sizes);
BENCHMARK(BM_DurableApply)->Apply(Sizes);
BENCHMARK(BM_DurableApplyRules)->Apply(Sizes);
BENCHMARK(BM_ReplayFromStore)->Apply(Sizes);

}  // namespace
}  // namespace homeward::bench

BENCHMARK_MAIN();
