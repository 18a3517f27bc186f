// File: synthetic_city.h
//
// A year of a synthetic city for the report tests and benchmark (issue 14, point 6): about 900
// children and 2,000 episodes, recorded by every agency as they would (police reports with
// grades and re-gradings, social care's case records and 903 return, residential homes, the RHI
// provider, strategy meetings, school and health notes), with late records and amendments.
// Deterministic for a seed. No real person: names are absent, NHS numbers in the 999 test range.
//
// Alongside the events, the generator's own account of what happened (TruthEpisode), so a test
// can work out the expected figures without the hub's reconciliation or the report code.
#ifndef HOMEWARD_TESTS_TESTING_SYNTHETIC_CITY_H_
#define HOMEWARD_TESTS_TESTING_SYNTHETIC_CITY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/domain/agency_registry.h"
#include "common/domain/event.h"

namespace homeward::testing {

struct CityOptions {
  int children = 900;
  int year = 2026;
  unsigned seed = 14;
};

struct TruthEpisode {
  int child = 0;
  absl::Time start;                // the earliest timed source's start
  std::optional<absl::Time> end;   // the latest source's return; none while open
  bool police = false;
  bool social_care = false;
  std::string home;  // the residential home that recorded it, or ""
  AbsenceCategory police_category = AbsenceCategory::kUnspecified;
  AbsenceCategory social_care_category = AbsenceCategory::kUnspecified;
  RiskGrade police_grade = RiskGrade::kUnspecified;  // the highest police gave
  // The return home interview, as the provider recorded it.
  bool rhi_record = false;
  std::optional<absl::Time> rhi_offered;
  std::optional<absl::Time> rhi_completed;
  std::optional<absl::Time> rhi_declined;
  bool rhi_not_offered = false;
  std::string rhi_reason;
};

struct TruthChild {
  Sex sex = Sex::kUnspecified;
  absl::CivilDay date_of_birth;
  bool looked_after = false;
  std::string placing_authority;  // "" when not looked after
  std::string host_authority;
  std::string la_child_id;  // coventry's, when coventry looks after them
};

struct SyntheticCity {
  std::vector<Event> events;
  std::vector<TruthChild> children;
  std::vector<TruthEpisode> episodes;
  AgencyRegistry registry;
  absl::Time latest_recorded_at;
};

// The city's agencies: police.west-midlands, lcs.coventry (coventry), lcs.solihull (solihull),
// ssda903.coventry, home.oakfield-house, home.elm-lodge, rhi.coventry-independent,
// education.coventry, health.coventry-ed.
AgencyRegistry CityRegistry();

SyntheticCity MakeSyntheticCity(const CityOptions& options = {});

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_SYNTHETIC_CITY_H_
