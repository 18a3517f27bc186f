// Push ingest end to end: a gRPC client pushes events to IngestService, which publishes them to
// the mock cluster and answers after the delivery report; the aggregator picks them up.
#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <fstream>
#include <sstream>
#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/backpressure.h"
#include "common/codec/event_codec.h"
#include "common/domain/limits.h"
#include "common/kafka/kafka_consumer.h"
#include "common/kafka/kafka_producer.h"
#include "common/kafka/mock_cluster.h"
#include "services/aggregator/aggregator.h"
#include "common/security/tls.h"
#include "services/ingest/grpc/ingest_service.h"
#include "tests/testing/events.h"
#include "tests/testing/eventually.h"
#include "tests/testing/kafka_harness.h"
#include "tests/testing/secure_stack.h"

namespace homeward {
namespace {

using ::homeward::testing::Eventually;
using ::homeward::testing::At;
using ::homeward::testing::PoliceReport;
using ::testing::HasSubstr;

// Room for more, or not, as the test says.
class FakeBackpressure final : public Backpressure {
 public:
  void Published(int64_t messages, int64_t) override { published = messages; }
  absl::Status Check() override {
    return room ? absl::OkStatus() : absl::ResourceExhaustedError("the hub is catching up (test)");
  }
  absl::Status WaitForRoom() override { return Check(); }
  std::atomic<bool> room{true};
  std::atomic<int64_t> published{0};
};

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(kafka_.Start(3, {.message_timeout = absl::Seconds(20)}).ok());
    service_ = std::make_unique<ingest::IngestService>(kafka_.producer(), identity_, authenticator_.config().agencies,
                                                       clock_, &backpressure_);
    grpc::ServerBuilder builder;
    int port = 0;
    auto credentials = security::MutualTlsServerCredentials(security::ServerFiles(testing::Pki().dir));
    ASSERT_TRUE(credentials.ok()) << credentials.status();
    builder.AddListeningPort("127.0.0.1:0", *credentials, &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    port_ = port;
    auto aggregator =
        aggregator::Aggregator::Start(testing::Secure({.kafka = kafka_.config(), .listen_address = "127.0.0.1:0"}), clock_);
    ASSERT_TRUE(aggregator.ok());
    aggregator_ = *std::move(aggregator);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  // Pushes as the system holding certificate `client` (from `pki_dir`, default the hub's CA).
  grpc::Status Push(const Event& event, const std::string& client, absl::Duration deadline = absl::Seconds(10),
                    const std::string& pki_dir = "") {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    v1::PublishEventRequest request;
    *request.mutable_event() = ToProto(event);
    v1::PublishEventResponse response;
    return v1::IngestService::NewStub(testing::SecureChannel(port_, client, pki_dir))
        ->PublishEvent(&context, request, &response);
  }

  FakeClock clock_{testing::TestNow()};
  security::Authenticator authenticator_{testing::TestAccessConfig(), testing::Pki().token_key, clock_};
  ingest::CertificateCallerIdentity identity_{authenticator_};
  int port_ = 0;
  FakeBackpressure backpressure_;
  testing::KafkaHarness kafka_;
  std::unique_ptr<ingest::IngestService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<aggregator::Aggregator> aggregator_;
};

TEST_F(IngestTest, APushedEventIsAcknowledgedAndReachesTheChronology) {
  ASSERT_TRUE(Push(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")), "police.test").ok());
  EXPECT_TRUE(Eventually([&] { return aggregator_->stats().added == 1; }));
}

TEST_F(IngestTest, ARetriedPushIsHarmless) {
  const Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  ASSERT_TRUE(Push(e, "police.test").ok());
  ASSERT_TRUE(Push(e, "police.test").ok());
  ASSERT_TRUE(Eventually([&] { return aggregator_->stats().consumed == 2; }));
  EXPECT_EQ(aggregator_->stats().added, 1);
  EXPECT_EQ(aggregator_->stats().duplicates, 1);
}

TEST_F(IngestTest, AClientWithoutACertificateCannotConnect) {
  // TLS that trusts the hub but presents no client certificate: the handshake fails.
  auto ca = std::ifstream(testing::Pki().dir + "/ca.pem");
  std::stringstream pem;
  pem << ca.rdbuf();
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                     grpc::SslCredentials({.pem_root_certs = pem.str()}));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  v1::PublishEventRequest request;
  *request.mutable_event() = ToProto(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  v1::PublishEventResponse response;
  EXPECT_EQ(v1::IngestService::NewStub(channel)->PublishEvent(&context, request, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // Plaintext does not get in either.
  grpc::ClientContext plain_context;
  plain_context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  auto plain = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials());
  EXPECT_EQ(v1::IngestService::NewStub(plain)->PublishEvent(&plain_context, request, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(aggregator_->stats().consumed, 0);
}

TEST_F(IngestTest, ACertificateFromAnotherCaCannotConnect) {
  // Same subject, signed by a CA the hub does not trust.
  EXPECT_EQ(Push(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")), "police.test", absl::Seconds(5),
                 testing::Pki().other_dir)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(IngestTest, OnlyPublishersMayPublish) {
  const Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  // The CLI's certificate names no one without a person's token.
  EXPECT_EQ(Push(e, "homeward-cli").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // A duty team's system is known, but does not publish.
  const grpc::Status duty = Push(e, "duty.missing-children-duty");
  EXPECT_EQ(duty.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(duty.error_message(), HasSubstr("may not publish"));
}

TEST_F(IngestTest, AnAgencyPublishingAsAnotherIsRefused) {
  // police.other holds a valid certificate, but the record says it is police.test's.
  const grpc::Status s = Push(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")), "police.other");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("claims to be from 'police.test'"));
}

TEST_F(IngestTest, AnInvalidEventIsRefusedAndDeadLettered) {
  Event e = PoliceReport("MP-9", "PP-1", At("2026-10-01T19:00:00Z"));
  e.event_id = "forged-id";
  const grpc::Status s = Push(e, "police.test");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("event_id"));
  auto letter = kafka_.FirstMessage(kafka::kDeadLetterTopic);
  ASSERT_TRUE(letter.ok()) << letter.status();
  EXPECT_EQ(letter->key, "police.test/MP-9");
}

TEST_F(IngestTest, ABatchAnswersPerEvent) {
  v1::PublishEventsRequest request;
  *request.add_events() = ToProto(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  Event future = PoliceReport("MP-2", "PP-1", testing::TestNow() + absl::Hours(72));
  *request.add_events() = ToProto(future);
  *request.add_events() = ToProto(PoliceReport("MP-3", "PP-1", At("2026-10-03T19:00:00Z")));
  Event other = PoliceReport("MP-4", "PP-1", At("2026-10-04T19:00:00Z"));
  other.agency_id = "health.test";
  other.event_id = MakeEventId(other.agency_id, other.source_record, other.facet, other.revision);
  *request.add_events() = ToProto(other);
  grpc::ClientContext context;
  v1::PublishEventsResponse response;
  ASSERT_TRUE(v1::IngestService::NewStub(testing::SecureChannel(port_, "police.test"))
                  ->PublishEvents(&context, request, &response)
                  .ok());
  ASSERT_EQ(response.results_size(), 4);
  EXPECT_EQ(response.results(0).code(), 0);
  EXPECT_EQ(response.results(1).code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(response.results(2).code(), 0);
  EXPECT_EQ(response.results(3).code(), static_cast<int>(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(Eventually([&] { return aggregator_->stats().added == 2; }));
}

// ---- issue 11: what an agency system may not do, refused at once ----

TEST_F(IngestTest, AnAgencyCannotMoveAChildToItsOwnAuthority) {  // point 7
  ASSERT_TRUE(Push(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")), "police.test").ok());
  Event placement = testing::MakeEvent("police.warwickshire", "PL-1", "placement", 1, testing::PoliceChild("PP-1"),
                                       At("2026-10-02T19:00:00Z"),
                                       PlacementChanged{.looked_after = true, .placing_authority = "warwickshire",
                                                        .host_authority = "warwickshire"});
  const grpc::Status s = Push(placement, "police.warwickshire");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("may not publish placement_changed"));
}

TEST_F(IngestTest, AnAgencysKindAndRecordTypesComeFromTheConfiguration) {  // point 8
  Event note = testing::MakeEvent("health.coventry-ed", "ED-1", "note", 1, testing::PoliceChild("PP-1"),
                                  At("2026-10-02T19:00:00Z"), ChronologyNote{.kind = "school-absence", .summary = "x"});
  note.agency_kind = AgencyKind::kEducation;
  const grpc::Status labelled = Push(note, "health.coventry-ed");
  EXPECT_EQ(labelled.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(labelled.error_message(), HasSubstr("registered as health"));
  const grpc::Status interview =
      Push(testing::MakeEvent("police.test", "RHI-1", "interview", 1, testing::PoliceChild("PP-1"),
                              At("2026-10-02T19:00:00Z"), ReturnInterview{.outcome = InterviewOutcome::kCompleted}),
           "police.test");
  EXPECT_EQ(interview.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(IngestTest, AReturnBeforeItsOwnReportIsRefused) {  // point 5
  ASSERT_TRUE(Push(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")), "police.test").ok());
  const grpc::Status s = Push(testing::MakeEvent("police.test", "MP-1", "found", 1, testing::PoliceChild("PP-1"),
                                                 At("2026-10-01T17:00:00Z"), FoundReturned{}),
                              "police.test");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("before the start of its own missing report"));
}

TEST_F(IngestTest, TimesIdsAndSizesOutsideTheirLimitsAreRefused) {  // points 3, 4, 11
  Event far = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  std::get<MissingReported>(far.payload).ended_at = absl::FromCivil(absl::CivilSecond(9999, 1, 1, 0, 0, 0), absl::UTCTimeZone());
  EXPECT_THAT(Push(far, "police.test").error_message(), HasSubstr("missing_reported.ended_at"));
  Event ancient = PoliceReport("MP-2", "PP-1", At("2026-10-01T19:00:00Z"));
  std::get<MissingReported>(ancient.payload).last_seen_at = absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone());
  EXPECT_THAT(Push(ancient, "police.test").error_message(), HasSubstr("missing_reported.last_seen_at"));
  Event nul = PoliceReport(std::string("MP-\0-3", 6), "PP-1", At("2026-10-01T19:00:00Z"));
  EXPECT_THAT(Push(nul, "police.test").error_message(), HasSubstr("not printable ASCII"));
  Event big = PoliceReport("MP-4", "PP-1", At("2026-10-01T19:00:00Z"));
  std::get<MissingReported>(big.payload).last_seen_location = std::string(200 * 1024, 'a');
  EXPECT_THAT(Push(big, "police.test").error_message(), HasSubstr("over the limit"));
  v1::PublishEventsRequest many;
  for (int i = 0; i <= limits::kMaxEventsPerPush; ++i) {
    *many.add_events() = ToProto(PoliceReport(absl::StrCat("MP-B", i), "PP-1", At("2026-10-01T19:00:00Z")));
  }
  grpc::ClientContext context;
  v1::PublishEventsResponse response;
  EXPECT_EQ(v1::IngestService::NewStub(testing::SecureChannel(port_, "police.test"))->PublishEvents(&context, many, &response)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(aggregator_->stats().added, 0);
}

TEST_F(IngestTest, WhileTheHubCatchesUpAPushIsRefusedToBeRetried) {  // point 1b
  backpressure_.room = false;
  const grpc::Status s = Push(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")), "police.test");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  backpressure_.room = true;
  EXPECT_TRUE(Push(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")), "police.test").ok());
  EXPECT_TRUE(Eventually([&] { return aggregator_->stats().added == 1; }));
  EXPECT_EQ(backpressure_.published, 1);
}

TEST_F(IngestTest, APushWhileKafkaIsDownIsAnsweredOnceKafkaHasIt) {
  for (int broker = 1; broker <= 3; ++broker) rd_kafka_mock_broker_set_down(kafka_.cluster().raw(), broker);
  std::thread revive([&] {
    absl::SleepFor(absl::Seconds(2));
    for (int broker = 1; broker <= 3; ++broker) rd_kafka_mock_broker_set_up(kafka_.cluster().raw(), broker);
  });
  const absl::Time start = absl::Now();
  const grpc::Status s = Push(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")), "police.test", absl::Seconds(30));
  revive.join();
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_GE(absl::Now() - start, absl::Seconds(2));  // not acknowledged before Kafka had it
  EXPECT_TRUE(Eventually([&] { return aggregator_->stats().added == 1; }, absl::Seconds(30)));
}

}  // namespace
}  // namespace homeward
