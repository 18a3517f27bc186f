#include "common/access/access_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/access/access_config.h"
#include "common/access/masking.h"
#include "tests/testing/status_matchers.h"

namespace homeward::access {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Principal As(Role role) { return {.subject = "someone", .role = role, .authority = "coventry"}; }

// The whole table, both ways: deny by default means every pair not granted is refused.
TEST(AccessPolicy, EachRoleMayTakeExactlyItsActions) {
  const std::map<Role, std::set<Action>> allowed = {
      {Role::kPublisher, {Action::kPublish}},
      {Role::kPeopleClient, {}},
      {Role::kCoordinator,
       {Action::kReadChild, Action::kSearch, Action::kReadAlerts, Action::kActOnAlert, Action::kReadPhilomenaProfile}},
      // A police force's missing-person unit reads the Philomena profile released to it.
      {Role::kDutyTeam, {Action::kReadAlerts, Action::kActOnAlert, Action::kReadPhilomenaProfile}},
      {Role::kAuditor, {Action::kReadAccessLog, Action::kReadStatus}},
      {Role::kAdministrator,
       {Action::kReadMatches, Action::kDecideMatch, Action::kPurge, Action::kReadStatus, Action::kAcceptGap}},
  };
  const std::vector<Action> actions = {Action::kPublish,     Action::kReadChild,     Action::kSearch,
                                       Action::kReadAlerts,  Action::kActOnAlert,    Action::kReadMatches,
                                       Action::kDecideMatch, Action::kReadAccessLog, Action::kPurge,
                                       Action::kReadStatus,  Action::kAcceptGap,     Action::kChangeAuthority,
                                       Action::kReadPhilomenaProfile, Action::kReleasePhilomenaProfile};
  for (const auto& [role, granted] : allowed) {
    for (Action action : actions) {
      const absl::Status s = Authorize(As(role), action);
      if (granted.contains(action)) {
        EXPECT_TRUE(s.ok()) << RoleName(role) << " " << ActionName(action);
      } else {
        EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << RoleName(role) << " " << ActionName(action);
        EXPECT_THAT(s.message(), HasSubstr(ActionName(action)));
      }
    }
  }
}

TEST(AccessPolicy, ReadingCaseContentNeedsAPurposeAndTheAccessLogDoesNot) {
  EXPECT_TRUE(NeedsPurpose(Action::kReadChild));
  EXPECT_TRUE(NeedsPurpose(Action::kDecideMatch));
  EXPECT_TRUE(NeedsPurpose(Action::kPurge));
  EXPECT_TRUE(NeedsPurpose(Action::kReadPhilomenaProfile));
  EXPECT_FALSE(NeedsPurpose(Action::kPublish));
  EXPECT_FALSE(NeedsPurpose(Action::kReadAccessLog));
}

TEST(AccessPolicy, ACoordinatorSeesChildrenWhoseRecordsNameTheirAuthority) {
  EXPECT_TRUE(CanSeeChild(As(Role::kCoordinator), {"coventry", "warwickshire"}).ok());
  const absl::Status other = CanSeeChild(As(Role::kCoordinator), {"warwickshire"});
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(other.message(), ::testing::Not(HasSubstr("warwickshire")));
  EXPECT_EQ(CanSeeChild(As(Role::kAdministrator), {"coventry"}).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CanSeeChild({.subject = "x", .role = Role::kCoordinator}, {""}).code(), absl::StatusCode::kPermissionDenied);
}

TEST(AccessPolicy, RolesParseAndUnknownOnesAreNamed) {
  EXPECT_EQ(ParseRole("duty_team").value_or(Role::kPeopleClient), Role::kDutyTeam);
  EXPECT_THAT(ParseRole("superuser"), testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("superuser")));
}

constexpr char kConfig[] = R"json({
  "agencies": {
    "police.a": {"kind": "police"},
    "police.west-midlands": {"kind": "police"},
    "lcs.coventry": {"kind": "social_care", "authority": "coventry"}
  },
  "systems": {
    "homeward-cli": {"role": "people_client"},
    "police.a": {"role": "publisher", "agency": "police.a"},
    "duty.x": {"role": "duty_team", "team": "x"}
  },
  "lawful_bases": {"dpa2018-sch1-para18": "safeguarding"},
  "masks": {"coordinator": ["health:chronology_note.summary"], "coordinator@police": ["return_interview.childs_own_words"]},
  "max_token_lifetime_hours": 2
})json";

