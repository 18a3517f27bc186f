// Issue 16: the Philomena Protocol (docs/philomena.md). A children's home's profile of a child,
// through the mock Kafka cluster, read over mutual-TLS gRPC: refused to police before the child
// is reported missing; released at once to the force that reports it, with the profile on its
// stream; refused to another force; closed to new reads when the child is found; every release
// and read on the access log. The locked-down aggregator is security_fixture.h's.
#include <sys/wait.h>

#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "common/domain/child_identifiers.h"
#include "tests/integration/security_fixture.h"

namespace homeward {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::Code;
using ::homeward::testing::Eventually;
using ::homeward::testing::MakeEvent;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const ChildRef kChild{.nhs_number = "9990030006"};
constexpr char kChildId[] = "nhs:9990030006";

class PhilomenaTest : public testing::SecurityTest {
 protected:
  void SetUp() override {
    SecurityTest::SetUp();
    ASSERT_TRUE(CheckNhsNumber(kChild.nhs_number).ok());
    Publish({Profile(1, "slim, 1.50 m, dark curly hair")});
  }

  static Event Profile(int revision, const std::string& description) {
    return MakeEvent("home.test", "PH-7", "philomena", revision, kChild, At("2026-09-01T10:00:00Z") + absl::Hours(revision),
                     PhilomenaProfile{.description = description,
                                      .photograph_ref = "docstore://home.test/photos/ph-7-2026-09",
                                      .phone_numbers = {"07700900301"},
                                      .associates = {"Jo (school friend)"},
                                      .places_frequented = {"Retail park", "Bus station"},
                                      .medical_needs = "asthma: blue inhaler",
                                      .completed_by = "key worker 12"});
  }
  Event Report() {
    return MakeEvent("police.test", "MP-7", "report", 1, kChild, At("2026-11-22T22:00:00Z"),
                     MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kMedium});
  }
  Event Found() {
    return MakeEvent("police.test", "MP-7", "found", 1, kChild, At("2026-11-22T23:30:00Z"),
                     FoundReturned{.found_by = "police"});
  }

  // A police officer of `force` (a coordinator token naming their agency).
  std::string Officer(const std::string& force) {
    return testing::TokenFor(access::Role::kCoordinator, "pc-" + force, clock_.Now(), "coventry", "", force);
  }
  // The force's missing-person unit: a duty team whose team is the force's agency id.
  std::string ForceDesk(const std::string& force) {
    return testing::TokenFor(access::Role::kDutyTeam, "mpu-" + force, clock_.Now(), "coventry", force, force);
  }

  grpc::Status Read(const std::string& token, v1::GetPhilomenaProfileResponse* out = nullptr) {
    v1::GetPhilomenaProfileRequest request;
    request.set_child(kChildId);
    v1::GetPhilomenaProfileResponse ignored;
    return As(token, [&](grpc::ClientContext& c) {
      return v1::ChronologyService::NewStub(channel_)->GetPhilomenaProfile(&c, request, out ? out : &ignored);
    });
  }
  std::vector<v1::Alert> Releases(const std::string& token) {
    v1::ListAlertsResponse out;
    v1::ListAlertsRequest request;
    request.add_rule_ids("philomena-release");
    EXPECT_TRUE(As(token, [&](grpc::ClientContext& c) {
                  return v1::AlertService::NewStub(channel_)->ListAlerts(&c, request, &out);
                }).ok());
    return {out.alerts().begin(), out.alerts().end()};
  }
  // The first release update on `token`'s alert stream (from the start of the feed), or none.
  v1::AlertUpdate ReleaseOnStream(const std::string& token) {
    grpc::ClientContext context;
    testing::AddCaller(context, token, "test: following the force's alerts");
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(15)));
    auto reader = v1::AlertService::NewStub(channel_)->StreamAlerts(&context, v1::StreamAlertsRequest());
    v1::AlertUpdate update;
    while (reader->Read(&update)) {
      if (update.alert().rule_id() == "philomena-release") break;
      update.Clear();
    }
    context.TryCancel();
    return update;
  }
  // What `homeward philomena <child>` prints for `token` (stdout and stderr), and its exit status.
  std::pair<int, std::string> Cli(const std::string& token) {
    const std::string command =
        absl::StrCat("HOMEWARD_TOKEN='", token, "' ", HOMEWARD_BIN_DIR, "/homeward philomena ", kChildId,
                     " --server=127.0.0.1:", aggregator_->port(), " --tls_dir=", testing::Pki().dir,
                     " --client=homeward-cli --purpose='test: missing report MP-7' --lawful_basis=dpa2018-sch1-para18 "
                     "--tz=UTC 2>&1");
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return {-1, ""};
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) out.append(buffer, n);
    const int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
  }
  std::vector<v1::AccessEntry> AccessEntries() {
    v1::ListAccessResponse log;
    EXPECT_TRUE(Access(auditor(), kChildId, &log).ok());
    return {log.entries().begin(), log.entries().end()};
  }
};

