// Issue 6 end to end, over mutual TLS on the real aggregator: who may call what, need-to-know
// masks, the access log and its hash chain (tampering included), and retention purges.
#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "homeward/v1/alert_service.grpc.pb.h"
#include "homeward/v1/audit_service.grpc.pb.h"
#include "homeward/v1/chronology_service.grpc.pb.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/alerts/rules_file.h"
#include "tests/testing/events.h"
#include "tests/testing/eventually.h"
#include "tests/testing/kafka_harness.h"
#include "tests/testing/secure_stack.h"

namespace homeward {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::Eventually;
using ::homeward::testing::MakeEvent;
using ::testing::Contains;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using Code = grpc::StatusCode;

const ChildRef kCoventryChild{.nhs_number = "9990000101", .given_name = "Ash", .family_name = "Testchild"};
const ChildRef kWarwickshireChild{.la_child_id = "W-1", .local_authority = "warwickshire", .nhs_number = "9990000202"};

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(kafka_.Start(1).ok());
    auto rules = aggregator::LoadRulesFile(std::string(HOMEWARD_SOURCE_DIR) + "/config/rules.json");
    ASSERT_TRUE(rules.ok()) << rules.status();
    rules_ = *rules;
    dir_ = ::testing::TempDir() + "/security-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    Start();
    const absl::Time t = At("2026-11-20T20:00:00Z");
    Publish({MakeEvent("police.test", "MP-1", "report", 1, kCoventryChild, t,
                       MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh}),
             MakeEvent("rhi.test", "RHI-1", "interview", 1, kCoventryChild, t + absl::Hours(30),
                       ReturnInterview{.outcome = InterviewOutcome::kCompleted,
                                       .childs_own_words = "I went to my cousin's"}),
             MakeEvent("health.test", "ED-1", "note", 1, kCoventryChild, t + absl::Hours(40),
                       ChronologyNote{.kind = "unscheduled-care", .summary = "treated for a cut hand"}),
             MakeEvent("police.test", "MP-2", "report", 1, kWarwickshireChild, t,
                       MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kLow}),
             // Warwickshire's own social care says the child is theirs (the police record alone
             // could not).
             MakeEvent("lcs.warwickshire", "PL-W1", "placement", 1, kWarwickshireChild, t - absl::Hours(24 * 30),
                       PlacementChanged{.looked_after = true, .placing_authority = "warwickshire"})});
    // The health and RHI events come from agencies of those kinds.
    ASSERT_TRUE(Eventually([&] { return !aggregator_->alerts().List({}).empty(); }));
  }

  void Start() {
    auto options = testing::Secure({.kafka = kafka_.config(),
                                    .store = {.path = dir_ + "/aggregator.db"},
                                    .rules = rules_,
                                    .tick_interval = absl::Milliseconds(50),
                                    .listen_address = "127.0.0.1:0"});
    options.access_log_path = dir_ + "/access-log.db";
    options.retention = retention_;
    auto a = aggregator::Aggregator::Start(options, clock_);
    ASSERT_TRUE(a.ok()) << a.status();
    aggregator_ = *std::move(a);
    channel_ = testing::SecureChannel(aggregator_->port());
  }
  void Stop() {
    aggregator_->Shutdown();
    aggregator_.reset();
  }

  void Publish(std::vector<Event> events) {
    for (Event& e : events) {
      if (e.agency_id == "rhi.test") e.agency_kind = AgencyKind::kRhiProvider;
      if (e.agency_id == "health.test") e.agency_kind = AgencyKind::kHealth;
    }
    const size_t before = aggregator_->stats().consumed;
    ASSERT_TRUE(kafka_.Publish(events).ok());
    ASSERT_TRUE(Eventually([&] { return aggregator_->stats().consumed >= before + events.size(); }));
  }

  // Calls `rpc` as the holder of `token` (none: "") through the CLI's certificate.
  template <typename Rpc>
  grpc::Status As(const std::string& token, Rpc rpc, const std::string& purpose = "test: safeguarding check") {
    grpc::ClientContext context;
    testing::AddCaller(context, token, purpose);
    return rpc(context);
  }

  grpc::Status Chronology(const std::string& token, const std::string& child, v1::GetChronologyResponse* out = nullptr) {
    v1::GetChronologyResponse ignored;
    v1::GetChronologyRequest request;
    request.set_child(child);
    return As(token, [&](grpc::ClientContext& c) {
      return v1::ChronologyService::NewStub(channel_)->GetChronology(&c, request, out ? out : &ignored);
    });
  }
  grpc::Status Alerts(const std::string& token, const std::string& team, v1::ListAlertsResponse* out) {
    v1::ListAlertsRequest request;
    request.set_team(team);
    return As(token, [&](grpc::ClientContext& c) { return v1::AlertService::NewStub(channel_)->ListAlerts(&c, request, out); });
  }
  grpc::Status Access(const std::string& token, const std::string& child, v1::ListAccessResponse* out) {
    v1::ListAccessRequest request;
    request.set_child(child);
    return As(token, [&](grpc::ClientContext& c) { return v1::AuditService::NewStub(channel_)->ListAccess(&c, request, out); });
  }
  v1::VerifyAccessLogResponse Verify() {
    v1::VerifyAccessLogResponse response;
    EXPECT_TRUE(As(testing::AuditorToken(clock_.Now()), [&](grpc::ClientContext& c) {
                  return v1::AuditService::NewStub(channel_)->VerifyAccessLog(&c, {}, &response);
                }).ok());
    return response;
  }

  std::string coordinator() { return testing::CoordinatorToken(clock_.Now()); }
  std::string duty() { return testing::DutyToken(clock_.Now()); }
  std::string auditor() { return testing::AuditorToken(clock_.Now()); }
  std::string admin() { return testing::AdminToken(clock_.Now()); }

  FakeClock clock_{At("2026-11-23T00:00:00Z")};
  testing::KafkaHarness kafka_;
  aggregator::RuleSet rules_;
  std::string dir_;
  absl::Duration retention_ = absl::ZeroDuration();
  std::unique_ptr<aggregator::Aggregator> aggregator_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(SecurityTest, ACoordinatorReadsChildrenOfTheirAuthorityOnly) {
  EXPECT_TRUE(Chronology(coordinator(), "nhs:9990000101").ok());
  const grpc::Status other = Chronology(coordinator(), "nhs:9990000202");
  EXPECT_EQ(other.error_code(), Code::NOT_FOUND);
  EXPECT_THAT(other.error_message(), Not(HasSubstr("warwickshire")));  // not even where the child is
  // A Warwickshire coordinator is the other way round.
  const std::string warwickshire = testing::TokenFor(access::Role::kCoordinator, "cw-9", clock_.Now(), "warwickshire");
  EXPECT_TRUE(Chronology(warwickshire, "nhs:9990000202").ok());
  EXPECT_EQ(Chronology(warwickshire, "nhs:9990000101").error_code(), Code::NOT_FOUND);
  // Searching does not reveal a child outside the authority.
  v1::SearchChildrenRequest search;
  search.set_identifier("nhs:9990000202");
  v1::SearchChildrenResponse found;
  ASSERT_TRUE(As(coordinator(), [&](grpc::ClientContext& c) {
                return v1::ChronologyService::NewStub(channel_)->SearchChildren(&c, search, &found);
              }).ok());
  EXPECT_THAT(found.children(), IsEmpty());
}

