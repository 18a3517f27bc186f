// Issue 6: only the right people see a child's record, and every access is on the record
// (docs/security.md). The locked-down aggregator is security_fixture.h's.
#include "tests/integration/security_fixture.h"

#include "absl/strings/match.h"

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

TEST_F(SecurityTest, ACoordinatorReadsChildrenOfTheirAuthorityOnly) {
  EXPECT_TRUE(Chronology(coordinator(), "nhs:9990000107").ok());
  const grpc::Status other = Chronology(coordinator(), "nhs:9990000204");
  EXPECT_EQ(other.error_code(), Code::NOT_FOUND);
  EXPECT_THAT(other.error_message(), Not(HasSubstr("warwickshire")));  // not even where the child is
  // A Warwickshire coordinator is the other way round.
  const std::string warwickshire = testing::TokenFor(access::Role::kCoordinator, "cw-9", clock_.Now(), "warwickshire");
  EXPECT_TRUE(Chronology(warwickshire, "nhs:9990000204").ok());
  EXPECT_EQ(Chronology(warwickshire, "nhs:9990000107").error_code(), Code::NOT_FOUND);
  // Searching does not reveal a child outside the authority.
  v1::SearchChildrenRequest search;
  search.set_identifier("nhs:9990000204");
  v1::SearchChildrenResponse found;
  ASSERT_TRUE(As(coordinator(), [&](grpc::ClientContext& c) {
                return v1::ChronologyService::NewStub(channel_)->SearchChildren(&c, search, &found);
              }).ok());
  EXPECT_THAT(found.children(), IsEmpty());
}

TEST_F(SecurityTest, EachRoleIsRefusedWhatItIsNotFor) {
  const std::string child = "nhs:9990000107";
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
  decide.set_identifier_b("nhs:9990000204");
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
  EXPECT_GT(testing::AllAlerts(aggregator_->alerts()).size(), static_cast<size_t>(mine.alerts_size()));
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
  for (const aggregator::Alert& a : testing::AllAlerts(aggregator_->alerts(), {.team = "early-help"})) early_help = a.alert_id;
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
  EXPECT_EQ(Chronology("", "nhs:9990000107").error_code(), Code::UNAUTHENTICATED);
  // Expired, or issued for longer than allowed.
  const std::string expired = testing::TokenFor(access::Role::kCoordinator, "cw-1", clock_.Now() - absl::Hours(9));
  EXPECT_EQ(Chronology(expired, "nhs:9990000107").error_code(), Code::UNAUTHENTICATED);
  auto long_lived = security::IssueToken({.subject = "cw-1",
                                          .role = access::Role::kCoordinator,
                                          .authority = "coventry",
                                          .issued_at = clock_.Now(),
                                          .expires_at = clock_.Now() + absl::Hours(24 * 30)},
                                         testing::Pki().token_key);
  EXPECT_EQ(Chronology(*long_lived, "nhs:9990000107").error_code(), Code::UNAUTHENTICATED);
  // Signed with another key, or altered.
  auto forged = security::IssueToken({.subject = "cw-1",
                                      .role = access::Role::kCoordinator,
                                      .authority = "coventry",
                                      .issued_at = clock_.Now(),
                                      .expires_at = clock_.Now() + absl::Hours(1)},
                                     std::string(64, 'x'));
  EXPECT_EQ(Chronology(*forged, "nhs:9990000107").error_code(), Code::UNAUTHENTICATED);
  // No purpose or an unknown lawful basis.
  EXPECT_EQ(As(coordinator(), [&](grpc::ClientContext& c) {
              v1::GetChronologyRequest r;
              r.set_child("nhs:9990000107");
              v1::GetChronologyResponse out;
              return v1::ChronologyService::NewStub(channel_)->GetChronology(&c, r, &out);
            }, "").error_code(),
            Code::INVALID_ARGUMENT);
  // A certificate from a CA the hub does not trust never gets a call through.
  grpc::ClientContext context;
  testing::AddCaller(context, coordinator());
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::GetChronologyRequest request;
  request.set_child("nhs:9990000107");
  v1::GetChronologyResponse response;
  EXPECT_EQ(v1::ChronologyService::NewStub(
                testing::SecureChannel(aggregator_->port(), "homeward-cli", testing::Pki().other_dir))
                ->GetChronology(&context, request, &response)
                .error_code(),
            Code::UNAVAILABLE);
}

