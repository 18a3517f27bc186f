// File: report_facts.h
//
// What the partnership reports count, gathered once from a chronology store (the hub's log as at
// a time, or the live store when nothing in it was recorded after that time) and the alerts:
// one EpisodeFact per reconciled episode, carrying what the child's records said *when it began*
// (age, looked after or not, placement, authority), one ChildFact per child, one AlertFact per
// alert. Everything is by event time: a late or amended record counts where it happened.
//
// Children appear here only as indexes into CityFacts::children; the only identifiers kept are
// the LA child ids the statutory returns need (ChildFact::la_child_ids), and no aggregate report
// reads them. Pure.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORT_FACTS_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORT_FACTS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/domain/agency_registry.h"
#include "common/domain/event.h"
#include "services/aggregator/domain/alert.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/domain/rule_set.h"

namespace homeward::aggregator::reports {

// Thresholds the reports share with the risk rules (config/rules.json), so that "3 or more
// episodes in 90 days" in a report is what rule repeat-missing counts.
struct FactOptions {
  std::string home_authority;       // rules.json "default_authority"
  absl::Duration repeat_window = absl::Hours(24 * 90);      // rule repeat-missing
  int repeat_count = 3;
  absl::Duration normalised_window = absl::Hours(24 * 90);  // rule normalised-risk
  int normalised_count = 3;
  absl::Duration rhi_due = absl::Hours(72);                 // rule rhi-overdue; DfE 2014 (brief §1)
  absl::Duration escalate_after = absl::Minutes(30);        // rules.json escalate_after_minutes
  absl::TimeZone zone = absl::UTCTimeZone();                // a child's age is on this zone's date
};

// The thresholds as the configured rules have them (a rule switched off keeps the default).
FactOptions FactOptionsFromRules(const RuleSet& rules, absl::TimeZone zone);

// A return home interview's course, from the provider's records naming the episode.
struct RhiFact {
  std::string provider;  // the agency of the first interview record; "" when none
  std::optional<absl::Time> offered_at;    // the first offer (a completion or refusal implies one)
  std::optional<absl::Time> completed_at;  // the first completion
  std::optional<absl::Time> declined_at;   // the first refusal, when never completed
  std::string declined_reason;             // as recorded
  bool not_offered = false;                // a decision not to offer, and no offer
  bool any_record = false;
};

struct EpisodeFact {
  size_t child = 0;  // index into CityFacts::children
  absl::Time start;
  std::optional<absl::Time> end;
  bool impossible_times = false;  // a return dated before its report: durations not counted
  bool date_only = false;  // known only from the 903 return: dates, not times
  AbsenceCategory category = AbsenceCategory::kUnspecified;  // kUnspecified when sources differ
  bool categories_differ = false;

  // Who recorded it. The 903 return is the local authority's record, counted with social care.
  bool police = false;
  bool social_care = false;
  bool residential_home = false;
  AbsenceCategory police_category = AbsenceCategory::kUnspecified;
  AbsenceCategory social_care_category = AbsenceCategory::kUnspecified;
  // Police against social care (timed sources only): how far apart their starts and ends are.
  std::optional<absl::Duration> start_difference;
  std::optional<absl::Duration> end_difference;
  RiskGrade police_grade = RiskGrade::kUnspecified;  // the highest any police source gave
  bool rule_574 = false;
  bool rule_575 = false;
  // The authority whose own 903 return lists the period ("" if none does): the 903 covers only
  // children it looks after.
  std::string return_903_authority;
  std::vector<std::string> residential_homes;  // agencies (residential homes) that recorded it
  RhiFact rhi;
  int in_repeat_window = 0;      // episodes in FactOptions::repeat_window up to this one's start
  int in_normalised_window = 0;  // the same for normalised_window

  // The child when it began.
  int age = -1;  // whole years; -1 when no record gives a date of birth
  Sex sex = Sex::kUnspecified;
  bool looked_after = false;
  std::string placing_authority;  // of the placement in force, "" when none
  std::string host_authority;
  std::string placement_type;
  std::string placement_ref;
  std::string allocated_team;
  std::string authority;  // responsible: the placing authority, else the child's, else the hub's

  std::optional<absl::Duration> Duration() const {
    if (!end || impossible_times) return std::nullopt;
    return *end - start;
  }
};

struct MeetingFact {
  absl::Time at;
  bool trigger_plan = false;
};

struct RegradeFact {
  absl::Time at;
  RiskGrade from = RiskGrade::kUnspecified;
  RiskGrade to = RiskGrade::kUnspecified;
};

struct ChildFact {
  std::string hub_id;  // the hub's child id: only the statutory returns' notes name it
  std::optional<absl::CivilDay> date_of_birth;  // the latest record's
  Sex sex = Sex::kUnspecified;                  // the latest record giving one
  // authority -> the child id its own social care or 903 return uses (statutory returns only).
  std::map<std::string, std::string> la_child_ids;
  std::vector<MeetingFact> meetings;  // strategy meetings, by time
  std::vector<RegradeFact> regrades;  // police re-gradings, by time
  std::vector<size_t> episodes;       // indexes into CityFacts::episodes, oldest first
};

struct AlertFact {
  std::string rule_id;
  std::string severity;
  std::string team;
  std::vector<std::string> authorities;
  absl::Time due_at;  // event time the rule's condition was met: what the period selects on
  absl::Time raised_at;
  std::optional<absl::Time> acknowledged_at;  // the first acknowledgement
  bool escalated = false;
  std::optional<absl::Time> closed_at;
  std::optional<absl::Time> actioned_at;  // what it asked for was done (event time of the record saying so)
  bool withdrawn = false;
  bool merged = false;  // closed into another alert about the same occasion
  std::optional<size_t> child;  // index into CityFacts::children; none for the hub's own alerts
};

struct CityFacts {
  std::vector<ChildFact> children;
  std::vector<EpisodeFact> episodes;  // by child, then start
  std::vector<AlertFact> alerts;
};

// The alerts as they stood at `as_at`: raised by then, with only the transitions made by then.
std::vector<Alert> AlertsAsAt(const std::vector<Alert>& alerts, absl::Time as_at);

// Gathers the facts. `alerts` are taken as given (AlertsAsAt first for a past time); an alert is
// tied to a child through its cause events, else its child id.
CityFacts GatherFacts(const ChronologyStore& store, const std::vector<Alert>& alerts,
                      const AgencyRegistry& registry, const FactOptions& options);

// Whole years from `born` to `day` (negative if `day` is before it).
int AgeOn(absl::CivilDay born, absl::CivilDay day);

}  // namespace homeward::aggregator::reports

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORT_FACTS_H_