// Issue 11, point 10: a caller from another authority cannot tell a child the hub holds from
// one it does not; the access log can.
TEST_F(SecurityTest, TheAnswerDoesNotSayWhetherTheHubHoldsAChildYouMayNotSee) {
  const grpc::Status held = Chronology(coordinator(), "nhs:9990000202");  // Warwickshire's
  const grpc::Status absent = Chronology(coordinator(), "nhs:9990000999");
  EXPECT_EQ(held.error_code(), absent.error_code());
  EXPECT_EQ(absl::StrReplaceAll(held.error_message(), {{"9990000202", "X"}}),
            absl::StrReplaceAll(absent.error_message(), {{"9990000999", "X"}}));
  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "", &log).ok());
  std::vector<std::string> outcomes;
  for (const auto& e : log.entries()) {
    if (e.method() == "GetChronology" && e.outcome() != "OK") outcomes.push_back(e.outcome());
  }
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_THAT(outcomes[0], HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(outcomes[1], HasSubstr("NOT_FOUND"));
}

// Issue 11, point 7: which authorities a child belongs to comes only from that authority's own
// social care; another agency's record neither widens nor narrows it, and a change is logged.
TEST_F(SecurityTest, OnlyTheAuthoritysOwnSocialCareSaysWhoseChildItIs) {
  const std::string warwickshire = testing::TokenFor(access::Role::kCoordinator, "cw-9", clock_.Now(), "warwickshire");
  // Warwickshire police's record naming Warwickshire as placing and host authority is refused
  // (police do not record placements), and so is a note claiming the child for Warwickshire.
  ChildRef claimed = kCoventryChild;
  claimed.local_authority = "warwickshire";
  claimed.la_child_id = "W-77";
  Publish({MakeEvent("police.test", "PL-X", "placement", 1, kCoventryChild, At("2026-11-21T10:00:00Z"),
                     PlacementChanged{.looked_after = true, .placing_authority = "warwickshire", .host_authority = "warwickshire"}),
           MakeEvent("police.test", "MP-9", "report", 1, claimed, At("2026-11-21T11:00:00Z"),
                     MissingReported{.category = AbsenceCategory::kMissing})});
  EXPECT_TRUE(Chronology(coordinator(), "nhs:9990000101").ok());
  EXPECT_EQ(Chronology(warwickshire, "nhs:9990000101").error_code(), Code::NOT_FOUND);
  EXPECT_EQ(aggregator_->stats().rejected_unregistered, 1);
  // Coventry's social care places the child in Warwickshire: now both see the child, and the
  // change is on the access log.
  Publish({MakeEvent("lcs.cov", "PL-1", "placement", 1, kCoventryChild, At("2026-11-22T10:00:00Z"),
                     PlacementChanged{.looked_after = true, .placing_authority = "coventry", .host_authority = "warwickshire"})});
  EXPECT_TRUE(Chronology(warwickshire, "nhs:9990000101").ok());
  EXPECT_TRUE(Chronology(coordinator(), "nhs:9990000101").ok());
  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "", &log).ok());
  // (Set-up may have logged the Warwickshire child's own change, when Warwickshire's social care
  // record arrived after the police one.) This child changed once, by Coventry's placement.
  const std::string child = *aggregator_->chronology().ResolveChild("nhs:9990000101");
  std::vector<std::string> changes;
  for (const auto& e : log.entries()) {
    if (e.action() == "authority-change" && e.child_id() == child) {
      changes.push_back(absl::StrCat(e.subject(), " ", e.detail()));
    }
  }
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_THAT(changes[0], HasSubstr("lcs.cov"));
  EXPECT_THAT(changes[0], HasSubstr("authorities coventry -> coventry, warwickshire"));
}