TEST_F(SecurityTest, MasksWithholdWhatTheReaderDoesNotNeed) {
  v1::GetChronologyResponse as_social_worker;
  ASSERT_TRUE(Chronology(coordinator(), "nhs:9990000107", &as_social_worker).ok());
  v1::GetChronologyResponse as_police;
  // Police coordinators: a token naming their agency.
  auto police_token = security::IssueToken({.subject = "pc-77",
                                            .role = access::Role::kCoordinator,
                                            .agency = "police.west-midlands",
                                            .authority = "coventry",
                                            .issued_at = clock_.Now(),
                                            .expires_at = clock_.Now() + absl::Hours(1)},
                                           testing::Pki().token_key);
  ASSERT_TRUE(Chronology(*police_token, "nhs:9990000107", &as_police).ok());
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
  ASSERT_TRUE(Access(auditor(), "nhs:9990000107", &log).ok());
  EXPECT_THAT(log.entries(log.entries_size() - 1).detail(), HasSubstr("withheld: "));
}

TEST_F(SecurityTest, EveryChronologyReadIsOnTheAccessLogAndTheChainVerifies) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Chronology(coordinator(), "nhs:9990000107").ok());
  ASSERT_EQ(Chronology(coordinator(), "nhs:9990000204").error_code(), Code::NOT_FOUND);

  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "nhs:9990000107", &log).ok());
  int reads = 0;
  for (const auto& e : log.entries()) {
    if (e.method() != "GetChronology") continue;
    ++reads;
    EXPECT_EQ(e.subject(), "cw-1");
    EXPECT_EQ(e.role(), "coordinator");
    EXPECT_EQ(e.authority(), "coventry");
    EXPECT_EQ(e.client(), "homeward-cli");
    EXPECT_EQ(e.child_id(), "nhs:9990000107");
    EXPECT_EQ(e.purpose(), "test: safeguarding check");
    EXPECT_EQ(e.lawful_basis(), "dpa2018-sch1-para18");
    EXPECT_EQ(e.outcome(), "OK");
    EXPECT_THAT(e.detail(), HasSubstr("entries"));
  }
  EXPECT_EQ(reads, 3);
  // The refusal is on the record too (a decision not to share), under the child asked for.
  v1::ListAccessResponse refused;
  ASSERT_TRUE(Access(auditor(), "nhs:9990000204", &refused).ok());
  std::vector<std::string> refusals;
  for (const auto& e : refused.entries()) {
    if (e.method() == "GetChronology") refusals.push_back(e.outcome());
  }
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_THAT(refusals[0], HasSubstr("PERMISSION_DENIED"));
  // A coordinator may see who has looked at their child's record; the auditor's reads are there.
  v1::ListAccessResponse history;
  ASSERT_TRUE(Access(coordinator(), "nhs:9990000107", &history).ok());
  EXPECT_GE(history.entries_size(), 4);

  const v1::VerifyAccessLogResponse check = Verify();
  EXPECT_TRUE(check.intact()) << check.problem();
  EXPECT_GE(check.entries(), 7);
  EXPECT_EQ(check.head_hash().size(), 64u);
}

TEST_F(SecurityTest, ATamperedOrDeletedEntryIsDetected) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Chronology(coordinator(), "nhs:9990000107").ok());
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

TEST_F(SecurityTest, APurgeRemovesTheChildKeepsThemGoneAndIsLogged) {
  v1::PurgeChildRequest purge;
  purge.set_child("nhs:9990000107");
  v1::PurgeChildResponse purged;
  const auto call = [&] {
    return As(admin(), [&](grpc::ClientContext& c) {
      return v1::RetentionService::NewStub(channel_)->PurgeChild(&c, purge, &purged);
    });
  };
  EXPECT_EQ(call().error_code(), Code::INVALID_ARGUMENT);  // a purge gives its reason
  purge.set_reason("retention schedule: closed case, period ended");
  ASSERT_TRUE(call().ok());
  EXPECT_EQ(purged.child_id(), "nhs:9990000107");
  EXPECT_EQ(purged.events_purged(), 3);
  EXPECT_EQ(Chronology(coordinator(), "nhs:9990000107").error_code(), Code::NOT_FOUND);
  // Every open alert of the child is closed (once the closing records are read back from Kafka).
  EXPECT_TRUE(Eventually([&] { return testing::AllAlerts(aggregator_->alerts(), {.child_ids = {"nhs:9990000107"}, .states = testing::OpenStates()}).empty(); }));

  // Kafka redelivers the same records (a consumer rewind): they do not come back, nor after a
  // restart from the durable store.
  Publish({MakeEvent("police.test", "MP-1", "report", 1, kCoventryChild, At("2026-11-20T20:00:00Z"),
                     MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh})});
  EXPECT_EQ(Chronology(coordinator(), "nhs:9990000107").error_code(), Code::NOT_FOUND);
  Stop();
  Start();
  EXPECT_EQ(Chronology(coordinator(), "nhs:9990000107").error_code(), Code::NOT_FOUND);
  EXPECT_TRUE(Chronology(testing::TokenFor(access::Role::kCoordinator, "cw-9", clock_.Now(), "warwickshire"),
                         "nhs:9990000204")
                  .ok());

  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "nhs:9990000107", &log).ok());
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
  EXPECT_EQ(Chronology(coordinator(), "nhs:9990000107").error_code(), Code::NOT_FOUND);
  // Both children's sweeps are on the access log (the second may reach it a moment after the
  // chronology empties, under load).
  v1::ListAccessResponse log;
  const auto sweeps = [&] {
    int swept = 0;
    log.Clear();
    if (!Access(auditor(), "", &log).ok()) return -1;
    for (const auto& e : log.entries()) swept += e.method() == "retention sweep";
    return swept;
  };
  ASSERT_TRUE(Eventually([&] { return sweeps() == 2; })) << "sweeps logged: " << sweeps();
  for (const auto& e : log.entries()) {
    if (e.method() != "retention sweep") continue;
    EXPECT_EQ(e.subject(), "homeward-retention");
    EXPECT_EQ(e.lawful_basis(), "retention-schedule");
    EXPECT_EQ(e.outcome(), "OK");
  }
}

}  // namespace
}  // namespace homeward

