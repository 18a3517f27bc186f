// The partnership reports (issue 14). Expected figures are worked out here independently of the
// report code: by hand for the small data sets (the tables in the comments), and from the
// synthetic city generator's own account of what happened (TruthEpisode) for the year of a city.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/reports/dimensions.h"
#include "services/aggregator/domain/reports/report_engine.h"
#include "services/aggregator/domain/reports/reports.h"
#include "services/aggregator/domain/reports/suppression.h"
#include "services/aggregator/domain/reports/tabulate.h"
#include "tests/testing/events.h"
#include "tests/testing/synthetic_city.h"

namespace homeward::aggregator::reports {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::TestNhsNumber;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// ---- ports ----

class VectorHistory final : public EventHistory {
 public:
  explicit VectorHistory(std::vector<Event> events) : events_(std::move(events)) {}
  absl::Status ForEachEvent(const std::function<void(const Event&)>& visit) override {
    for (const Event& e : events_) visit(e);
    return absl::OkStatus();
  }

 private:
  std::vector<Event> events_;
};

class VectorAlerts final : public AlertSource {
 public:
  explicit VectorAlerts(std::vector<Alert> alerts = {}) : alerts_(std::move(alerts)) {}
  std::vector<Alert> AlertsDue(absl::Time from, absl::Time to) const override {
    std::vector<Alert> out;
    for (const Alert& a : alerts_) {
      if (a.due_at >= from && a.due_at < to) out.push_back(a);
    }
    return out;
  }

 private:
  std::vector<Alert> alerts_;
};

// A live chronology, its history and an engine over them.
struct Hub {
  explicit Hub(const std::vector<Event>& events, AgencyRegistry registry, std::vector<Alert> alerts = {})
      : history(events), alerts(std::move(alerts)), registry(std::move(registry)) {
    for (const Event& e : events) live.Apply(e, e.recorded_at);
    engine = std::make_unique<ReportEngine>(live, history, this->alerts, this->registry,
                                            EngineOptions{.facts = {.home_authority = "coventry"}});
  }
  ChronologyStore live;
  VectorHistory history;
  VectorAlerts alerts;
  AgencyRegistry registry;
  std::unique_ptr<ReportEngine> engine;
};

ReportRequest Year(const std::string& name, int threshold = 1, absl::Time as_at = At("2027-06-01T00:00:00Z")) {
  return ReportRequest{.name = name,
                       .from = absl::CivilDay(2026, 1, 1),
                       .to = absl::CivilDay(2026, 12, 31),
                       .as_at = as_at,
                       .zone = absl::UTCTimeZone(),
                       .suppression_threshold = threshold,
                       .home_authority = "coventry"};
}

const absl::Time kNow = At("2027-06-01T00:00:00Z");

Report RunReport(Hub& hub, const ReportRequest& request) {
  absl::StatusOr<Report> r = hub.engine->Run(request, kNow);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : Report{};
}

// The displayed figure of (section, row, column).
std::string Shown(const Report& r, const std::string& section, const std::string& row, const std::string& key) {
  const Section* s = r.Find(section);
  if (s == nullptr) return absl::StrCat("no section ", section);
  const Cell* c = s->Find(row, key);
  return c == nullptr ? absl::StrCat("no cell ", row, "/", key) : c->display;
}

// A count as the reports show it: "1,234".
std::string Figure(int n) { return FormatFigure(n, Unit::kCount); }

// Everything a report shows, as text (for comparing two runs).
std::string Render(const Report& r) {
  std::string out = absl::StrCat(r.name, "|", r.title, "\n");
  for (const Section& s : r.sections) {
    absl::StrAppend(&out, "## ", s.title, "\n");
    for (const Row& row : s.rows) {
      absl::StrAppend(&out, row.label);
      for (const Cell& c : row.cells) absl::StrAppend(&out, "\t", c.display);
      absl::StrAppend(&out, "\n");
    }
  }
  for (const std::string& n : r.notes) absl::StrAppend(&out, "note: ", n, "\n");
  return out;
}

// ---- suppression ----

TEST(Suppression, WithholdsOneToFourShowsZeroAndFive) {
  const auto hidden = Suppress({{0, 1, 4, 5, 12}}, 5, {});
  EXPECT_THAT(hidden[0], ElementsAre(false, true, true, false, false));
}

TEST(Suppression, WithholdsASecondFigureSoATotalCannotGiveTheFirstAway) {
  // rows: 3, 10, 12; total 25. Only 3 is small: 25 - 10 - 12 would give it away, so the
  // smallest other row (10) is withheld with it.
  const std::vector<std::vector<int64_t>> counts = {{3}, {10}, {12}, {25}};
  const auto hidden = Suppress(counts, 5, {{.parts = {{0, 0}, {1, 0}, {2, 0}}, .total = {3, 0}}});
  EXPECT_TRUE(hidden[0][0]);
  EXPECT_TRUE(hidden[1][0]);
  EXPECT_FALSE(hidden[2][0]);
  EXPECT_FALSE(hidden[3][0]);
}

TEST(Suppression, WithholdsTheTotalWhenNoOtherPartCanHideIt) {
  // parts 3 and 0 (the zero is shown, and any reader would guess it): total 3 = the part.
  const auto hidden = Suppress({{3, 0, 3}}, 5, {{.parts = {{0, 0}, {0, 1}}, .total = {0, 2}}});
  EXPECT_TRUE(hidden[0][0]);
  EXPECT_TRUE(hidden[0][1] || hidden[0][2]);
}

TEST(Suppression, NoSumEverHasExactlyOneWithheldFigure) {
  // Random two-way tables with their row and column totals: whatever is withheld, no single
  // figure can be recovered by subtraction from a row or column.
  std::mt19937 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    const size_t rows = 2 + rng() % 6, cols = 2 + rng() % 5;
    std::vector<std::vector<int64_t>> t(rows + 1, std::vector<int64_t>(cols + 1, 0));
    for (size_t r = 0; r < rows; ++r) {
      for (size_t c = 0; c < cols; ++c) {
        t[r][c] = rng() % 4 == 0 ? 0 : rng() % 12;
        t[r][cols] += t[r][c];
        t[rows][c] += t[r][c];
        t[rows][cols] += t[r][c];
      }
    }
    std::vector<Sum> sums;
    for (size_t r = 0; r <= rows; ++r) {
      Sum s{.total = {r, cols}};
      for (size_t c = 0; c < cols; ++c) s.parts.push_back({r, c});
      sums.push_back(s);
    }
    for (size_t c = 0; c <= cols; ++c) {
      Sum s{.total = {rows, c}};
      for (size_t r = 0; r < rows; ++r) s.parts.push_back({r, c});
      sums.push_back(s);
    }
    const auto hidden = Suppress(t, 5, sums);
    for (size_t r = 0; r <= rows; ++r) {
      for (size_t c = 0; c <= cols; ++c) {
        if (t[r][c] > 0 && t[r][c] < 5) {
          ASSERT_TRUE(hidden[r][c]) << "trial " << trial;
        }
      }
    }
    for (const Sum& s : sums) {
      int withheld = hidden[s.total.first][s.total.second] ? 1 : 0;
      for (const CellRef& p : s.parts) withheld += hidden[p.first][p.second] ? 1 : 0;
      ASSERT_NE(withheld, 1) << "trial " << trial;
    }
  }
}