TEST_F(SecurityTest, EachRoleIsRefusedWhatItIsNotFor) {
  const std::string child = "nhs:9990000101";
  for (const std::string& token : {duty(), auditor(), admin()}) {
    EXPECT_EQ(Chronology(token, child).error_code(), Code::PERMISSION_DENIED);
  }
  v1::ListAlertsResponse alerts;
  EXPECT_EQ(Alerts(auditor(), "", &alerts).error_code(), Code::PERMISSION_DENIED);
  EXPECT_EQ(Alerts(admin(), "", &alerts).error_code(), Code::PERMISSION_DENIED);
  v1::ListAccessResponse access;
  EXPECT_EQ(Access(duty(), "", &access).error_code(), Code::PERMISSION_DENIED);
  EXPECT_EQ(Access(coordinator(), "", &access).error_code(), Code::PERMISSION_DENIED);  // whole log: auditors
  v1::PurgeChildRequest purge;
  purge.set_child(child);
  purge.set_reason("test");
  v1::PurgeChildResponse purged;
  for (const std::string& token : {coordinator(), duty(), auditor()}) {
    EXPECT_EQ(As(token, [&](grpc::ClientContext& c) {
                return v1::RetentionService::NewStub(channel_)->PurgeChild(&c, purge, &purged);
              }).error_code(),
              Code::PERMISSION_DENIED);
  }
  v1::DecideMatchRequest decide;
  decide.set_identifier_a(child);
  decide.set_identifier_b("nhs:9990000202");
  decide.set_decision(v1::IdentityDecision::DECISION_LINK);
  v1::DecideMatchResponse decided;
  EXPECT_EQ(As(coordinator(), [&](grpc::ClientContext& c) {
              return v1::IdentityService::NewStub(channel_)->DecideMatch(&c, decide, &decided);
            }).error_code(),
            Code::PERMISSION_DENIED);
  v1::ListProbableMatchesResponse matches;
  EXPECT_TRUE(As(admin(), [&](grpc::ClientContext& c) {
                return v1::IdentityService::NewStub(channel_)->ListProbableMatches(&c, {}, &matches);
              }).ok());
  // Systems act as themselves: an agency's publishing system reads nothing.
  grpc::ClientContext as_publisher;
  testing::AddCaller(as_publisher, "");
  v1::GetChronologyRequest request;
  request.set_child(child);
  v1::GetChronologyResponse response;
  EXPECT_EQ(v1::ChronologyService::NewStub(testing::SecureChannel(aggregator_->port(), "police.test"))
                ->GetChronology(&as_publisher, request, &response)
                .error_code(),
            Code::PERMISSION_DENIED);
}

