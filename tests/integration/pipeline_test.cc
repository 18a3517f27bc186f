// The whole path: police export -> KafkaProducer -> mock Kafka -> aggregator -> gRPC client.
// Every piece is the real one; only the broker is librdkafka's mock cluster.
#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/domain/limits.h"
#include "common/kafka/client_config.h"
#include "common/kafka/kafka_consumer.h"
#include "common/kafka/kafka_producer.h"
#include "common/kafka/mock_cluster.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "homeward/v1/chronology_service.grpc.pb.h"
#include "services/adapters/domain/formats.h"
#include "services/adapters/io/csv_table.h"
#include "services/adapters/io/mapping_file.h"
#include "services/adapters/runner/export_publisher.h"
#include "services/aggregator/aggregator.h"
#include "tests/testing/events.h"
#include "tests/testing/eventually.h"
#include "tests/testing/kafka_harness.h"
#include "tests/testing/secure_stack.h"

namespace homeward {
namespace {

using ::homeward::testing::Eventually;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kRoot = HOMEWARD_SOURCE_DIR;
const std::string kSample = kRoot + "/data/samples/police_missing_persons.csv";
const std::string kPoliceMapping = kRoot + "/config/mappings/police-west-midlands.json";

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(kafka_.Start(3, {.message_timeout = absl::Seconds(5)}).ok());
    StartAggregator();
  }

  void StartAggregator() {
    auto aggregator =
        aggregator::Aggregator::Start(testing::Secure({.kafka = kafka_.config(), .listen_address = "127.0.0.1:0"}), clock_);
    ASSERT_TRUE(aggregator.ok()) << aggregator.status();
    aggregator_ = *std::move(aggregator);
    channel_ = testing::SecureChannel(aggregator_->port());
    stub_ = v1::ChronologyService::NewStub(channel_);
  }

  absl::StatusOr<adapters::ExportSummary> PublishSample(const std::string& path = kSample) {
    auto text = ReadWholeFile(path);
    if (!text.ok()) return text.status();
    auto table = adapters::ParseCsv(*text);
    if (!table.ok()) return table.status();
    auto mapping = adapters::LoadMappingFile(kPoliceMapping);
    if (!mapping.ok()) return mapping.status();
    auto format = adapters::FindFormat(mapping->format);
    const adapters::SourceMapping& m = *mapping;
    return adapters::PublishExport(
        *table, [&](const adapters::SourceRow& row, absl::Time now) { return format->map(adapters::MappedRow(row, m), now); },
        kafka_.producer(), clock_,
        {.agency_id = m.agency_id,
         .source_name = "sample",
         .required_columns = adapters::AreaColumns(m, format->required_columns),
         .initial_backoff = absl::Milliseconds(200),
         .give_up_after = absl::Seconds(60)});
  }

  grpc::Status GetChronology(const std::string& child, v1::GetChronologyResponse* response) {
    grpc::ClientContext context;
    testing::AddCaller(context, testing::CoordinatorToken(clock_.Now()));
    v1::GetChronologyRequest request;
    request.set_child(child);
    return stub_->GetChronology(&context, request, response);
  }

  int EntriesFor(const std::string& child) {
    v1::GetChronologyResponse response;
    return GetChronology(child, &response).ok() ? response.entries_size() : 0;
  }

  FakeClock clock_{testing::TestNow()};
  testing::KafkaHarness kafka_;
  std::unique_ptr<aggregator::Aggregator> aggregator_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ChronologyService::Stub> stub_;
};