// ---- a small data set, counted by hand ----

ChildRef Child(int n) {
  ChildRef c = testing::PoliceChild(absl::StrCat("PP-", n), TestNhsNumber(700 + n));
  c.date_of_birth = absl::CivilDay(2012, 6, 1);
  c.sex = n % 2 == 0 ? Sex::kFemale : Sex::kMale;
  return c;
}

void Absence(std::vector<Event>& out, int child, const std::string& record, const std::string& start,
             const std::string& end = "") {
  out.push_back(MakeEvent("police.test", record, "report", 1, Child(child), At(start),
                          MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "MISSING",
                                          .risk_grade = RiskGrade::kLow}));
  if (!end.empty()) out.push_back(MakeEvent("police.test", record, "found", 1, Child(child), At(end), FoundReturned{}));
}

void Interview(std::vector<Event>& out, int child, const std::string& episode, InterviewOutcome outcome,
               const std::string& at, const std::string& reason = "") {
  out.push_back(MakeEvent("rhi.test", absl::StrCat("RHI-", episode), outcome == InterviewOutcome::kOffered ? "offered" : "outcome",
                          1, Child(child), At(at),
                          ReturnInterview{.outcome = outcome, .reason = reason, .episode_ref = episode}));
}

AgencyRegistry TestRegistry() {
  AgencyRegistry r;
  for (const auto& [id, kind] : std::vector<std::pair<const char*, AgencyKind>>{
           {"police.test", AgencyKind::kPolice}, {"rhi.test", AgencyKind::kRhiProvider}}) {
    r.Register(id, {.kind = kind, .records = DefaultRecords(kind)});
  }
  r.Register("lcs.coventry", {.kind = AgencyKind::kSocialCare, .authority = "coventry",
                              .records = DefaultRecords(AgencyKind::kSocialCare)});
  return r;
}