TEST_F(SecurityTest, DutyTeamsSeeTheirOwnTeamsAlerts) {
  v1::ListAlertsResponse mine;
  ASSERT_TRUE(Alerts(duty(), "", &mine).ok());
  ASSERT_FALSE(mine.alerts().empty());
  std::vector<std::string> teams;
  for (const auto& a : mine.alerts()) teams.push_back(a.team());
  EXPECT_THAT(teams, Each(std::string("missing-children-duty")));
  // All alerts include other teams' (early help), which this team does not get.
  EXPECT_GT(aggregator_->alerts().List({}).size(), static_cast<size_t>(mine.alerts_size()));
  v1::ListAlertsResponse theirs;
  EXPECT_EQ(Alerts(duty(), "early-help", &theirs).error_code(), Code::PERMISSION_DENIED);
  // A team's own system (certificate, no token) gets its team's alerts only.
  grpc::ClientContext system;
  testing::AddCaller(system, "");
  v1::ListAlertsResponse other_team;
  ASSERT_TRUE(v1::AlertService::NewStub(testing::SecureChannel(aggregator_->port(), "duty.other-team"))
                  ->ListAlerts(&system, {}, &other_team)
                  .ok());
  EXPECT_THAT(other_team.alerts(), IsEmpty());
  // Nor may a duty worker act on another team's alert.
  std::string early_help;
  for (const aggregator::Alert& a : aggregator_->alerts().List({.team = "early-help"})) early_help = a.alert_id;
  ASSERT_FALSE(early_help.empty());
  v1::AlertActionRequest ack;
  ack.set_alert_id(early_help);
  v1::Alert after;
  EXPECT_EQ(As(duty(), [&](grpc::ClientContext& c) {
              return v1::AlertService::NewStub(channel_)->AcknowledgeAlert(&c, ack, &after);
            }).error_code(),
            Code::PERMISSION_DENIED);
}