TEST(AccessConfig, ParsesSystemsBasesMasksAndLifetime) {
  absl::StatusOr<AccessConfig> c = ParseAccessConfig(kConfig);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->systems.at("police.a").role, Role::kPublisher);
  EXPECT_EQ(c->systems.at("police.a").agency, "police.a");
  EXPECT_EQ(c->systems.at("duty.x").team, "x");
  EXPECT_TRUE(c->lawful_bases.contains("dpa2018-sch1-para18"));
  EXPECT_EQ(c->max_token_lifetime, absl::Hours(2));
  const auto fields = [&](const Principal& p) {
    std::vector<std::string> out;
    for (const MaskRule& r : MasksFor(*c, p)) out.push_back(r.agency_kind + ":" + r.field);
    return out;
  };
  EXPECT_THAT(fields({.role = Role::kCoordinator, .agency = "lcs.coventry"}),
              ElementsAre("health:chronology_note.summary"));
  EXPECT_THAT(fields({.role = Role::kCoordinator, .agency = "police.west-midlands"}),
              ElementsAre("health:chronology_note.summary", ":return_interview.childs_own_words"));
  EXPECT_THAT(fields({.role = Role::kDutyTeam}), IsEmpty());
}

// Issue 11, point 9: a mask is decided by the reader's role and their agency's registered kind,
// never by how an agency id is spelled; a reader of no known kind gets every kind's masks.
TEST(AccessConfig, MasksFollowTheRegisteredKindAndDenyByDefault) {
  absl::StatusOr<AccessConfig> c = ParseAccessConfig(kConfig);
  ASSERT_TRUE(c.ok()) << c.status();
  const auto masked_words = [&](const std::string& agency) {
    for (const MaskRule& r : MasksFor(*c, {.role = Role::kCoordinator, .agency = agency})) {
      if (r.field == "return_interview.childs_own_words") return true;
    }
    return false;
  };
  EXPECT_TRUE(masked_words("police.west-midlands"));
  EXPECT_FALSE(masked_words("lcs.coventry"));
  for (const char* unknown : {"Police.x", "wmp-police", "", "police.unregistered", "lcs.coventry "}) {
    EXPECT_TRUE(masked_words(unknown)) << "'" << unknown << "'";
  }
}

TEST(AccessConfig, AgenciesGiveKindsAuthoritiesAndRecordTypes) {
  absl::StatusOr<AccessConfig> c = ParseAccessConfig(R"json({
    "agencies": {
      "lcs.coventry": {"kind": "social_care", "authority": "coventry"},
      "rhi.x": {"kind": "rhi_provider", "records": ["return_interview"]}
    },
    "systems": {}, "lawful_bases": {"a": "b"}})json");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->agencies.Find("lcs.coventry")->kind, AgencyKind::kSocialCare);
  EXPECT_TRUE(c->agencies.SpeaksFor("lcs.coventry", "coventry"));
  EXPECT_FALSE(c->agencies.SpeaksFor("lcs.coventry", "warwickshire"));
  EXPECT_FALSE(c->agencies.SpeaksFor("rhi.x", ""));
  EXPECT_EQ(c->agencies.Find("rhi.x")->records.size(), 1u);
}

TEST(AccessConfig, TheShippedFileIsValid) {
  EXPECT_TRUE(LoadAccessConfig(std::string(HOMEWARD_SOURCE_DIR) + "/config/access.json").ok());
}