// Child 1: returned 2 Mar 02:00, interviewed 32 h later          completed in time (Mar)
// Child 2: returned 11 Mar 06:00, interviewed 123 h later        completed late    (Mar)
// Child 3: returned 5 Apr 20:00, refused 40 h later              declined          (Apr)
// Child 4: returned 21 Apr, a decision not to offer              not offered       (Apr)
// Child 5: returned 2 May, nothing from the provider             no RHI recorded   (May)
// Child 1: returned 2 Jun 04:00, offered 8 h later, no outcome   awaiting          (Jun)
// Not counted: child 6 still missing; child 2's return on 31 Dec 2025; child 5's second
// episode, whose return is dated before its report (a note says so).
std::vector<Event> HandCountedInterviews() {
  std::vector<Event> e;
  Absence(e, 1, "MP-1", "2026-03-01T20:00:00Z", "2026-03-02T02:00:00Z");
  Interview(e, 1, "MP-1", InterviewOutcome::kOffered, "2026-03-02T10:00:00Z");
  Interview(e, 1, "MP-1", InterviewOutcome::kCompleted, "2026-03-03T10:00:00Z");
  Absence(e, 2, "MP-2", "2026-03-10T18:00:00Z", "2026-03-11T06:00:00Z");
  Interview(e, 2, "MP-2", InterviewOutcome::kOffered, "2026-03-11T09:00:00Z");
  Interview(e, 2, "MP-2", InterviewOutcome::kCompleted, "2026-03-16T09:00:00Z");
  Absence(e, 3, "MP-3", "2026-04-05T12:00:00Z", "2026-04-05T20:00:00Z");
  Interview(e, 3, "MP-3", InterviewOutcome::kDeclined, "2026-04-07T12:00:00Z", "Did not want to talk");
  Absence(e, 4, "MP-4", "2026-04-20T10:00:00Z", "2026-04-21T10:00:00Z");
  Interview(e, 4, "MP-4", InterviewOutcome::kNotOffered, "2026-04-21T12:00:00Z", "Secure placement");
  Absence(e, 5, "MP-5", "2026-05-01T10:00:00Z", "2026-05-02T10:00:00Z");
  Absence(e, 6, "MP-6", "2026-05-10T10:00:00Z");
  Absence(e, 1, "MP-7", "2026-06-01T22:00:00Z", "2026-06-02T04:00:00Z");
  Interview(e, 1, "MP-7", InterviewOutcome::kOffered, "2026-06-02T12:00:00Z");
  Absence(e, 2, "MP-8", "2025-12-30T18:00:00Z", "2025-12-31T06:00:00Z");
  Absence(e, 5, "MP-9", "2026-07-01T10:00:00Z", "2026-06-30T10:00:00Z");
  return e;
}

TEST(RhiComplianceReport, MatchesTheHandCount) {
  Hub hub(HandCountedInterviews(), TestRegistry());
  const Report r = RunReport(hub, Year("rhi-compliance"));
  const std::string m = "By month";
  //                 ended  offered<72h  in time  late  declined  not offered  awaiting  none
  // Mar 2026          2        2           1      1       0          0           0        0
  // Apr 2026          2        1           0      0       1          1           0        0
  // May 2026          1        0           0      0       0          0           0        1
  // Jun 2026          1        1           0      0       0          0           1        0
  // Total             6        4           1      1       1          1           1        1
  const std::map<std::string, std::vector<std::string>> expected = {
      {"Mar 2026", {"2", "2", "1", "1", "0", "0", "0", "0"}}, {"Apr 2026", {"2", "1", "0", "0", "1", "1", "0", "0"}},
      {"May 2026", {"1", "0", "0", "0", "0", "0", "0", "1"}}, {"Jun 2026", {"1", "1", "0", "0", "0", "0", "1", "0"}},
      {"Jul 2026", {"0", "0", "0", "0", "0", "0", "0", "0"}}, {"Total", {"6", "4", "1", "1", "1", "1", "1", "1"}}};
  const std::vector<std::string> keys = {"ended", "offered_in_time", "completed_in_time", "completed_late",
                                         "declined", "not_offered", "awaiting", "none"};
  for (const auto& [row, figures] : expected) {
    for (size_t k = 0; k < keys.size(); ++k) EXPECT_EQ(Shown(r, m, row, keys[k]), figures[k]) << row << " " << keys[k];
  }
  EXPECT_EQ(Shown(r, m, "Total", "completed_in_time_rate"), "16.7%");  // 1 of 6
  EXPECT_EQ(Shown(r, m, "Total", "median_hours"), "77.5");             // 32 h and 123 h
  EXPECT_EQ(Shown(r, m, "Mar 2026", "median_hours"), "77.5");
  EXPECT_EQ(Shown(r, m, "Apr 2026", "median_hours"), "–");             // none completed
  EXPECT_EQ(Shown(r, "By RHI provider", "rhi.test", "ended"), "5");
  EXPECT_EQ(Shown(r, "By RHI provider", "No RHI recorded", "ended"), "1");
  EXPECT_EQ(Shown(r, "Reasons for declining", "Did not want to talk", "declined"), "1");
  EXPECT_EQ(Shown(r, "By sex", "Male", "ended"), "4");  // children 1 (twice), 3 and 5
  EXPECT_EQ(Shown(r, "By age band", "13 to 15", "ended"), "6");
  EXPECT_THAT(r.notes, ::testing::Contains(HasSubstr("1 episode is not counted: a return is dated before its report")));
}