TEST_F(SecurityTest, CallersWithoutValidCredentialsAreRefused) {
  // No token through the CLI's certificate.
  EXPECT_EQ(Chronology("", "nhs:9990000101").error_code(), Code::UNAUTHENTICATED);
  // Expired, or issued for longer than allowed.
  const std::string expired = testing::TokenFor(access::Role::kCoordinator, "cw-1", clock_.Now() - absl::Hours(9));
  EXPECT_EQ(Chronology(expired, "nhs:9990000101").error_code(), Code::UNAUTHENTICATED);
  auto long_lived = security::IssueToken({.subject = "cw-1",
                                          .role = access::Role::kCoordinator,
                                          .authority = "coventry",
                                          .issued_at = clock_.Now(),
                                          .expires_at = clock_.Now() + absl::Hours(24 * 30)},
                                         testing::Pki().token_key);
  EXPECT_EQ(Chronology(*long_lived, "nhs:9990000101").error_code(), Code::UNAUTHENTICATED);
  // Signed with another key, or altered.
  auto forged = security::IssueToken({.subject = "cw-1",
                                      .role = access::Role::kCoordinator,
                                      .authority = "coventry",
                                      .issued_at = clock_.Now(),
                                      .expires_at = clock_.Now() + absl::Hours(1)},
                                     std::string(64, 'x'));
  EXPECT_EQ(Chronology(*forged, "nhs:9990000101").error_code(), Code::UNAUTHENTICATED);
  // No purpose or an unknown lawful basis.
  EXPECT_EQ(As(coordinator(), [&](grpc::ClientContext& c) {
              v1::GetChronologyRequest r;
              r.set_child("nhs:9990000101");
              v1::GetChronologyResponse out;
              return v1::ChronologyService::NewStub(channel_)->GetChronology(&c, r, &out);
            }, "").error_code(),
            Code::INVALID_ARGUMENT);
  // A certificate from a CA the hub does not trust never gets a call through.
  grpc::ClientContext context;
  testing::AddCaller(context, coordinator());
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::GetChronologyRequest request;
  request.set_child("nhs:9990000101");
  v1::GetChronologyResponse response;
  EXPECT_EQ(v1::ChronologyService::NewStub(
                testing::SecureChannel(aggregator_->port(), "homeward-cli", testing::Pki().other_dir))
                ->GetChronology(&context, request, &response)
                .error_code(),
            Code::UNAVAILABLE);
}

TEST_F(SecurityTest, MasksWithholdWhatTheReaderDoesNotNeed) {
  v1::GetChronologyResponse as_social_worker;
  ASSERT_TRUE(Chronology(coordinator(), "nhs:9990000101", &as_social_worker).ok());
  v1::GetChronologyResponse as_police;
  // Police coordinators: a token naming their agency.
  auto police_token = security::IssueToken({.subject = "pc-77",
                                            .role = access::Role::kCoordinator,
                                            .agency = "police.west-midlands",
                                            .authority = "coventry",
                                            .issued_at = clock_.Now(),
                                            .expires_at = clock_.Now() + absl::Hours(1)},
                                           testing::Pki().token_key);
  ASSERT_TRUE(Chronology(*police_token, "nhs:9990000101", &as_police).ok());
  const auto find = [](const v1::GetChronologyResponse& r, const std::string& kind) {
    for (const auto& e : r.entries()) {
      if (e.kind() == kind) return e;
    }
    return v1::ChronologyEntry();
  };
  // Health detail is withheld from every coordinator; the attendance itself is not.
  const v1::ChronologyEntry health = find(as_social_worker, "unscheduled-care");
  EXPECT_EQ(health.event().chronology_note().summary(), "");
  EXPECT_THAT(health.masked_fields(), Contains("chronology_note.summary"));
  EXPECT_THAT(health.summary(), Not(HasSubstr("cut hand")));
  EXPECT_EQ(health.event().agency_id(), "health.test");
  // The child's own words reach social care, not police.
  EXPECT_EQ(find(as_social_worker, "return-interview").event().return_interview().childs_own_words(),
            "I went to my cousin's");
  const v1::ChronologyEntry rhi = find(as_police, "return-interview");
  EXPECT_EQ(rhi.event().return_interview().childs_own_words(), "");
  EXPECT_THAT(rhi.masked_fields(), Contains("return_interview.childs_own_words"));
  // And the access log says what was withheld.
  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "nhs:9990000101", &log).ok());
  EXPECT_THAT(log.entries(log.entries_size() - 1).detail(), HasSubstr("withheld: "));
}

