// Issue 11, "who may see a child" and "integrity", tried as an attacker with an agency
// certificate or with the files would: authorities only from an authority's own social care,
// no existence oracle, caller text bounded on the access log, a shortened or re-hashed log
// found, purges on every replica.
#include "tests/integration/security_fixture.h"

namespace homeward {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::Code;
using ::homeward::testing::Eventually;
using ::homeward::testing::kCoventryChild;
using ::homeward::testing::kWarwickshireChild;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::SecurityTest;
using ::testing::Contains;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Issue 11, point 10: a caller from another authority cannot tell a child the hub holds from
// one it does not; the access log can.
TEST_F(SecurityTest, TheAnswerDoesNotSayWhetherTheHubHoldsAChildYouMayNotSee) {
  const grpc::Status held = Chronology(coordinator(), "nhs:9990000204");  // Warwickshire's
  const grpc::Status absent = Chronology(coordinator(), "nhs:9990000999");
  EXPECT_EQ(held.error_code(), absent.error_code());
  EXPECT_EQ(absl::StrReplaceAll(held.error_message(), {{"9990000204", "X"}}),
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
  EXPECT_TRUE(Chronology(coordinator(), "nhs:9990000107").ok());
  EXPECT_EQ(Chronology(warwickshire, "nhs:9990000107").error_code(), Code::NOT_FOUND);
  EXPECT_EQ(aggregator_->stats().rejected_unregistered, 1);
  // Coventry's social care places the child in Warwickshire: now both see the child, and the
  // change is on the access log.
  Publish({MakeEvent("lcs.cov", "PL-1", "placement", 1, kCoventryChild, At("2026-11-22T10:00:00Z"),
                     PlacementChanged{.looked_after = true, .placing_authority = "coventry", .host_authority = "warwickshire"})});
  EXPECT_TRUE(Chronology(warwickshire, "nhs:9990000107").ok());
  EXPECT_TRUE(Chronology(coordinator(), "nhs:9990000107").ok());
  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "", &log).ok());
  // (Set-up may have logged the Warwickshire child's own change, when Warwickshire's social care
  // record arrived after the police one.) This child changed once, by Coventry's placement.
  const std::string child = aggregator_->chronology().ResolveChild("nhs:9990000107")->value();
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

// Issue 11, point 14: the log shortened, or rewritten with the whole chain re-hashed, while the
// hub is down; the anchors (file and topic) and the seals show both, every break listed.
TEST_F(SecurityTest, ATailCutOrARehashedChainWhileTheHubIsDownIsDetected) {
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(Chronology(coordinator(), "nhs:9990000107").ok());
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
  ASSERT_TRUE(Eventually([&] { return (*b)->chronology().ResolveChild("nhs:9990000107").ok(); }));
  v1::PurgeChildRequest purge;
  purge.set_child("nhs:9990000107");
  purge.set_reason("retention period ended");
  v1::PurgeChildResponse purged;
  ASSERT_TRUE(As(admin(), [&](grpc::ClientContext& c) {
                return v1::RetentionService::NewStub(channel_)->PurgeChild(&c, purge, &purged);
              }).ok());
  EXPECT_TRUE(Eventually([&] { return absl::IsNotFound((*b)->chronology().ResolveChild("nhs:9990000107").status()); }));
  EXPECT_TRUE((*b)->chronology().ResolveChild("nhs:9990000204").ok());
  // And after its restart, from its own store.
  (*b)->Shutdown();
  b->reset();
  auto again = aggregator::Aggregator::Start(options, clock_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(absl::IsNotFound((*again)->chronology().ResolveChild("nhs:9990000107").status()));
}

}  // namespace
}  // namespace homeward