namespace homeward {
namespace {

using ::testing::HasSubstr;
using Code = grpc::StatusCode;

// Issue 13: the web workspace signs a person in by asking the hub who they are.
TEST_F(SecurityTest, APersonAsksWhoTheHubTakesThemForAndItIsOnTheLog) {
  const auto who_am_i = [&](const std::string& token, v1::WhoAmIResponse* out) {
    return As(token, [&](grpc::ClientContext& c) { return v1::AccountService::NewStub(channel_)->WhoAmI(&c, {}, out); });
  };
  v1::WhoAmIResponse me;
  ASSERT_TRUE(who_am_i(duty(), &me).ok());
  EXPECT_EQ(me.subject(), "duty-1");
  EXPECT_EQ(me.role(), "duty_team");
  EXPECT_EQ(me.team(), "missing-children-duty");
  EXPECT_TRUE(me.has_expires_at());
  EXPECT_TRUE(me.lawful_bases().contains("dpa2018-sch1-para18"));
  EXPECT_EQ(who_am_i("", &me).error_code(), Code::UNAUTHENTICATED);
  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "", &log).ok());
  bool signed_in = false;
  for (const auto& e : log.entries()) signed_in |= e.method() == "WhoAmI" && e.subject() == "duty-1" && e.outcome() == "OK";
  EXPECT_TRUE(signed_in);
}

// Issue 13: a duty worker follows an alert to the records that caused it, and no further.
TEST_F(SecurityTest, ADutyTeamReadsTheRecordsThatCausedItsAlertsOnly) {
  const auto records = [&](const std::string& token, const std::string& alert, v1::AlertRecordsResponse* out) {
    v1::AlertRecordsRequest request;
    request.set_alert_id(alert);
    return As(token, [&](grpc::ClientContext& c) { return v1::AlertService::NewStub(channel_)->GetAlertRecords(&c, request, out); });
  };
  v1::ListAlertsResponse mine;
  ASSERT_TRUE(Alerts(duty(), "", &mine).ok());
  ASSERT_FALSE(mine.alerts().empty());
  const v1::Alert& alert = mine.alerts(0);
  v1::AlertRecordsResponse got;
  ASSERT_TRUE(records(duty(), alert.alert_id(), &got).ok());
  EXPECT_EQ(got.alert().alert_id(), alert.alert_id());
  ASSERT_FALSE(got.entries().empty());
  for (const auto& e : got.entries()) {
    EXPECT_THAT(std::vector<std::string>(alert.cause_event_ids().begin(), alert.cause_event_ids().end()),
                ::testing::Contains(e.event().event_id()));
  }
  // Another team's alert answers as if it did not exist.
  std::string early_help;
  for (const aggregator::Alert& a : testing::AllAlerts(aggregator_->alerts(), {.team = "early-help"})) early_help = a.alert_id;
  ASSERT_FALSE(early_help.empty());
  EXPECT_EQ(records(duty(), early_help, &got).error_code(), Code::NOT_FOUND);
  EXPECT_EQ(records(duty(), "no-such-alert", &got).error_code(), Code::NOT_FOUND);
  // Auditors and administrators read no case content this way either.
  EXPECT_EQ(records(auditor(), alert.alert_id(), &got).error_code(), Code::PERMISSION_DENIED);
  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "", &log).ok());
  bool logged = false;
  for (const auto& e : log.entries()) {
    logged |= e.method() == "GetAlertRecords" && e.subject() == "duty-1" && e.outcome() == "OK" &&
              e.detail().find("records that caused alert") != std::string::npos;
  }
  EXPECT_TRUE(logged);
}