TEST_F(SecurityTest, EveryChronologyReadIsOnTheAccessLogAndTheChainVerifies) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Chronology(coordinator(), "nhs:9990000101").ok());
  ASSERT_EQ(Chronology(coordinator(), "nhs:9990000202").error_code(), Code::NOT_FOUND);

  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "nhs:9990000101", &log).ok());
  int reads = 0;
  for (const auto& e : log.entries()) {
    if (e.method() != "GetChronology") continue;
    ++reads;
    EXPECT_EQ(e.subject(), "cw-1");
    EXPECT_EQ(e.role(), "coordinator");
    EXPECT_EQ(e.authority(), "coventry");
    EXPECT_EQ(e.client(), "homeward-cli");
    EXPECT_EQ(e.child_id(), "nhs:9990000101");
    EXPECT_EQ(e.purpose(), "test: safeguarding check");
    EXPECT_EQ(e.lawful_basis(), "dpa2018-sch1-para18");
    EXPECT_EQ(e.outcome(), "OK");
    EXPECT_THAT(e.detail(), HasSubstr("entries"));
  }
  EXPECT_EQ(reads, 3);
  // The refusal is on the record too (a decision not to share), under the child asked for.
  v1::ListAccessResponse refused;
  ASSERT_TRUE(Access(auditor(), "nhs:9990000202", &refused).ok());
  std::vector<std::string> refusals;
  for (const auto& e : refused.entries()) {
    if (e.method() == "GetChronology") refusals.push_back(e.outcome());
  }
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_THAT(refusals[0], HasSubstr("PERMISSION_DENIED"));
  // A coordinator may see who has looked at their child's record; the auditor's reads are there.
  v1::ListAccessResponse history;
  ASSERT_TRUE(Access(coordinator(), "nhs:9990000101", &history).ok());
  EXPECT_GE(history.entries_size(), 4);

  const v1::VerifyAccessLogResponse check = Verify();
  EXPECT_TRUE(check.intact()) << check.problem();
  EXPECT_GE(check.entries(), 7);
  EXPECT_EQ(check.head_hash().size(), 64u);
}