TEST(RhiComplianceReport, SuppressesSmallNumbersSoNoneCanBeWorkedOut) {
  Hub hub(HandCountedInterviews(), TestRegistry());
  const Report r = RunReport(hub, Year("rhi-compliance", 5));
  const std::string m = "By month";
  EXPECT_EQ(Shown(r, m, "Total", "ended"), "6");  // 6 is not small
  for (const char* key : {"completed_in_time", "completed_late", "declined", "not_offered", "awaiting", "none"}) {
    EXPECT_EQ(Shown(r, m, "Total", key), "<5") << key;
  }
  EXPECT_EQ(Shown(r, m, "Mar 2026", "ended"), "<5");
  EXPECT_EQ(Shown(r, m, "Total", "completed_in_time_rate"), "[c]");  // it would give 1 of 6 away
  EXPECT_EQ(Shown(r, m, "Total", "median_hours"), "[c]");            // a median of two children
  // A withheld figure's value never leaves the report.
  for (const Section& s : r.sections) {
    for (const Row& row : s.rows) {
      for (const Cell& c : row.cells) {
        if (c.suppressed) {
          EXPECT_EQ(c.value, 0) << s.title << " " << row.label;
        }
      }
    }
  }
  // The reason given once is not listed word for word.
  EXPECT_EQ(Shown(r, "Reasons for declining", "Other reasons (each given fewer than 5 times)", "declined"), "<5");
  EXPECT_EQ(r.Find("Reasons for declining")->Find("Did not want to talk", "declined"), nullptr);
}

TEST(ReportRequests, AreCheckedBeforeAnythingIsCounted) {
  Hub hub({}, TestRegistry());
  ReportRequest r = Year("rhi-complaince");
  EXPECT_THAT(std::string(hub.engine->Run(r, kNow).status().message()), HasSubstr("there are: rhi-compliance, episodes"));
  r = Year("episodes");
  r.to = absl::CivilDay(2025, 12, 31);
  EXPECT_THAT(std::string(hub.engine->Run(r, kNow).status().message()), HasSubstr("ends (2025-12-31) before it begins"));
  r = Year("episodes");
  r.to = absl::CivilDay(2040, 1, 1);
  EXPECT_THAT(std::string(hub.engine->Run(r, kNow).status().message()), HasSubstr("at most 10 years"));
  r = Year("episodes");
  r.as_at = kNow + absl::Hours(1);
  EXPECT_THAT(std::string(hub.engine->Run(r, kNow).status().message()), HasSubstr("in the future"));
  EXPECT_FALSE(hub.engine->Run(Year("ssda903-missing"), kNow).ok());  // a return, not a report
  r = Year("episodes");
  r.authority = "coventy";
  EXPECT_THAT(std::string(hub.engine->Run(r, kNow).status().message()),
              HasSubstr("no record names the authority 'coventy'; the authorities the hub knows: coventry"));
}

// ---- as at a time: amendments and late records ----

TEST(ReportsAsAt, CountAmendmentsAndLateRecordsByEventTimeAsRecordedThen) {
  std::vector<Event> e;
  // Child 1: reported missing on 1 Feb (recorded that day); on 10 Feb the police amend the
  // report to "absent" (revision 2).
  Event report = MakeEvent("police.test", "MP-1", "report", 1, Child(1), At("2026-02-01T10:00:00Z"),
                           MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "MISSING"});
  Event amended = MakeEvent("police.test", "MP-1", "report", 2, Child(1), At("2026-02-01T10:00:00Z"),
                            MissingReported{.category = AbsenceCategory::kAbsent, .category_as_recorded = "ABSENT"});
  amended.recorded_at = At("2026-02-10T09:00:00Z");
  // Child 2: missing on 15 Jan, but the record was made only on 1 Mar.
  Event late = MakeEvent("police.test", "MP-2", "report", 1, Child(2), At("2026-01-15T10:00:00Z"),
                         MissingReported{.category = AbsenceCategory::kMissing, .category_as_recorded = "MISSING"});
  late.recorded_at = At("2026-03-01T09:00:00Z");
  e = {report, amended, late};
  Hub hub(e, TestRegistry());

  // As at 5 Feb: the first revision, and nothing of child 2.
  Report r = RunReport(hub, Year("episodes", 1, At("2026-02-05T00:00:00Z")));
  EXPECT_EQ(hub.engine->last_path(), ReportEngine::Path::kRebuilt);
  EXPECT_EQ(Shown(r, "By month", "Feb 2026", "missing"), "1");
  EXPECT_EQ(Shown(r, "By month", "Feb 2026", "absent"), "0");
  EXPECT_EQ(Shown(r, "By month", "Jan 2026", "episodes"), "0");
  // As at 15 Feb: the amendment is in force, still by its event time (February).
  r = RunReport(hub, Year("episodes", 1, At("2026-02-15T00:00:00Z")));
  EXPECT_EQ(Shown(r, "By month", "Feb 2026", "missing"), "0");
  EXPECT_EQ(Shown(r, "By month", "Feb 2026", "absent"), "1");
  EXPECT_EQ(Shown(r, "By month", "Jan 2026", "episodes"), "0");
  // As at 2 Mar: the late record counts in January, when the child went missing.
  r = RunReport(hub, Year("episodes", 1, At("2026-03-02T00:00:00Z")));
  EXPECT_EQ(hub.engine->last_path(), ReportEngine::Path::kLive);
  EXPECT_EQ(Shown(r, "By month", "Jan 2026", "episodes"), "1");
  EXPECT_EQ(Shown(r, "By month", "Feb 2026", "absent"), "1");
  EXPECT_EQ(Shown(r, "By month", "Total", "episodes"), "2");
}