// The four cases, in order, through Kafka and gRPC.
TEST_F(PhilomenaTest, ReleasedToTheReportingForceOnlyWhileTheChildIsMissing) {
  // 1. Before the missing report, police are refused.
  const grpc::Status before = Read(Officer("police.test"));
  EXPECT_EQ(before.error_code(), Code::PERMISSION_DENIED);
  EXPECT_THAT(before.error_message(), HasSubstr("only while that force handles an open missing episode"));
  EXPECT_THAT(Releases(ForceDesk("police.test")), IsEmpty());

  // 2. The force's report arrives: it reads the profile at once, officers and desk alike...
  Publish({Report()});
  v1::GetPhilomenaProfileResponse read;
  ASSERT_TRUE(Read(Officer("police.test"), &read).ok());
  EXPECT_EQ(read.profile().event().philomena_profile().description(), "slim, 1.50 m, dark curly hair");
  EXPECT_EQ(read.profile().event().philomena_profile().medical_needs(), "asthma: blue inhaler");
  EXPECT_EQ(read.released_to(), "police.test");
  EXPECT_EQ(read.episode_id(), "police.test/MP-7");
  EXPECT_TRUE(Read(ForceDesk("police.test")).ok());
  // ...and the release is on its stream with the profile...
  const v1::AlertUpdate streamed = ReleaseOnStream(ForceDesk("police.test"));
  EXPECT_EQ(streamed.alert().team(), "police.test");
  EXPECT_EQ(streamed.philomena_profile().event().philomena_profile().description(), "slim, 1.50 m, dark curly hair");
  // ...which another force's officer following the authority's alerts sees without it.
  const v1::AlertUpdate elsewhere = ReleaseOnStream(Officer("police.other"));
  EXPECT_EQ(elsewhere.alert().rule_id(), "philomena-release");
  EXPECT_FALSE(elsewhere.has_philomena_profile());
  // The alert itself names the profile but never holds it.
  ASSERT_TRUE(Eventually([&] { return Releases(ForceDesk("police.test")).size() == 1; }));
  const v1::Alert release = Releases(ForceDesk("police.test"))[0];
  EXPECT_EQ(release.team(), "police.test");
  EXPECT_EQ(release.severity(), "notification");
  EXPECT_THAT(release.cause_event_ids(), Contains("home.test/PH-7/philomena@1"));
  EXPECT_THAT(release.reason(), Not(HasSubstr("curly")));

  // 3. A different force is refused, and its desk is not notified.
  const grpc::Status other = Read(Officer("police.other"));
  EXPECT_EQ(other.error_code(), Code::PERMISSION_DENIED);
  // The same words as any refusal: nothing of which force has it, nor why.
  EXPECT_THAT(other.error_message(), HasSubstr("none is released to police.other"));
  EXPECT_THAT(other.error_message(), Not(HasSubstr("police.test")));
  EXPECT_THAT(Releases(ForceDesk("police.other")), IsEmpty());

  // The CLI shows it to the force, and refuses the other force in the same words.
  const auto [shown, printed] = Cli(Officer("police.test"));
  EXPECT_EQ(shown, 0) << printed;
  EXPECT_THAT(printed, HasSubstr("description:        slim, 1.50 m, dark curly hair"));
  EXPECT_THAT(printed, HasSubstr("Released to police.test for missing episode police.test/MP-7"));
  const auto [refused, said] = Cli(Officer("police.other"));
  EXPECT_EQ(refused, 3) << said;  // not allowed
  EXPECT_THAT(said, HasSubstr("none is released to police.other"));

  // 4. The child is found: new reads are refused, and the notification is closed.
  Publish({Found()});
  EXPECT_EQ(Read(Officer("police.test")).error_code(), Code::PERMISSION_DENIED);
  EXPECT_EQ(Read(ForceDesk("police.test")).error_code(), Code::PERMISSION_DENIED);
  ASSERT_TRUE(Eventually([&] {
    const std::vector<v1::Alert> now = Releases(ForceDesk("police.test"));
    return now.size() == 1 && now[0].state() == v1::ALERT_STATE_CLOSED;
  }));

  // Every release, read and refusal is on the access log, with its reason (in the order they
  // happened; a release and the first read after it may be logged either way round).
  std::vector<std::string> lines;
  for (const v1::AccessEntry& e : AccessEntries()) {
    if (absl::StrContains(e.action(), "philomena")) {
      lines.push_back(absl::StrCat(e.action(), " ", e.agency(), " ", e.outcome().substr(0, 17), " ", e.detail()));
    }
  }
  ASSERT_EQ(lines.size(), 11u) << absl::StrJoin(lines, "\n");
  EXPECT_THAT(lines[0], HasSubstr("police.test PERMISSION_DENIED refused: not released to police.test: the child has "
                                  "no open missing episode"));
  EXPECT_THAT(lines[1], HasSubstr("philomena-release  OK Philomena profile home.test/PH-7/philomena@1 released to "
                                  "police.test for missing episode police.test/MP-7"));
  EXPECT_THAT(lines[2], HasSubstr("read-philomena-profile police.test OK Philomena profile "
                                  "home.test/PH-7/philomena@1 disclosed; released to police.test"));
  EXPECT_THAT(lines[3], HasSubstr("read-philomena-profile police.test OK"));  // the desk
  EXPECT_THAT(lines[4], HasSubstr("disclosed with release philomena-release:police.test/MP-7"));  // its stream
  EXPECT_THAT(lines[5], HasSubstr("police.other PERMISSION_DENIED refused: released to police.test"));
  EXPECT_THAT(lines[6], HasSubstr("read-philomena-profile police.test OK"));       // the CLI
  EXPECT_THAT(lines[7], HasSubstr("police.other PERMISSION_DENIED"));              // the CLI
  EXPECT_THAT(lines[8], HasSubstr("philomena-release  OK the child was found"));
  EXPECT_THAT(lines[9], HasSubstr("refused: the release to police.test for episode police.test/MP-7 closed"));
  EXPECT_THAT(lines[10], HasSubstr("PERMISSION_DENIED"));
  EXPECT_TRUE(Verify().intact());
}