TEST_F(PipelineTest, APoliceExportReachesTheChronologyOverGrpc) {
  auto summary = PublishSample();
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows_published, 6);
  EXPECT_EQ(summary->events_published, 13);

  ASSERT_TRUE(Eventually([&] { return EntriesFor("police:west-midlands/PP-100231") == 6; }));
  v1::GetChronologyResponse response;
  ASSERT_TRUE(GetChronology("nhs:9990001014", &response).ok());
  EXPECT_EQ(response.child_id(), "nhs:9990001014");
  EXPECT_THAT(response.identifiers(), ElementsAre("nhs:9990001014", "police:west-midlands/PP-100231"));
  std::vector<std::string> kinds;
  for (const auto& e : response.entries()) kinds.push_back(e.kind());
  EXPECT_THAT(kinds, ElementsAre("missing-reported", "found-returned", "missing-reported", "found-returned",
                                 "missing-reported", "found-returned"));
  EXPECT_EQ(response.entries(0).event().source_record(), "MP-26-0101");
  EXPECT_EQ(response.entries(0).event().missing_reported().category_as_recorded(), "MISSING");
  for (int i = 1; i < response.entries_size(); ++i) {
    EXPECT_LE(response.entries(i - 1).event().occurred_at().seconds(),
              response.entries(i).event().occurred_at().seconds());
  }
}