// Issue 14: a report viewer reads aggregate reports and nothing else; the statutory returns are
// for coordinators of their own authority; every run, allowed or refused, is on the access log.
TEST_F(SecurityTest, ReportsAreAggregateForViewersAndReturnsForTheirAuthoritysCoordinators) {
  const std::string viewer = testing::TokenFor(access::Role::kReportViewer, "analyst-1", clock_.Now(), "");
  v1::RunReportRequest request;
  request.set_name("episodes");
  const auto day = [](v1::CivilDate* d, int y, int m, int dd) {
    d->set_year(y);
    d->set_month(m);
    d->set_day(dd);
  };
  day(request.mutable_from(), 2026, 1, 1);
  day(request.mutable_to(), 2026, 12, 31);
  const auto run = [&](const std::string& token, const v1::RunReportRequest& r, v1::Report* out) {
    return As(token, [&](grpc::ClientContext& c) { return v1::ReportService::NewStub(channel_)->RunReport(&c, r, out); }, "");
  };
  v1::Report report;
  ASSERT_TRUE(run(viewer, request, &report).ok());
  ASSERT_GT(report.sections_size(), 0);
  const v1::ReportSection& by_month = report.sections(0);
  EXPECT_EQ(by_month.rows(by_month.rows_size() - 1).cells(0).display(), "<5");  // two episodes: withheld
  EXPECT_EQ(by_month.rows(by_month.rows_size() - 1).cells(0).value(), 0);       // and not sent
  const std::string everything = report.DebugString();
  for (const char* identifier : {"9990000107", "Testchild", "Ash", "W-1", "MP-1", "police.test"}) {
    EXPECT_THAT(everything, Not(HasSubstr(identifier))) << identifier;
  }
  // A report viewer reads nothing about a child.
  EXPECT_EQ(Chronology(viewer, "nhs:9990000107").error_code(), Code::PERMISSION_DENIED);
  v1::ListAlertsResponse alerts;
  EXPECT_EQ(Alerts(viewer, "", &alerts).error_code(), Code::PERMISSION_DENIED);
  // Nor a duty team any report.
  EXPECT_EQ(run(duty(), request, &report).error_code(), Code::PERMISSION_DENIED);
  // A typo in the authority is said, not answered with a report of nothing.
  v1::RunReportRequest typo = request;
  typo.set_authority("coventy");
  const grpc::Status refused = run(viewer, typo, &report);
  EXPECT_EQ(refused.error_code(), Code::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("coventry"));

  v1::RunStatutoryReturnRequest ret;
  ret.set_name("ssda903-missing");
  *ret.mutable_from() = request.from();
  *ret.mutable_to() = request.to();
  const auto make_return = [&](const std::string& token, const v1::RunStatutoryReturnRequest& r, v1::StatutoryReturn* out) {
    return As(token, [&](grpc::ClientContext& c) { return v1::ReportService::NewStub(channel_)->RunStatutoryReturn(&c, r, out); });
  };
  v1::StatutoryReturn missing;
  EXPECT_EQ(make_return(viewer, ret, &missing).error_code(), Code::PERMISSION_DENIED);
  ASSERT_TRUE(make_return(coordinator(), ret, &missing).ok());
  EXPECT_EQ(missing.authority(), "coventry");
  EXPECT_THAT(missing.columns(), ::testing::ElementsAre("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"));
  ret.set_authority("warwickshire");  // another authority's looked-after children
  EXPECT_EQ(make_return(coordinator(), ret, &missing).error_code(), Code::PERMISSION_DENIED);

  v1::ListAccessResponse log;
  ASSERT_TRUE(Access(auditor(), "", &log).ok());
  int ran = 0, refused_runs = 0, returns = 0;
  for (const auto& e : log.entries()) {
    if (e.method() == "RunReport" && e.subject() == "analyst-1" && e.outcome() == "OK") {
      ++ran;
      EXPECT_THAT(e.detail(), HasSubstr("episodes 2026-01-01..2026-12-31"));
    }
    if (e.method() == "RunReport" && e.subject() == "duty-1") refused_runs += absl::StartsWith(e.outcome(), "PERMISSION_DENIED");
    if (e.method() == "RunStatutoryReturn" && e.subject() == "cw-1") ++returns;
  }
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(refused_runs, 1);
  EXPECT_EQ(returns, 2);  // the return made, and the one for Warwickshire refused
}

}  // namespace
}  // namespace homeward