TEST_F(SecurityTest, ATamperedOrDeletedEntryIsDetected) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Chronology(coordinator(), "nhs:9990000101").ok());
  ASSERT_TRUE(Verify().intact());
  Stop();
  // Someone with access to the file edits who read the record.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/access-log.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE access_log SET subject = 'nobody' WHERE seq = 2", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Start();
  v1::VerifyAccessLogResponse check = Verify();
  EXPECT_FALSE(check.intact());
  EXPECT_EQ(check.first_bad_seq(), 2);
  EXPECT_THAT(check.problem(), HasSubstr("altered"));
  Stop();
  // Putting it back and deleting an entry instead breaks the chain where the gap is.
  ASSERT_EQ(sqlite3_open((dir_ + "/access-log.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE access_log SET subject = 'cw-1' WHERE seq = 2; DELETE FROM access_log WHERE seq = 3",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Start();
  check = Verify();
  EXPECT_FALSE(check.intact());
  EXPECT_EQ(check.first_bad_seq(), 3);
}

// Issue 11, point 14: the log shortened, or rewritten with the whole chain re-hashed, while the
// hub is down; the anchors (file and topic) and the seals show both, every break listed.
TEST_F(SecurityTest, ATailCutOrARehashedChainWhileTheHubIsDownIsDetected) {
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(Chronology(coordinator(), "nhs:9990000101").ok());
  const v1::VerifyAccessLogResponse before = Verify();  // anchors the head too
  ASSERT_TRUE(before.intact());
  EXPECT_GE(before.anchors_checked(), 2);  // in the file and on the topic
  const int64_t anchored = before.anchored_seq();
  Stop();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/access-log.db").c_str(), &db), SQLITE_OK);
  const std::string cut = absl::StrCat("DELETE FROM access_log WHERE seq > ", anchored - 3);
  ASSERT_EQ(sqlite3_exec(db, cut.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  Start();
  v1::VerifyAccessLogResponse check = Verify();
  EXPECT_FALSE(check.intact());
  EXPECT_THAT(check.problem(), HasSubstr("cut off the end"));
  EXPECT_EQ(check.first_bad_seq(), anchored - 2);
  Stop();
  // Now rewrite who read the record in two entries and re-hash the chain from there on, as
  // someone who knows the format but not the key would.
  ASSERT_EQ(sqlite3_open((dir_ + "/access-log.db").c_str(), &db), SQLITE_OK);
  std::vector<aggregator::AccessEntry> rows;
  {
    auto log = aggregator::AccessLog::Open(dir_ + "/access-log.db", false, std::string(32, 'x'));
    ASSERT_TRUE(log.ok());
    rows = *(*log)->Query({.limit = 10000});
  }
  std::string sql;
  std::string prev = rows[0].hash;
  for (size_t i = 1; i < rows.size(); ++i) {
    if (i == 1 || i == 3) rows[i].subject = "nobody";
    rows[i].prev_hash = prev;
    rows[i].hash = aggregator::AccessEntryHash(rows[i]);
    prev = rows[i].hash;
    absl::StrAppend(&sql, "UPDATE access_log SET subject = '", rows[i].subject, "', prev_hash = '", rows[i].prev_hash,
                    "', hash = '", rows[i].hash, "' WHERE seq = ", rows[i].seq, ";");
  }
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  Start();
  check = Verify();
  EXPECT_FALSE(check.intact());
  EXPECT_GE(check.breaks_size(), static_cast<int>(rows.size()) - 1);  // every re-hashed entry's seal
  EXPECT_THAT(check.breaks(0), HasSubstr("seal"));
}

// Issue 11, point 12: what a caller sends is kept on the access log escaped and bounded.
TEST_F(SecurityTest, CallerTextOnTheAccessLogIsEscapedAndBounded) {
  const std::string asked = "nhs:" + std::string(20000, '9') + "\x1b[2K";
  EXPECT_FALSE(Chronology(coordinator(), asked).ok());
  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "", &log).ok());
  bool found = false;
  for (const auto& e : log.entries()) {
    if (e.method() != "GetChronology" || e.outcome() == "OK") continue;
    found = true;
    EXPECT_LE(e.detail().size(), aggregator::kLoggedDetailBytes + 32);
    EXPECT_LE(e.outcome().size(), aggregator::kLoggedDetailBytes + 32);
    EXPECT_EQ(e.detail().find('\x1b'), std::string::npos);
    EXPECT_THAT(e.detail(), HasSubstr("…[cut]"));
  }
  EXPECT_TRUE(found);
}

// Issue 11, point 11: a purge is an event on the log, so a second replica forgets the child too.
TEST_F(SecurityTest, APurgeTakesEffectOnEveryReplica) {
  auto options = testing::Secure({.kafka = kafka_.config(),
                                  .store = {.path = dir_ + "/replica-b.db"},
                                  .rules = rules_,
                                  .listen_address = "127.0.0.1:0"});
  options.replica_id = "replica-b";
  auto b = aggregator::Aggregator::Start(options, clock_);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE(Eventually([&] { return (*b)->chronology().ResolveChild("nhs:9990000101").ok(); }));
  v1::PurgeChildRequest purge;
  purge.set_child("nhs:9990000101");
  purge.set_reason("retention period ended");
  v1::PurgeChildResponse purged;
  ASSERT_TRUE(As(admin(), [&](grpc::ClientContext& c) {
                return v1::RetentionService::NewStub(channel_)->PurgeChild(&c, purge, &purged);
              }).ok());
  EXPECT_TRUE(Eventually([&] { return absl::IsNotFound((*b)->chronology().ResolveChild("nhs:9990000101").status()); }));
  EXPECT_TRUE((*b)->chronology().ResolveChild("nhs:9990000202").ok());
  // And after its restart, from its own store.
  (*b)->Shutdown();
  b->reset();
  auto again = aggregator::Aggregator::Start(options, clock_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(absl::IsNotFound((*again)->chronology().ResolveChild("nhs:9990000101").status()));
}

TEST_F(SecurityTest, APurgeRemovesTheChildKeepsThemGoneAndIsLogged) {
  v1::PurgeChildRequest purge;
  purge.set_child("nhs:9990000101");
  v1::PurgeChildResponse purged;
  const auto call = [&] {
    return As(admin(), [&](grpc::ClientContext& c) {
      return v1::RetentionService::NewStub(channel_)->PurgeChild(&c, purge, &purged);
    });
  };
  EXPECT_EQ(call().error_code(), Code::INVALID_ARGUMENT);  // a purge gives its reason
  purge.set_reason("retention schedule: closed case, period ended");
  ASSERT_TRUE(call().ok());
  EXPECT_EQ(purged.child_id(), "nhs:9990000101");
  EXPECT_EQ(purged.events_purged(), 3);
  EXPECT_EQ(Chronology(coordinator(), "nhs:9990000101").error_code(), Code::NOT_FOUND);
  // Every open alert of the child is closed (once the closing records are read back from Kafka).
  EXPECT_TRUE(Eventually([&] { return aggregator_->alerts().List({.child_id = "nhs:9990000101", .open_only = true}).empty(); }));

  // Kafka redelivers the same records (a consumer rewind): they do not come back, nor after a
  // restart from the durable store.
  Publish({MakeEvent("police.test", "MP-1", "report", 1, kCoventryChild, At("2026-11-20T20:00:00Z"),
                     MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh})});
  EXPECT_EQ(Chronology(coordinator(), "nhs:9990000101").error_code(), Code::NOT_FOUND);
  Stop();
  Start();
  EXPECT_EQ(Chronology(coordinator(), "nhs:9990000101").error_code(), Code::NOT_FOUND);
  EXPECT_TRUE(Chronology(testing::TokenFor(access::Role::kCoordinator, "cw-9", clock_.Now(), "warwickshire"),
                         "nhs:9990000202")
                  .ok());

  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "nhs:9990000101", &log).ok());
  bool logged = false;
  for (const auto& e : log.entries()) {
    if (e.method() == "PurgeChild" && e.outcome() == "OK") {
      logged = true;
      EXPECT_EQ(e.subject(), "admin-1");
      EXPECT_THAT(e.detail(), HasSubstr("3 events purged"));
    }
  }
  EXPECT_TRUE(logged);
}

TEST_F(SecurityTest, TheRetentionSweepPurgesChildrenPastTheirPeriodAndLogsIt) {
  Stop();
  retention_ = absl::Hours(24 * 30);
  clock_.Set(clock_.Now() + absl::Hours(24 * 31));  // nothing received for a month
  Start();
  ASSERT_TRUE(Eventually([&] { return aggregator_->chronology().Children().empty(); }));
  EXPECT_EQ(Chronology(coordinator(), "nhs:9990000101").error_code(), Code::NOT_FOUND);
  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "", &log).ok());
  int swept = 0;
  for (const auto& e : log.entries()) {
    if (e.method() != "retention sweep") continue;
    ++swept;
    EXPECT_EQ(e.subject(), "homeward-retention");
    EXPECT_EQ(e.lawful_basis(), "retention-schedule");
    EXPECT_EQ(e.outcome(), "OK");
  }
  EXPECT_EQ(swept, 2);  // both children
}

}  // namespace
}  // namespace homeward