TEST_F(PipelineTest, HealthIsServingWhileRunning) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(&context, {}, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(PipelineTest, UnknownChildAndBadIdentifierGetClearErrors) {
  v1::GetChronologyResponse response;
  grpc::Status s = GetChronology("nhs:0000000000", &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  s = GetChronology("not-an-identifier", &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("scheme"));
}

TEST_F(PipelineTest, ReExportingTheSameFileAddsNothing) {
  ASSERT_TRUE(PublishSample().ok());
  ASSERT_TRUE(Eventually([&] { return aggregator_->stats().consumed == 13; }));
  ASSERT_TRUE(PublishSample().ok());
  ASSERT_TRUE(Eventually([&] { return aggregator_->stats().consumed == 26; }));
  EXPECT_EQ(aggregator_->stats().added, 13);
  EXPECT_EQ(aggregator_->stats().duplicates, 13);
  EXPECT_EQ(EntriesFor("police:west-midlands/PP-100231"), 6);
}

TEST_F(PipelineTest, ARestartedAggregatorRebuildsTheSameChronologyFromTheLog) {
  ASSERT_TRUE(PublishSample().ok());
  ASSERT_TRUE(Eventually([&] { return aggregator_->stats().consumed == 13; }));
  v1::GetChronologyResponse before;
  ASSERT_TRUE(GetChronology("police:west-midlands/PP-100388", &before).ok());
  aggregator_->Shutdown();
  aggregator_.reset();
  StartAggregator();
  ASSERT_TRUE(Eventually([&] { return aggregator_->stats().consumed == 13; }));
  v1::GetChronologyResponse after;
  ASSERT_TRUE(GetChronology("police:west-midlands/PP-100388", &after).ok());
  EXPECT_EQ(before.SerializeAsString(), after.SerializeAsString());
}

TEST_F(PipelineTest, BytesThatAreNotAnEventAreDeadLetteredAndDoNotStopTheAggregator) {
  const auto sent = kafka_.producer().PublishAll(
      {OutboundMessage{.topic = kafka::kEventsTopic, .key = "x", .value = "\x0a\xff not protobuf"}});
  ASSERT_TRUE(sent[0].ok()) << sent[0];
  ASSERT_TRUE(Eventually([&] { return aggregator_->stats().dead_lettered == 1; }));

  auto letter = kafka_.FirstMessage(kafka::kDeadLetterTopic);
  ASSERT_TRUE(letter.ok()) << letter.status();
  EXPECT_EQ(letter->value, "\x0a\xff not protobuf");  // the original bytes are kept

  ASSERT_TRUE(PublishSample().ok());  // and good events still flow
  EXPECT_TRUE(Eventually([&] { return EntriesFor("police:west-midlands/PP-100231") == 6; }));
}

TEST_F(PipelineTest, NothingIsLostWhenEveryBrokerIsDownForAWhile) {
  for (int broker = 1; broker <= 3; ++broker) rd_kafka_mock_broker_set_down(kafka_.cluster().raw(), broker);
  std::thread revive([&] {
    absl::SleepFor(absl::Seconds(3));
    for (int broker = 1; broker <= 3; ++broker) rd_kafka_mock_broker_set_up(kafka_.cluster().raw(), broker);
  });
  auto summary = PublishSample();
  revive.join();
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows_published, 6);
  EXPECT_EQ(summary->rows_failed, 0);
  ASSERT_TRUE(Eventually([&] { return aggregator_->stats().added == 13; }, absl::Seconds(30)));
  EXPECT_EQ(EntriesFor("police:west-midlands/PP-100231"), 6);
}

TEST_F(PipelineTest, ProduceRequestErrorsAreRetriedWithoutDuplicates) {
  // Transient errors on the first produce requests: the idempotent producer retries them.
  rd_kafka_mock_push_request_errors(kafka_.cluster().raw(), /*ApiKey Produce=*/0, 4,
                                    RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR__TRANSPORT,
                                    RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  auto summary = PublishSample();
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows_published, 6);
  ASSERT_TRUE(Eventually([&] { return aggregator_->stats().added == 13; }));
  absl::SleepFor(absl::Milliseconds(300));  // anything duplicated would have arrived by now
  EXPECT_EQ(aggregator_->stats().added, 13);
}

// Issue 11, point 3: eighty large records of one child (each text just under its limit) come
// back in pages that each stay under the reply limit, together every entry once.
TEST_F(PipelineTest, LargeRecordsComeBackInPagesWithinTheReplyLimit) {
  std::vector<Event> events;
  for (int i = 0; i < 80; ++i) {
    Event e = testing::PoliceReport(absl::StrCat("MP-", i), "PP-1", testing::At("2026-10-01T10:00:00Z") + absl::Hours(i));
    e.payload = ChronologyNote{.kind = "case-note", .summary = std::string(limits::kMaxLongTextBytes, 'a' + i % 26)};
    events.push_back(std::move(e));
  }
  ASSERT_TRUE(kafka_.Publish(events).ok());
  ASSERT_TRUE(Eventually([&] { return aggregator_->stats().added == 80; }));
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext context;
    testing::AddCaller(context, testing::CoordinatorToken(clock_.Now()));
    v1::GetChronologyRequest request;
    request.set_child("police:test-force/PP-1");
    request.set_page_size(1000);
    request.set_page_token(token);
    v1::GetChronologyResponse page;
    ASSERT_TRUE(stub_->GetChronology(&context, request, &page).ok());
    EXPECT_LE(page.ByteSizeLong(), limits::kMaxReplyBytes);
    EXPECT_GE(page.entries_size(), 1);
    for (const auto& e : page.entries()) EXPECT_TRUE(seen.insert(e.event().event_id()).second);
    token = page.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 80u);
  EXPECT_GE(pages, 2);
}

}  // namespace
}  // namespace homeward

namespace homeward::kafka {
namespace {

using ::testing::HasSubstr;

// deploy/kafka/client.properties cannot be tried against a TLS broker here, but every name and
// value in it must at least be one librdkafka accepts.
TEST(DeployConfig, ClientPropertiesAreAcceptedByLibrdkafka) {
  auto props = LoadProperties(std::string(HOMEWARD_SOURCE_DIR) + "/deploy/kafka/client.properties");
  ASSERT_TRUE(props.ok()) << props.status();
  EXPECT_GE(props->size(), 5u);
  auto conf = NewClientConf({.bootstrap_servers = "kafka-1:19094", .properties = *props}, {});
  ASSERT_TRUE(conf.ok()) << conf.status();
  rd_kafka_conf_destroy(*conf);
}

TEST(DeployConfig, ABadPropertyIsNamed) {
  auto conf = NewClientConf({.bootstrap_servers = "x:1", .properties = {{"security.protocol", "carrier-pigeon"}}}, {});
  EXPECT_FALSE(conf.ok());
  EXPECT_THAT(std::string(conf.status().message()), HasSubstr("security.protocol"));
}

}  // namespace
}  // namespace homeward::kafka