TEST(ReportsAsAt, AreTheSameOnEveryReplicaWhateverOrderTheEventsArrived) {
  const testing::SyntheticCity city = testing::MakeSyntheticCity({.children = 150, .seed = 3});
  std::vector<Event> shuffled = city.events;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(11));
  Hub a(city.events, city.registry);
  Hub b(shuffled, city.registry);
  for (const ReportInfo& info : Catalog()) {
    if (info.statutory) continue;
    for (const absl::Time as_at : {At("2026-07-01T00:00:00Z"), kNow}) {
      const ReportRequest request = Year(info.name, 5, as_at);
      EXPECT_EQ(Render(RunReport(a, request)), Render(RunReport(b, request))) << info.name;
    }
  }
}

TEST(ReportsAsAt, ARebuiltLogGivesWhatALiveOneHoldingTheSameEventsGives) {
  const testing::SyntheticCity city = testing::MakeSyntheticCity({.children = 150, .seed = 5});
  const absl::Time as_at = At("2026-08-01T00:00:00Z");
  std::vector<Event> then;
  for (const Event& e : city.events) {
    if (e.recorded_at <= as_at) then.push_back(e);
  }
  ASSERT_LT(then.size(), city.events.size());
  Hub full(city.events, city.registry);
  Hub partial(then, city.registry);
  for (const char* name : {"episodes", "rhi-compliance", "recording-consistency", "out-of-area", "providers"}) {
    const Report rebuilt = RunReport(full, Year(name, 5, as_at));
    EXPECT_EQ(full.engine->last_path(), ReportEngine::Path::kRebuilt);
    const Report live = RunReport(partial, Year(name, 5, as_at));
    EXPECT_EQ(partial.engine->last_path(), ReportEngine::Path::kLive);
    EXPECT_EQ(Render(rebuilt), Render(live)) << name;
  }
}

// ---- a year of a synthetic city, against the generator's own account ----

class SyntheticCityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    city_ = new testing::SyntheticCity(testing::MakeSyntheticCity());
    hub_ = new Hub(city_->events, city_->registry);
  }
  static void TearDownTestSuite() {
    delete hub_;
    delete city_;
  }
  static std::string Month(absl::Time t) { return absl::FormatTime("%b %Y", t, absl::UTCTimeZone()); }
  static bool InYear(absl::Time t) { return t >= At("2026-01-01T00:00:00Z") && t < At("2027-01-01T00:00:00Z"); }

  static testing::SyntheticCity* city_;
  static Hub* hub_;
};
testing::SyntheticCity* SyntheticCityTest::city_ = nullptr;
Hub* SyntheticCityTest::hub_ = nullptr;

TEST_F(SyntheticCityTest, IsTheSizeOfAYearOfACity) {
  EXPECT_GE(city_->episodes.size(), 1800u);
  EXPECT_LE(city_->episodes.size(), 2400u);
  EXPECT_EQ(city_->children.size(), 900u);
}

TEST_F(SyntheticCityTest, ReturnHomeInterviewsMatchWhatHappened) {
  const Report r = RunReport(*hub_, Year("rhi-compliance"));
  std::map<std::string, std::map<std::string, int>> want;  // month -> measure -> count
  for (const testing::TruthEpisode& t : city_->episodes) {
    if (!t.end || !InYear(*t.end)) continue;
    for (const std::string& row : {Month(*t.end), std::string("Total")}) {
      auto& w = want[row];
      ++w["ended"];
      const absl::Time due = *t.end + absl::Hours(72);
      if (t.rhi_completed) ++w[*t.rhi_completed <= due ? "completed_in_time" : "completed_late"];
      else if (t.rhi_declined) ++w["declined"];
      else if (t.rhi_not_offered) ++w["not_offered"];
      else if (t.rhi_record) ++w["awaiting"];
      else ++w["none"];
      const std::optional<absl::Time> offered = t.rhi_offered;
      if (offered && *offered <= due) ++w["offered_in_time"];
    }
  }
  ASSERT_GT(want["Total"]["ended"], 1500);
  for (auto& [row, w] : want) {
    for (const char* key : {"ended", "offered_in_time", "completed_in_time", "completed_late", "declined",
                            "not_offered", "awaiting", "none"}) {
      EXPECT_EQ(Shown(r, "By month", row, key), Figure(w[key])) << row << " " << key;
    }
  }
}

