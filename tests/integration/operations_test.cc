// Issue 17: an operator's view of a running aggregator. Its operations listener (plain HTTP, no
// client certificate) serves the metrics an outside client scrapes, moving as events arrive and
// calls are answered, and probes that say whether it is ready and why not.
#define CPPHTTPLIB_OPENSSL_SUPPORT  // as Debian's libcpp-httplib is built
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/metrics/http_endpoint.h"
#include "common/metrics/registry.h"
#include "common/topics.h"
#include "homeward/v1/chronology_service.grpc.pb.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/aggregator_metrics.h"
#include "tests/testing/events.h"
#include "tests/testing/eventually.h"
#include "tests/testing/kafka_harness.h"
#include "tests/testing/secure_stack.h"

namespace homeward {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::Eventually;
using ::homeward::testing::PoliceReport;
using ::testing::HasSubstr;
using ::testing::Not;

// A GET from outside the process: status and body.
std::pair<int, std::string> Get(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(5, 0);
  httplib::Result result = client.Get(path.c_str());
  if (!result) return {0, ""};
  return {result->status, result->body};
}

class OperationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(kafka_.Start(3, {.message_timeout = absl::Seconds(5)}).ok());
    auto endpoint = metrics::HttpEndpoint::Start(
        {.listen = "127.0.0.1:0", .registry = &registry_, .readiness = [this] {
           return aggregator::AggregatorReadiness(running_.load(), registry_);
         }});
    ASSERT_TRUE(endpoint.ok()) << endpoint.status();
    endpoint_ = *std::move(endpoint);
    aggregator::AggregatorOptions options{.kafka = kafka_.config(), .listen_address = "127.0.0.1:0"};
    options.metrics = &registry_;
    auto aggregator = aggregator::Aggregator::Start(testing::Secure(options), clock_);
    ASSERT_TRUE(aggregator.ok()) << aggregator.status();
    aggregator_ = *std::move(aggregator);
    running_ = aggregator_.get();
  }
  void TearDown() override {
    running_ = nullptr;
    endpoint_.reset();
  }
  std::string Metrics() { return Get(endpoint_->port(), "/metrics").second; }

  FakeClock clock_{testing::TestNow()};
  testing::KafkaHarness kafka_;
  metrics::Registry registry_;
  std::atomic<aggregator::Aggregator*> running_{nullptr};
  std::unique_ptr<metrics::HttpEndpoint> endpoint_;
  std::unique_ptr<aggregator::Aggregator> aggregator_;
};

TEST_F(OperationsTest, AnOutsideClientScrapesCountersThatMoveWithEventsAndCalls) {
  EXPECT_THAT(Metrics(), HasSubstr("homeward_events_consumed_total 0\n"));
  const absl::Time at = clock_.Now() - absl::Hours(2);
  ASSERT_TRUE(kafka_.Publish({PoliceReport("MP-1", "PP-1", at), PoliceReport("MP-2", "PP-2", at)}).ok());
  for (const absl::Status& s : kafka_.producer().PublishAll(
           {OutboundMessage{.topic = kafka::kEventsTopic, .key = "x/1", .value = "not an event"}})) {
    ASSERT_TRUE(s.ok()) << s;
  }
  ASSERT_TRUE(Eventually([&] { return absl::StrContains(Metrics(), "homeward_events_consumed_total 3\n"); }))
      << Metrics();
  std::string text = Metrics();
  EXPECT_THAT(text, HasSubstr("homeward_events_applied_total{outcome=\"added\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("homeward_events_dead_lettered_total{reason=\"invalid\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("homeward_batch_commit_seconds_count "));
  EXPECT_THAT(text, HasSubstr("homeward_consumer_lag_messages{topic=\"homeward.events.v1\",partition=\"0\"} "));
  EXPECT_THAT(text, HasSubstr("homeward_ingest_serving 1\n"));
  EXPECT_THAT(text, HasSubstr("homeward_store_wal_checkpoints_total{where=\"in_commit\"} 0\n"));

  // A coordinator's call: counted by the interceptor and on the access log's tally.
  auto stub = v1::ChronologyService::NewStub(testing::SecureChannel(aggregator_->port()));
  grpc::ClientContext context;
  testing::AddCaller(context, testing::CoordinatorToken(clock_.Now()));
  v1::GetChronologyRequest request;
  request.set_child("police:test-force/PP-1");
  v1::GetChronologyResponse response;
  ASSERT_TRUE(Eventually([&] {
    grpc::ClientContext c;
    testing::AddCaller(c, testing::CoordinatorToken(clock_.Now()));
    return stub->GetChronology(&c, request, &response).ok() && response.entries_size() == 1;
  }));
  text = Metrics();
  EXPECT_THAT(text, HasSubstr("homeward_rpc_requests_total{method=\"/homeward.v1.ChronologyService/GetChronology\","
                              "code=\"OK\"} "));
  EXPECT_THAT(text, HasSubstr("homeward_rpc_duration_seconds_count{method=\"/homeward.v1.ChronologyService/"
                              "GetChronology\"} "));
  EXPECT_THAT(text, HasSubstr("homeward_access_decisions_total{action=\"read-child\",outcome=\"OK\"} "));
  // Nothing of a child in any label or value.
  EXPECT_THAT(text, Not(HasSubstr("PP-1")));
  EXPECT_THAT(text, Not(HasSubstr("test-force")));
}

TEST_F(OperationsTest, ProbesNeedNoCertificateAndSayWhyNotReady) {
  EXPECT_EQ(Get(endpoint_->port(), "/healthz"), std::make_pair(200, std::string("ok\n")));
  EXPECT_EQ(Get(endpoint_->port(), "/readyz"), std::make_pair(200, std::string("ready\n")));
  EXPECT_EQ(Get(endpoint_->port(), "/other").first, 404);
  running_ = nullptr;  // as before Start returns
  registry_.GetGauge("homeward_replaying", "").Set(1);
  registry_.GetGauge("homeward_replay_events_done", "").Set(1200);
  registry_.GetGauge("homeward_replay_events_expected", "").Set(300000);
  EXPECT_EQ(Get(endpoint_->port(), "/readyz"),
            std::make_pair(503, std::string("not ready: starting: replaying the store (1200 of 300000 events)\n")));
  EXPECT_EQ(Get(endpoint_->port(), "/healthz").first, 200);  // alive all the same
}

TEST(HttpEndpoint, ABusyPortIsAnErrorNotShared) {
  metrics::Registry registry;
  auto first = metrics::HttpEndpoint::Start({.listen = "127.0.0.1:0", .registry = &registry});
  ASSERT_TRUE(first.ok());
  auto second = metrics::HttpEndpoint::Start(
      {.listen = absl::StrCat("127.0.0.1:", (*first)->port()), .registry = &registry});
  EXPECT_FALSE(second.ok());
}

TEST(HttpEndpoint, RefusesAnAddressThatIsNotHostAndPort) {
  metrics::Registry registry;
  EXPECT_FALSE(metrics::HttpEndpoint::Start({.listen = "127.0.0.1", .registry = &registry}).ok());
  EXPECT_FALSE(metrics::HttpEndpoint::Start({.listen = "127.0.0.1:99999", .registry = &registry}).ok());
  EXPECT_TRUE(metrics::IsLoopback("127.0.0.1"));
  EXPECT_TRUE(metrics::IsLoopback("::1"));
  EXPECT_FALSE(metrics::IsLoopback("0.0.0.0"));
  EXPECT_EQ(metrics::SplitHostPort("[::1]:9100")->first, "::1");
}

}  // namespace
}  // namespace homeward
