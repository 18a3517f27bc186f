#include "tests/testing/synthetic_city.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "tests/testing/events.h"

namespace homeward::testing {
namespace {

constexpr char kPolice[] = "police.west-midlands";
constexpr char kCoventry[] = "lcs.coventry";
constexpr char kSolihull[] = "lcs.solihull";
constexpr char k903[] = "ssda903.coventry";
constexpr char kRhi[] = "rhi.coventry-independent";
const char* const kHomes[] = {"home.oakfield-house", "home.elm-lodge"};

// A small deterministic generator: the same seed gives the same city on every platform (the
// standard distributions are implementation-defined, so they are not used).
class Dice {
 public:
  explicit Dice(unsigned seed) : engine_(seed) {}
  // 0 .. n-1
  int Below(int n) { return static_cast<int>(engine_() % static_cast<uint32_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }
  absl::Duration Minutes(int lo, int hi) { return absl::Minutes(lo + Below(hi - lo + 1)); }

 private:
  std::mt19937 engine_;
};

Event Make(const char* agency, AgencyKind kind, const std::string& record, const std::string& facet, int64_t revision,
           const ChildRef& child, absl::Time at, Payload payload) {
  Event e = MakeEvent(agency, record, facet, revision, child, at, std::move(payload));
  e.agency_kind = kind;
  return e;
}

}  // namespace

AgencyRegistry CityRegistry() {
  AgencyRegistry r;
  const auto add = [&](const char* id, AgencyKind kind, std::string authority = "") {
    r.Register(id, {.kind = kind, .authority = std::move(authority), .records = DefaultRecords(kind)});
  };
  add(kPolice, AgencyKind::kPolice);
  add(kCoventry, AgencyKind::kSocialCare, "coventry");
  add(kSolihull, AgencyKind::kSocialCare, "solihull");
  add(k903, AgencyKind::kSsda903Return, "coventry");
  for (const char* home : kHomes) add(home, AgencyKind::kResidentialHome);
  add(kRhi, AgencyKind::kRhiProvider);
  add("education.coventry", AgencyKind::kEducation);
  add("health.coventry-ed", AgencyKind::kHealth);
  return r;
}

SyntheticCity MakeSyntheticCity(const CityOptions& options) {
  SyntheticCity city{.registry = CityRegistry(), .latest_recorded_at = absl::InfinitePast()};
  Dice dice(options.seed);
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time year_start = absl::FromCivil(absl::CivilDay(options.year, 1, 1), utc);
  const absl::Time year_end = absl::FromCivil(absl::CivilDay(options.year + 1, 1, 1), utc);
  const auto add = [&](Event e, absl::Duration recorded_after) {
    e.recorded_at = e.occurred_at + recorded_after;
    city.latest_recorded_at = std::max(city.latest_recorded_at, e.recorded_at);
    city.events.push_back(std::move(e));
  };
  // Most records are made within the hour; one in twenty is recorded three weeks late.
  const auto delay = [&]() { return dice.Chance(5) ? absl::Hours(24 * 21) : dice.Minutes(10, 90); };
  const char* const reasons[] = {"Did not want to talk", "Said they were fine", "Spoke to their carer instead"};

  for (int n = 0; n < options.children; ++n) {
    TruthChild child;
    child.sex = dice.Chance(55) ? Sex::kMale : dice.Chance(97) ? Sex::kFemale : Sex::kOther;
    child.date_of_birth = absl::CivilDay(options.year - 9 - dice.Below(9), 1 + dice.Below(12), 1 + dice.Below(28));
    ChildRef ref = PoliceChild(absl::StrCat("PP-", 100000 + n), TestNhsNumber(50000 + n));
    ref.police_force = "west-midlands";
    ref.date_of_birth = child.date_of_birth;
    ref.sex = child.sex;
    const int kind = dice.Below(100);  // who looks after the child, and where
    const char* social_care = nullptr;
    const auto placed = [&](const char* placing, const char* host) {
      child.looked_after = true;
      child.placing_authority = placing;
      child.host_authority = host;
    };
    if (kind < 25) {
      placed("coventry", "coventry");  // coventry's, within the city
    } else if (kind < 33) {
      placed("coventry", "warwickshire");  // coventry's, placed out of area
    } else if (kind < 40) {
      placed("solihull", "coventry");  // placed in the city by solihull
    }
    ChildRef care_ref = ref;
    if (child.looked_after) {
      social_care = child.placing_authority == "coventry" ? kCoventry : kSolihull;
      care_ref.local_authority = child.placing_authority;
      care_ref.la_child_id = absl::StrCat(child.placing_authority == "coventry" ? "LA-" : "SOL-", 7000 + n);
      if (child.placing_authority == "coventry") child.la_child_id = care_ref.la_child_id;
      const bool residential = dice.Chance(50);
      add(Make(social_care, AgencyKind::kSocialCare, absl::StrCat("PL-", n), "placement", 1, care_ref,
               year_start - absl::Hours(24 * 60),
               PlacementChanged{.looked_after = true,
                                .placing_authority = child.placing_authority,
                                .host_authority = child.host_authority,
                                .placement_ref = residential ? absl::StrCat("SC", 900 + n % 2) : absl::StrCat("FC", n),
                                .placement_type = residential ? "children's home" : "foster placement",
                                .allocated_team = "Children in Care Team 1",
                                .social_care_open = true}),
          absl::Minutes(60));
    }
    const bool in_home = child.looked_after && dice.Chance(60);
    const char* home = kHomes[n % 2];
    city.children.push_back(child);

    // 1 to 10 episodes over the year, each in its own slot, never within 4 days of another.
    const int roll = dice.Below(100);
    const int count = roll < 55 ? 1 : roll < 75 ? 2 : roll < 88 ? 3 + dice.Below(2) : 5 + dice.Below(6);
    const absl::Duration slot = (year_end - year_start) / count;
    for (int k = 0; k < count; ++k) {
      const absl::Time s = year_start + slot * k + dice.Minutes(0, static_cast<int>(absl::ToInt64Minutes(slot) / 3));
      const int length = dice.Below(100);
      const absl::Duration lasted = length < 50   ? dice.Minutes(60, 23 * 60)
                                    : length < 80 ? dice.Minutes(25 * 60, 71 * 60)
                                    : length < 95 ? dice.Minutes(73 * 60, 6 * 24 * 60)
                                                  : dice.Minutes(8 * 24 * 60, 12 * 24 * 60);
      const bool open = k + 1 == count && dice.Chance(3);
      const absl::Time e = s + lasted;
      if (e >= year_end) continue;  // keep every episode inside the year
      TruthEpisode t{.child = n, .start = s};
      const std::string id = absl::StrCat(n, "-", k);
      t.police = !child.looked_after || dice.Chance(85);
      t.social_care = child.looked_after && (!t.police || dice.Chance(80));
      t.home = in_home && dice.Chance(70) ? home : "";
      std::vector<std::string> records;
      std::optional<absl::Time> end;
      std::optional<RiskGrade> regraded_to;
      const auto ended_at = [&](absl::Duration shift) {
        if (open) return;
        end = std::max(end.value_or(absl::InfinitePast()), e + shift);
      };
      if (t.police) {
        const std::string rec = absl::StrCat("MP-", id);
        records.push_back(rec);
        t.police_category = dice.Chance(80) ? AbsenceCategory::kMissing : AbsenceCategory::kAbsent;
        const int g = dice.Below(100);
        const RiskGrade grade = g < 10 ? RiskGrade::kNoApparentRisk : g < 50 ? RiskGrade::kLow
                                : g < 90 ? RiskGrade::kMedium : RiskGrade::kHigh;
        RiskGrade highest = grade;
        add(Make(kPolice, AgencyKind::kPolice, rec, "report", 1, ref, s,
                 MissingReported{.category = t.police_category,
                                 .category_as_recorded = t.police_category == AbsenceCategory::kMissing ? "MISSING" : "ABSENT",
                                 .risk_grade = grade}),
            delay());
        if (grade < RiskGrade::kHigh && dice.Chance(10)) {  // re-graded upward two hours in
          const RiskGrade to = static_cast<RiskGrade>(static_cast<int>(grade) + 1);
          regraded_to = to;
          add(Make(kPolice, AgencyKind::kPolice, rec, "regrade-1", 1, ref, s + absl::Hours(2),
                   RiskRegraded{.from_grade = grade, .to_grade = to, .decided_by = "Insp 1", .reason = "review"}),
              delay());
        }
        t.police_grade = std::max(highest, regraded_to.value_or(RiskGrade::kUnspecified));
        if (!open) {
          add(Make(kPolice, AgencyKind::kPolice, rec, "found", 1, ref, e, FoundReturned{.found_by = "police"}), delay());
          ended_at(absl::ZeroDuration());
        }
      }
      if (t.social_care) {
        const std::string rec = absl::StrCat("LCS-", id);
        records.push_back(rec);
        t.social_care_category = dice.Chance(70) ? AbsenceCategory::kMissing : AbsenceCategory::kAwayWithoutAuthorisation;
        MissingReported m{.category = t.social_care_category,
                          .category_as_recorded = t.social_care_category == AbsenceCategory::kMissing ? "Missing from care" : "Away from placement"};
        if (!open) m.ended_at = e - absl::Minutes(10);
        add(Make(social_care, AgencyKind::kSocialCare, rec, "episode", 1, care_ref, s + absl::Minutes(20), m), delay());
        ended_at(-absl::Minutes(10));
        if (social_care == kCoventry) {  // and in the 903 return: dates, not times
          const auto day = [&](absl::Time t) { return absl::FromCivil(absl::ToCivilDay(t, utc), utc); };
          MissingReported r{.category = t.social_care_category,
                            .category_as_recorded = t.social_care_category == AbsenceCategory::kMissing ? "M" : "A"};
          if (!open) {
            r.ended_at = day(e);
            ended_at(day(e) - e);
          }
          add(Make(k903, AgencyKind::kSsda903Return, absl::StrCat("903-", id), "period", 1, care_ref, day(s), r),
              absl::Hours(24 * 30));
        }
      }
      if (!t.home.empty()) {
        const std::string rec = absl::StrCat("OH-", id);
        records.push_back(rec);
        MissingReported m{.category = AbsenceCategory::kMissing, .category_as_recorded = "MISSING"};
        add(Make(home, AgencyKind::kResidentialHome, rec, "absence", 1, ref, s + absl::Minutes(5), m), delay());
        if (!open) {
          add(Make(home, AgencyKind::kResidentialHome, rec, "return", 1, ref, e - absl::Minutes(5), FoundReturned{}), delay());
          ended_at(-absl::Minutes(5));
        }
      }
      t.end = end;
      t.start = t.police ? s : !t.home.empty() ? s + absl::Minutes(5) : s + absl::Minutes(20);
      // A police amendment: the report re-issued at revision 2 a day later, category unchanged,
      // graded one step lower (the highest grade over the episode stands).
      if (t.police && dice.Chance(3)) {
        Event amended = Make(kPolice, AgencyKind::kPolice, absl::StrCat("MP-", id), "report", 2, ref, s,
                             MissingReported{.category = t.police_category,
                                             .category_as_recorded = t.police_category == AbsenceCategory::kMissing ? "MISSING" : "ABSENT",
                                             .risk_grade = RiskGrade::kLow});
        add(std::move(amended), absl::Hours(24));
        // The hub holds the latest revision only: the report's grade is now low.
        t.police_grade = std::max(RiskGrade::kLow, regraded_to.value_or(RiskGrade::kUnspecified));
      }
      // The return home interview.
      if (end && dice.Chance(85)) {
        t.rhi_record = true;
        const std::string rec = absl::StrCat("RHI-", id);
        const ChildRef rhi_ref = ref;
        const std::string episode_ref = records.front();
        const int outcome = dice.Below(100);
        if (outcome < 5) {
          t.rhi_not_offered = true;
          t.rhi_reason = "Returned to a secure placement";
          add(Make(kRhi, AgencyKind::kRhiProvider, rec, "outcome", 1, rhi_ref, *end + absl::Hours(6),
                   ReturnInterview{.outcome = InterviewOutcome::kNotOffered, .reason = t.rhi_reason, .episode_ref = episode_ref}),
              delay());
        } else {
          t.rhi_offered = *end + absl::Hours(12);
          add(Make(kRhi, AgencyKind::kRhiProvider, rec, "offered", 1, rhi_ref, *t.rhi_offered,
                   ReturnInterview{.outcome = InterviewOutcome::kOffered, .episode_ref = episode_ref}),
              delay());
          if (outcome < 70) {  // completed: well inside 72 h, or well after it
            t.rhi_completed = *end + (dice.Chance(75) ? dice.Minutes(13 * 60, 60 * 60) : dice.Minutes(84 * 60, 200 * 60));
            add(Make(kRhi, AgencyKind::kRhiProvider, rec, "outcome", 1, rhi_ref, *t.rhi_completed,
                     ReturnInterview{.outcome = InterviewOutcome::kCompleted, .independent = true, .episode_ref = episode_ref}),
                delay());
          } else if (outcome < 88) {
            t.rhi_declined = *end + absl::Hours(30);
            t.rhi_reason = reasons[dice.Below(3)];
            add(Make(kRhi, AgencyKind::kRhiProvider, rec, "outcome", 1, rhi_ref, *t.rhi_declined,
                     ReturnInterview{.outcome = InterviewOutcome::kDeclined, .reason = t.rhi_reason, .episode_ref = episode_ref}),
                delay());
          }  // else offered, no outcome yet
        }
      }
      city.episodes.push_back(std::move(t));
    }
    // A strategy meeting for some children with three or more episodes, a week after the third.
    const auto child_episodes = std::count_if(city.episodes.begin(), city.episodes.end(),
                                              [n](const TruthEpisode& t) { return t.child == n; });
    if (child_episodes >= 3 && dice.Chance(50)) {
      const TruthEpisode& third = *std::find_if(city.episodes.begin(), city.episodes.end(), [&](const TruthEpisode& t) {
        return t.child == n && std::count_if(city.episodes.begin(), city.episodes.end(), [&](const TruthEpisode& u) {
                                   return u.child == n && u.start <= t.start;
                               }) == 3;
      });
      add(Make(kCoventry, AgencyKind::kSocialCare, absl::StrCat("SM-", n), "meeting", 1, ref, third.start + absl::Hours(24 * 7),
               StrategyMeetingHeld{.trigger_plan_recorded = dice.Chance(60), .attending_agencies = {"police", "social care"}}),
          absl::Hours(2));
    }
    if (dice.Chance(10)) {
      add(Make("education.coventry", AgencyKind::kEducation, absl::StrCat("ED-", n), "note", 1, ref,
               year_start + absl::Hours(24 * (30 + dice.Below(300))),
               ChronologyNote{.kind = "attendance", .summary = "Absent from school (synthetic)"}),
          absl::Hours(1));
    }
  }
  return city;
}

}  // namespace homeward::testing