TEST_F(SyntheticCityTest, EpisodesChildrenAndCategoriesMatchWhatHappened) {
  const Report r = RunReport(*hub_, Year("episodes"));
  std::map<std::string, std::map<std::string, int>> want;
  std::map<std::string, std::set<int>> children;
  for (const testing::TruthEpisode& t : city_->episodes) {
    if (!InYear(t.start)) continue;
    std::set<AbsenceCategory> categories;
    if (t.police) categories.insert(t.police_category);
    if (t.social_care) categories.insert(t.social_care_category);
    if (!t.home.empty()) categories.insert(AbsenceCategory::kMissing);
    for (const std::string& row : {Month(t.start), std::string("Total")}) {
      ++want[row]["episodes"];
      children[row].insert(t.child);
      if (categories.size() > 1) ++want[row]["differ"];
      else if (*categories.begin() == AbsenceCategory::kMissing) ++want[row]["missing"];
      else if (*categories.begin() == AbsenceCategory::kAbsent) ++want[row]["absent"];
      else ++want[row]["away"];
      if (!t.end) ++want[row]["open"];
    }
  }
  for (auto& [row, w] : want) {
    const auto shown = Figure;
    for (const char* key : {"episodes", "missing", "absent", "away", "differ", "open"}) {
      EXPECT_EQ(Shown(r, "By month", row, key), shown(w[key])) << row << " " << key;
    }
    EXPECT_EQ(Shown(r, "By month", row, "children"), shown(static_cast<int>(children[row].size()))) << row;
  }
}

TEST_F(SyntheticCityTest, RecordingAndAreasMatchWhatHappened) {
  const Report consistency = RunReport(*hub_, Year("recording-consistency"));
  const Report area = RunReport(*hub_, Year("out-of-area"));
  int both = 0, police_only = 0, care_only = 0, neither = 0, agree = 0;
  std::map<std::string, int> by_area;
  for (const testing::TruthEpisode& t : city_->episodes) {
    if (!InYear(t.start)) continue;
    if (t.police && t.social_care) {
      ++both;
      if (t.police_category == t.social_care_category) ++agree;
    } else if (t.police) {
      ++police_only;
    } else if (t.social_care) {
      ++care_only;
    } else {
      ++neither;
    }
    const testing::TruthChild& c = city_->children[static_cast<size_t>(t.child)];
    const std::string group = !c.looked_after                   ? "At home in coventry (not looked after)"
                              : c.placing_authority != "coventry" ? "Placed in coventry by other authorities"
                              : c.host_authority != "coventry"    ? "Placed out of area by coventry"
                                                                  : "Placed within coventry by coventry";
    ++by_area[group];
  }
  const auto shown = Figure;
  EXPECT_EQ(Shown(consistency, "By month", "Total", "both"), shown(both));
  EXPECT_EQ(Shown(consistency, "By month", "Total", "agree"), shown(agree));
  EXPECT_EQ(Shown(consistency, "By month", "Total", "police_only"), shown(police_only));
  EXPECT_EQ(Shown(consistency, "By month", "Total", "social_care_only"), shown(care_only));
  EXPECT_EQ(Shown(consistency, "By month", "Total", "neither"), shown(neither));
  ASSERT_EQ(by_area.size(), 4u);
  for (const auto& [group, n] : by_area) EXPECT_EQ(Shown(area, "Side by side", group, "episodes"), shown(n)) << group;
}

TEST_F(SyntheticCityTest, EveryReportRunsAndEveryTotalRowAddsUp) {
  for (const ReportInfo& info : Catalog()) {
    if (info.statutory) continue;
    const Report r = RunReport(*hub_, Year(info.name));
    ASSERT_FALSE(r.sections.empty()) << info.name;
    for (const Section& s : r.sections) {
      ASSERT_TRUE(s.rows.back().total) << info.name << " " << s.title;
      for (const Row& row : s.rows) ASSERT_EQ(row.cells.size(), s.columns.size()) << info.name << " " << s.title;
    }
  }
}

// ---- statutory returns ----

ChildRef CareChild(const std::string& la_id, int n) {
  ChildRef c = Child(n);
  c.la_child_id = la_id;
  c.local_authority = la_id.empty() ? "" : "coventry";
  return c;
}