TEST(AccessConfig, MistakesAreRefusedNamingTheEntry) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"[]", "not a JSON object"},
      {R"({"lawful_bases": {"a": "b"}})", "systems"},
      {R"({"systems": {"p": {"role": "publisher"}}, "lawful_bases": {"a": "b"}})", "systems.p.agency"},
      {R"({"systems": {"d": {"role": "duty_team"}}, "lawful_bases": {"a": "b"}})", "systems.d.team"},
      {R"({"systems": {"c": {"role": "coordinator"}}, "lawful_bases": {"a": "b"}})", "systems.c.role"},
      {R"({"systems": {"c": {"role": "root"}}, "lawful_bases": {"a": "b"}})", "unknown role"},
      {R"({"systems": {"p": {"role": "publisher", "agency": "police.x"}}, "lawful_bases": {"a": "b"}})",
       "not in agencies"},
      {R"({"agencies": {"x": {"kind": "dentist"}}, "systems": {}, "lawful_bases": {"a": "b"}})", "unknown agency kind"},
      {R"({"agencies": {"x": {"kind": "social_care"}}, "systems": {}, "lawful_bases": {"a": "b"}})",
       "agencies.x.authority"},
      {R"({"agencies": {"x": {"kind": "police", "authority": "c"}}, "systems": {}, "lawful_bases": {"a": "b"}})",
       "only social care"},
      {R"({"agencies": {"x": {"kind": "police", "records": ["identity_decision"]}}, "systems": {}, "lawful_bases": {"a": "b"}})",
       "only the hub"},
      {R"({"agencies": {"x": {"kind": "police", "records": ["gossip"]}}, "systems": {}, "lawful_bases": {"a": "b"}})",
       "unknown record type"},
      {R"({"systems": {}, "lawful_bases": {"a": "b"}, "masks": {"coordinator@wmp-police": ["agency_id"]}})",
       "the reader's agency kind"},
      {R"({"systems": {}, "lawful_bases": {}})", "lawful_bases"},
      {R"({"systems": {}, "lawful_bases": {"a": "b"}, "masks": {"coordinator": ["return_interview.nope"]}})",
       "no such field"},
      {R"({"systems": {}, "lawful_bases": {"a": "b"}, "masks": {"coordinator": ["dentist:chronology_note.summary"]}})",
       "unknown agency kind"},
      {R"({"systems": {}, "lawful_bases": {"a": "b"}, "masks": {"coordinator": ["agency_id"]}})", "attribution"},
      {R"({"systems": {}, "lawful_bases": {"a": "b"}, "masks": {"king": ["agency_id"]}})", "masks.king"},
  };
  for (const auto& [text, why] : bad) {
    EXPECT_THAT(ParseAccessConfig(text), testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(why))) << text;
  }
}

TEST(AccessConfig, ValuesOfTheWrongTypeAreErrorsNotCrashes) {
  const std::string bases = R"("lawful_bases": {"b": "a basis"})";
  for (const std::string text : {
           absl::StrCat(R"({"systems": {"a": {"role": 5}}, )", bases, "}"),
           absl::StrCat(R"({"systems": {"a": {"role": "publisher", "agency": 3}}, )", bases, "}"),
           std::string(R"({"systems": {}, "lawful_bases": {"x": 1}})"),
           absl::StrCat(R"({"systems": {}, "masks": {"coordinator": [1]}, )", bases, "}"),
           absl::StrCat(R"({"systems": {}, "max_token_lifetime_hours": "12", )", bases, "}"),
       }) {
    EXPECT_THAT(ParseAccessConfig(text), testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_)) << text;
  }
}

TEST(Masking, ClearsOnlyWhatTheRulesNameAndSaysWhat) {
  v1::Event health;
  health.set_agency_id("health.x");
  health.set_agency_kind(v1::AGENCY_KIND_HEALTH);
  health.mutable_chronology_note()->set_kind("unscheduled-care");
  health.mutable_chronology_note()->set_summary("clinical detail");
  v1::Event rhi;
  rhi.set_agency_kind(v1::AGENCY_KIND_RHI_PROVIDER);
  rhi.mutable_return_interview()->set_childs_own_words("words");
  rhi.mutable_return_interview()->add_push_factors("school");
  v1::Event education = health;
  education.set_agency_kind(v1::AGENCY_KIND_EDUCATION);

  std::vector<MaskRule> rules;
  for (const char* text : {"health:chronology_note.summary", "return_interview.childs_own_words",
                           "return_interview.pull_factors"}) {
    rules.push_back(*ParseMaskRule(text));
  }
  EXPECT_THAT(MaskEvent(rules, health), ElementsAre("chronology_note.summary"));
  EXPECT_EQ(health.chronology_note().summary(), "");
  EXPECT_EQ(health.chronology_note().kind(), "unscheduled-care");
  // Pull factors were empty: nothing withheld, nothing said.
  EXPECT_THAT(MaskEvent(rules, rhi), ElementsAre("return_interview.childs_own_words"));
  EXPECT_EQ(rhi.return_interview().push_factors_size(), 1);
  // The health rule is for health records only.
  EXPECT_THAT(MaskEvent(rules, education), IsEmpty());
  EXPECT_EQ(education.chronology_note().summary(), "clinical detail");
}

}  // namespace
}  // namespace homeward::access