// The carer's own people read it at any time; amendments are revisions of the record; the
// chronology never carries the profile to anyone else, police included.
TEST_F(PhilomenaTest, CarersReadEveryRevisionAndChronologiesWithholdIt) {
  Publish({Profile(2, "now wears glasses")});
  v1::GetPhilomenaProfileResponse read;
  ASSERT_TRUE(Read(coordinator(), &read).ok());  // social care of the child's authority
  EXPECT_EQ(read.profile().event().philomena_profile().description(), "now wears glasses");
  EXPECT_THAT(read.profile().superseded_event_ids(), ElementsAre("home.test/PH-7/philomena@1"));
  EXPECT_EQ(read.basis(), "the child's carers' own record");

  Publish({Report()});
  v1::GetChronologyResponse chronology;
  ASSERT_TRUE(Chronology(Officer("police.test"), kChildId, &chronology).ok());
  bool seen = false;
  for (const v1::ChronologyEntry& e : chronology.entries()) {
    if (e.kind() != "philomena-profile") continue;
    seen = true;
    EXPECT_TRUE(e.event().has_philomena_profile());
    EXPECT_EQ(e.event().philomena_profile().description(), "");
    EXPECT_THAT(e.masked_fields(), Contains("philomena_profile"));
    EXPECT_THAT(e.withheld_because(), HasSubstr("GetPhilomenaProfile"));
  }
  EXPECT_TRUE(seen);
  // A profile is the carer's: one from the police is dead-lettered, never applied.
  const int64_t dead = aggregator_->stats().dead_lettered;
  Publish({MakeEvent("police.test", "PH-X", "philomena", 1, kChild, At("2026-11-22T22:30:00Z"),
                     PhilomenaProfile{.description = "written by the police"})});
  EXPECT_EQ(aggregator_->stats().dead_lettered, dead + 1);
  // Health, as a reader, never gets it.
  const std::string health = testing::TokenFor(access::Role::kCoordinator, "ed-1", clock_.Now(), "coventry", "",
                                                "health.coventry-ed");
  EXPECT_EQ(Read(health).error_code(), Code::PERMISSION_DENIED);
}

}  // namespace
}  // namespace homeward