Event Placement(const ChildRef& c, const std::string& at, bool looked_after, const std::string& host) {
  return MakeEvent("lcs.coventry", absl::StrCat("PL-", c.police_person_id, "-", at), "placement", 1, c, At(at),
                   PlacementChanged{.looked_after = looked_after, .placing_authority = "coventry", .host_authority = host,
                                    .placement_ref = "SC1", .placement_type = "children's home",
                                    .allocated_team = "CiC 1"});
}

Event CareEpisode(const ChildRef& c, const std::string& record, AbsenceCategory category, const std::string& start,
                  const std::string& end = "") {
  MissingReported m{.category = category, .category_as_recorded = "as recorded"};
  if (!end.empty()) m.ended_at = At(end);
  return MakeEvent("lcs.coventry", record, "episode", 1, c, At(start), m);
}

// LA-1: missing 1-2 May; missing again from 10 Jun, still open though the placement changed
// on 20 Jun (rule 575). LA-2 (placed in Warwickshire): away on 10 Apr for three hours. A third
// looked-after child has no LA child id: not listed, and a note says so.
std::vector<Event> CareRecords() {
  const ChildRef one = CareChild("LA-1", 11), two = CareChild("LA-2", 12), three = CareChild("", 13);
  return {Placement(one, "2026-01-01T12:00:00Z", true, "coventry"),
          CareEpisode(one, "LCS-1", AbsenceCategory::kMissing, "2026-05-01T10:00:00Z", "2026-05-02T09:00:00Z"),
          CareEpisode(one, "LCS-2", AbsenceCategory::kMissing, "2026-06-10T10:00:00Z"),
          Placement(one, "2026-06-20T12:00:00Z", true, "coventry"),
          Placement(two, "2026-01-01T12:00:00Z", true, "warwickshire"),
          CareEpisode(two, "LCS-3", AbsenceCategory::kAwayWithoutAuthorisation, "2026-04-10T10:00:00Z",
                      "2026-04-10T13:00:00Z"),
          Placement(three, "2026-01-01T12:00:00Z", true, "coventry"),
          CareEpisode(three, "LCS-4", AbsenceCategory::kMissing, "2026-05-05T10:00:00Z", "2026-05-05T12:00:00Z")};
}

ReportRequest CollectionYear(const std::string& name) {
  ReportRequest r = Year(name);
  r.from = absl::CivilDay(2026, 4, 1);
  r.to = absl::CivilDay(2027, 3, 31);
  r.authority = "coventry";
  return r;
}

TEST(Ssda903Missing, ListsTheLookedAfterChildrensPeriodsWithDfeColumnsAndCodes) {
  Hub hub(CareRecords(), TestRegistry());
  absl::StatusOr<StatutoryReturn> ret = hub.engine->RunReturn(CollectionYear("ssda903-missing"), kNow);
  ASSERT_TRUE(ret.ok()) << ret.status();
  EXPECT_THAT(ret->columns, ElementsAre("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"));
  EXPECT_THAT(ret->rows, ElementsAre(ElementsAre("LA-1", "01/06/2012", "M", "01/05/2026", "02/05/2026"),
                                     ElementsAre("LA-1", "01/06/2012", "M", "10/06/2026", ""),
                                     ElementsAre("LA-2", "01/06/2012", "A", "10/04/2026", "10/04/2026")));
  ASSERT_EQ(ret->findings.size(), 1u);
  EXPECT_EQ(ret->findings[0].rule, "575");
  EXPECT_EQ(ret->findings[0].row, 2);
  EXPECT_THAT(ret->notes, ::testing::Contains(HasSubstr("1 looked-after child has episodes in the period but no coventry LA child id")));
  EXPECT_EQ(ret->file_name, "ssda903_missing_coventry_2026-04-01_2027-03-31.csv");
  // Its own rows pass the 903 rules checked without the hub (575 needs placements).
  EXPECT_THAT(Validate903Missing(ret->rows, CollectionYear("").from, CollectionYear("").to), IsEmpty());
}

