// The web workspace's sessions and pages, without a server or a browser (the browser test,
// tests/e2e/web_test.py, checks them in chromium).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "services/web/pages.h"
#include "services/web/session.h"
#include "tests/testing/events.h"

namespace homeward::web {
namespace {

using ::homeward::testing::At;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Counter(size_t n) {
  static int next = 0;
  return std::string(n, static_cast<char>('a' + (next++ % 26)));
}

class SessionTest : public ::testing::Test {
 protected:
  FakeClock clock_{At("2026-11-21T09:00:00Z")};
  SessionStore store_{clock_, &Counter, {.idle_expiry = absl::Minutes(15), .max_sessions = 2}};
  Person person_{.subject = "cw-1", .role = "coordinator", .authority = "coventry",
                 .expires_at = At("2026-11-21T17:00:00Z")};
};

TEST_F(SessionTest, ASessionLastsWhileUsedAndEndsWhenIdleOrTheTokenExpires) {
  absl::StatusOr<Session> s = store_.Start("hw1.token", person_, {{"dpa2018-sch1-para18", "safeguarding"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->id.size(), 64u);  // 32 bytes, hex
  EXPECT_NE(s->id, s->csrf);
  clock_.Set(clock_.Now() + absl::Minutes(14));
  ASSERT_TRUE(store_.Find(s->id).has_value());  // used: the idle clock starts again
  clock_.Set(clock_.Now() + absl::Minutes(14));
  ASSERT_TRUE(store_.Find(s->id).has_value());
  clock_.Set(clock_.Now() + absl::Minutes(15));
  EXPECT_FALSE(store_.Find(s->id).has_value()) << "idle for 15 minutes";
  absl::StatusOr<Session> t = store_.Start("hw1.token", person_, {});
  clock_.Set(person_.expires_at);
  EXPECT_FALSE(store_.Find(t->id).has_value()) << "the token expired";
  EXPECT_FALSE(store_.Find("no-such-session").has_value());
}

TEST_F(SessionTest, ThePurposeIsGivenOnceWithABasisFromTheHubsList) {
  absl::StatusOr<Session> s = store_.Start("hw1.token", person_, {{"dpa2018-sch1-para18", "safeguarding"}});
  EXPECT_EQ(store_.SetPurpose(s->id, "", "dpa2018-sch1-para18").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.SetPurpose(s->id, std::string(501, 'x'), "dpa2018-sch1-para18").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.SetPurpose(s->id, "strategy meeting", "made-up-basis").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(store_.SetPurpose(s->id, "strategy meeting", "dpa2018-sch1-para18").ok());
  EXPECT_EQ(store_.Find(s->id)->purpose, "strategy meeting");
  store_.End(s->id);
  EXPECT_EQ(store_.SetPurpose(s->id, "again", "dpa2018-sch1-para18").code(), absl::StatusCode::kNotFound);
}

TEST_F(SessionTest, AFullStoreRefusesANewSignIn) {
  ASSERT_TRUE(store_.Start("a", person_, {}).ok());
  ASSERT_TRUE(store_.Start("b", person_, {}).ok());
  EXPECT_EQ(store_.Start("c", person_, {}).status().code(), absl::StatusCode::kResourceExhausted);
  clock_.Set(clock_.Now() + absl::Hours(1));  // both idle: their room is taken back
  EXPECT_TRUE(store_.Start("c", person_, {}).ok());
}

TEST(SameSecret, ComparesWholeSecrets) {
  EXPECT_TRUE(SameSecret("abc", "abc"));
  EXPECT_FALSE(SameSecret("abc", "abd"));
  EXPECT_FALSE(SameSecret("abc", "ab"));
  EXPECT_FALSE(SameSecret("", "abc"));
}

v1::ChronologyEntry Entry(const std::string& agency, const std::string& record, const std::string& summary,
                          int64_t seconds) {
  v1::ChronologyEntry e;
  e.mutable_event()->set_event_id(absl::StrCat(agency, "/", record, "/x@1"));
  e.mutable_event()->set_agency_id(agency);
  e.mutable_event()->set_source_record(record);
  e.mutable_event()->mutable_occurred_at()->set_seconds(seconds);
  e.set_kind("missing-reported");
  e.set_summary(summary);
  return e;
}

const Viewer kCoordinator{.subject = "cw-1", .role = "coordinator", .authority = "coventry", .csrf = "c5rf",
                          .purpose = "strategy meeting"};

TEST(Pages, AgencyTextIsEscapedEverywhere) {
  v1::GetChronologyResponse chronology;
  chronology.set_child_id("la:coventry/LA-1");
  *chronology.add_entries() = Entry("police.wm", "MP-1", "<script>alert(1)</script> & \"quoted\"", 1'790'000'000);
  const std::string html = TimelinePage(kCoordinator, chronology, {}, {.child = "la:coventry/LA-1"}, false);
  EXPECT_THAT(html, Not(HasSubstr("<script>alert(1)")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"));
}

TEST(Pages, AWithheldFieldSaysSoAndWhy) {
  v1::ChronologyEntry e = Entry("health.cov", "ED-1", "[withheld: chronology_note.summary withheld from coordinators]",
                                1'790'000'000);
  e.add_masked_fields("chronology_note.summary");
  e.set_withheld_because("chronology_note.summary withheld from coordinators on need to know");
  const std::string html = EntryBlock(e);
  EXPECT_THAT(html, HasSubstr("withheld in part"));
  EXPECT_THAT(html, HasSubstr("withheld from coordinators on need to know"));
}

TEST(Pages, TheChildsOwnWordsAndTheFactorsAreShownProminently) {
  v1::ChronologyEntry e = Entry("rhi.cov", "R-1", "Return home interview completed", 1'790'000'000);
  v1::ReturnInterview* r = e.mutable_event()->mutable_return_interview();
  r->set_childs_own_words("I just wanted to see my mum");
  r->add_push_factors("arguments at the placement");
  r->add_pull_factors("older friends");
  const std::string html = EntryBlock(e);
  EXPECT_THAT(html, HasSubstr("In the child's own words"));
  EXPECT_THAT(html, HasSubstr("I just wanted to see my mum"));
  EXPECT_THAT(html, HasSubstr("Push factors"));
  EXPECT_THAT(html, HasSubstr("older friends"));
}

TEST(Pages, TheTimelineGroupsAnEpisodesRecordsAndItsInterview) {
  v1::GetChronologyResponse chronology;
  chronology.set_child_id("la:coventry/LA-1");
  *chronology.add_entries() = Entry("lcs.cov", "PL-1", "Placement", 1'780'000'000);
  *chronology.add_entries() = Entry("police.wm", "MP-1", "Reported missing", 1'790'000'000);
  *chronology.add_entries() = Entry("education.cov", "E-1", "Not in school", 1'790'001'000);
  *chronology.add_entries() = Entry("rhi.cov", "R-1", "Return home interview completed", 1'790'100'000);
  v1::GetEpisodesResponse episodes;
  v1::Episode* ep = episodes.add_episodes();
  ep->mutable_start()->set_seconds(1'790'000'000);
  v1::EpisodeSource* s = ep->add_sources();
  s->set_agency_id("police.wm");
  s->add_event_ids("police.wm/MP-1/x@1");
  v1::InterviewStatus* i = ep->add_interviews();
  i->set_agency_id("rhi.cov");
  i->set_source_record("R-1");
  const std::string html = TimelinePage(kCoordinator, chronology, episodes, {.child = "la:coventry/LA-1"}, false);
  const size_t section = html.find("homeward-episode\"");
  const size_t end = html.find("</section>", section);
  ASSERT_NE(section, std::string::npos);
  const std::string inside = html.substr(section, end - section);
  EXPECT_THAT(inside, HasSubstr("Reported missing"));
  EXPECT_THAT(inside, HasSubstr("Return home interview completed"));  // attached by its episode reference
  EXPECT_THAT(inside, Not(HasSubstr("Not in school")));                // during, but not of, the episode
  EXPECT_LT(html.find("Placement"), section) << "records before the episode come before it";
  EXPECT_THAT(html, HasSubstr("role=\"img\""));  // the lanes, with a text alternative
}

TEST(Pages, ARefusalIsAProper403Page) {
  const std::string html = ErrorPage(&kCoordinator, 403, "coordinators may not read-matches");
  EXPECT_THAT(html, HasSubstr("You cannot see this"));
  EXPECT_THAT(html, HasSubstr("coordinators may not read-matches"));
}

TEST(Pages, EveryFormThatChangesSomethingCarriesTheCsrfToken) {
  v1::ListAlertsResponse alerts;
  v1::Alert* a = alerts.add_alerts();
  a->set_alert_id("high-risk:police.wm/MP-1");
  a->set_state(v1::ALERT_STATE_RAISED);
  const std::string html = AlertsPage(kCoordinator, alerts, {}, "");
  size_t forms = 0, tokens = 0;
  for (size_t at = html.find("method=\"post\""); at != std::string::npos; at = html.find("method=\"post\"", at + 1)) {
    ++forms;
    const size_t end = html.find("</form>", at);
    tokens += html.substr(at, end - at).find("name=\"csrf\" value=\"c5rf\"") != std::string::npos;
  }
  EXPECT_EQ(forms, 3u);  // sign out, acknowledge, close
  EXPECT_EQ(tokens, forms);
}

// A bar chart gives each row its whole label and the room to show it (a 39-character label
// once ran off the chart's left edge), shortens only what no column could hold, and never draws a
// withheld figure: "<5" is written, not a bar.
TEST(Pages, ReportChartsKeepTheirLabelsAndDrawNoWithheldFigure) {
  v1::ReportSection s;
  s.set_title("Side by side");
  v1::ReportColumn* c = s.add_columns();
  c->set_key("episodes");
  c->set_label("Episodes");
  c->set_unit(v1::ReportColumn::UNIT_COUNT);
  const std::string longest = "Placed in coventry by other authorities";
  const std::string too_long(60, 'x');
  for (const auto& [label, value, withheld] : std::vector<std::tuple<std::string, double, bool>>{
           {longest, 12, false}, {"At home", 3, true}, {too_long, 7, false}}) {
    v1::ReportRow* r = s.add_rows();
    r->set_label(label);
    v1::ReportCell* cell = r->add_cells();
    cell->set_value(withheld ? 0 : value);
    cell->set_suppressed(withheld);
    cell->set_display(withheld ? "<5" : absl::StrCat(value));
  }
  s.mutable_chart()->set_kind(v1::ReportChart::KIND_BAR);
  s.mutable_chart()->add_series("episodes");
  const std::string svg = ReportChartSvg(s, "side");
  EXPECT_THAT(svg, HasSubstr(">" + longest + "</text>"));
  // Right-aligned at x: the column must leave room for it (about 7 px a character at 12 px).
  const size_t text = svg.rfind("<text", svg.find(">" + longest + "<"));
  const size_t x = svg.find("x=\"", text) + 3;
  EXPECT_GE(std::stod(svg.substr(x, svg.find('"', x) - x)), 7.0 * static_cast<double>(longest.size()));
  EXPECT_THAT(svg, HasSubstr(">" + std::string(47, 'x') + "\u2026</text>"));
  EXPECT_THAT(svg, Not(HasSubstr(too_long)));
  EXPECT_THAT(svg, HasSubstr("&lt;5"));
  // Four gridlines at round numbers above the largest figure, 12.
  for (const char* tick : {">0</text>", ">5</text>", ">10</text>", ">15</text>", ">20</text>"}) {
    EXPECT_THAT(svg, HasSubstr(tick));
  }
  size_t bars = 0;
  for (size_t at = svg.find("<rect"); at != std::string::npos; at = svg.find("<rect", at + 1)) ++bars;
  EXPECT_EQ(bars, 2u);  // 12 and 7; the withheld row has none
}

}  // namespace
}  // namespace homeward::web

namespace homeward::web {
namespace {

// Issue 16: the rules page lists each rule with its parameters; a what-if shows the changes, the
// figures, the named children (as links to their profile) and why others are not named; the form
// carries the CSRF token and keeps what was typed; a refusal is shown above the form.
TEST(Pages, TheRulesPageShowsTheWhatIfAndKeepsTheProposal) {
  v1::ListRulesResponse rules;
  rules.set_revision(2);
  v1::RuleInfo* rule = rules.add_rules();
  rule->set_id("repeat-missing");
  rule->set_version(2);
  rule->set_enabled(true);
  v1::RuleParameter* p = rule->add_parameters();
  p->set_name("window_days");
  p->set_unit("days");
  p->set_value(30);
  v1::WhatIfResponse result;
  v1::RuleChange* change = result.add_changes();
  change->set_rule_id("repeat-missing");
  change->set_change("window_days 90 -> 30");
  v1::RuleOutcome* outcome = result.add_rules();
  outcome->set_rule_id("repeat-missing");
  outcome->set_in_force(true);
  outcome->set_proposed(true);
  outcome->set_alerts_in_force(4);
  outcome->set_alerts_proposed(1);
  outcome->mutable_median_shift()->set_seconds(-10 * 86400);
  v1::MeetingDifference* only = result.add_meeting_only_in_force();
  only->set_child_id("C-7");
  only->set_rule_id("repeat-missing");
  result.set_meeting_only_in_force_count(2);
  result.set_not_named_because("1 child(ren) not named: they are not children of your authority");
  const WhatIfForm form{.proposed = "{\"rules\": [<script>]}", .from = "2026-01-01", .to = "2026-12-31"};
  const std::string html = RulesPage(kCoordinator, rules, form, &result, "");
  EXPECT_THAT(html, HasSubstr("window_days = 30 days"));
  EXPECT_THAT(html, HasSubstr("window_days 90 -&gt; 30"));
  EXPECT_THAT(html, HasSubstr("10 days earlier"));
  EXPECT_THAT(html, HasSubstr("href=\"/child/profile?id=C-7\""));
  EXPECT_THAT(html, HasSubstr("not children of your authority"));
  EXPECT_THAT(html, HasSubstr("[&lt;script&gt;]"));  // the proposal kept, escaped
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("name=\"csrf\" value=\"c5rf\""));
  const std::string refused = RulesPage(kCoordinator, rules, form, nullptr, "proposed rules: rules[0] (x): id: not a known rule");
  EXPECT_THAT(refused, HasSubstr("govuk-error-summary"));
  EXPECT_THAT(refused, HasSubstr("not a known rule"));
  EXPECT_THAT(refused, Not(HasSubstr("id=\"result\"")));
}

}  // namespace
}  // namespace homeward::web