// The sample's own case: the 903 export lists LA-5 though its placement record says "not looked
// after" (listed, with a note); LA-6's away period is known only to the home and the 903
// export, so its code comes from the export (date only), not left blank.
TEST(Ssda903Missing, ListsWhatTheAuthoritysOwnReturnListsAndTakesItsCode) {
  const ChildRef five = CareChild("LA-5", 15), six = CareChild("LA-6", 16);
  AgencyRegistry registry = TestRegistry();
  registry.Register("ssda903.coventry", {.kind = AgencyKind::kSsda903Return, .authority = "coventry",
                                         .records = DefaultRecords(AgencyKind::kSsda903Return)});
  const auto from_return = [](const ChildRef& c, const std::string& record, AbsenceCategory category,
                              const std::string& start, const std::string& end) {
    MissingReported m{.category = category, .category_as_recorded = category == AbsenceCategory::kMissing ? "M" : "A"};
    m.ended_at = At(end);
    return MakeEvent("ssda903.coventry", record, "period", 1, c, At(start), m);
  };
  std::vector<Event> e = {Placement(five, "2026-04-20T12:00:00Z", false, "coventry"),
                          from_return(five, "LA-5/2026-11-08", AbsenceCategory::kMissing, "2026-11-08T00:00:00Z",
                                      "2026-11-10T00:00:00Z"),
                          CareEpisode(five, "LCS-9", AbsenceCategory::kMissing, "2026-11-08T21:00:00Z",
                                      "2026-11-10T10:00:00Z"),
                          Placement(six, "2026-01-01T12:00:00Z", true, "coventry"),
                          from_return(six, "LA-6/2026-11-12", AbsenceCategory::kAwayWithoutAuthorisation,
                                      "2026-11-12T00:00:00Z", "2026-11-12T00:00:00Z")};
  e.push_back(MakeEvent("home.oak", "OH-35", "absence", 1, six, At("2026-11-12T20:10:00Z"),
                        MissingReported{.category = AbsenceCategory::kAwayWithoutAuthorisation,
                                        .category_as_recorded = "UNAUTHORISED ABSENCE",
                                        .ended_at = At("2026-11-12T22:40:00Z")}));
  Hub hub(e, registry);
  absl::StatusOr<StatutoryReturn> ret = hub.engine->RunReturn(CollectionYear("ssda903-missing"), kNow);
  ASSERT_TRUE(ret.ok()) << ret.status();
  EXPECT_THAT(ret->rows, ElementsAre(ElementsAre("LA-5", "01/06/2012", "M", "08/11/2026", "10/11/2026"),
                                     ElementsAre("LA-6", "01/06/2012", "A", "12/11/2026", "12/11/2026")));
  EXPECT_THAT(ret->findings, IsEmpty());
  EXPECT_THAT(ret->notes, ::testing::Contains(HasSubstr("placement its social care recorded as in force says they were "
                                                        "not looked after: LA-5")));
}

TEST(Ssda903Missing, ValidationFindsEachRuleBroken) {
  const std::vector<std::vector<std::string>> rows = {
      {"C1", "01/01/2010", "M", "01/05/2026", ""},            // open ...
      {"C1", "01/01/2010", "M", "03/05/2026", "04/05/2026"},  // ... and another starts: 574
      {"C2", "01/01/2010", "A", "01/06/2026", "10/06/2026"},
      {"C2", "01/01/2010", "A", "05/06/2026", "06/06/2026"},  // overlaps: 574
      {"C3", "01/01/2010", "M", "01/04/2027", ""},            // after the year: 570
      {"C4", "01/01/2010", "M", "01/05/2026", "02/04/2027"},  // ends after it: 571
      {"C5", "31/02/2010", "X", "1/5/2026", ""},              // DOB, MISSING, MIS_START
      {"", "01/01/2010", "M", "01/05/2026", "30/04/2026"},    // CHILD, end before start
  };
  std::multiset<std::string> rules;
  for (const Finding& f : Validate903Missing(rows, absl::CivilDay(2026, 4, 1), absl::CivilDay(2027, 3, 31))) {
    rules.insert(absl::StrCat(f.row, ":", f.rule));
  }
  EXPECT_THAT(rules, ::testing::UnorderedElementsAre("2:574", "4:574", "5:570", "6:571", "7:DOB", "7:MISSING",
                                                   "7:MIS_START", "8:CHILD", "8:MIS_END"));
}

TEST(AnnexAMissing, GivesEachLookedAfterChildsCountsAndLastInterview) {
  std::vector<Event> e = CareRecords();
  Interview(e, 11, "LCS-1", InterviewOutcome::kOffered, "2026-05-02T12:00:00Z");
  Interview(e, 11, "LCS-1", InterviewOutcome::kCompleted, "2026-05-03T12:00:00Z");
  Hub hub(e, TestRegistry());
  absl::StatusOr<StatutoryReturn> ret = hub.engine->RunReturn(CollectionYear("annex-a-missing"), kNow);
  ASSERT_TRUE(ret.ok()) << ret.status();
  ASSERT_EQ(ret->rows.size(), 2u);
  // LA-1: two missing episodes; the last (from 10 Jun) is still open, so whether an interview
  // was offered after it is not known yet. LA-2: one away (Annex A's 'Absent'), none missing.
  EXPECT_THAT(ret->rows[0], ElementsAre("LA-1", "a) Male", "01/06/2012", "14", "children's home", "a) In", "coventry",
                                        "SC1", "2", "0", "c) Unknown", "", "CiC 1"));
  EXPECT_THAT(ret->rows[1], ElementsAre("LA-2", "b) Female", "01/06/2012", "14", "children's home", "b) Out",
                                        "warwickshire", "SC1", "0", "1", "", "", "CiC 1"));
}

}  // namespace
}  // namespace homeward::aggregator::reports
