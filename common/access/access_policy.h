// File: access_policy.h
//
// Who may do what with a child's record: the roles of issue 6, the actions the hub offers, and
// the deny-by-default table between them. Pure: transports authenticate the caller and ask.
//
// The legal frame is the domain brief §5: the seven golden rules (share what is necessary and
// proportionate; record what was shared, with whom and why) and DPA 2018 Sch. 1 para 18.
#ifndef HOMEWARD_COMMON_ACCESS_ACCESS_POLICY_H_
#define HOMEWARD_COMMON_ACCESS_ACCESS_POLICY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace homeward::access {

enum class Role {
  // An agency system (client certificate) that publishes its own agency's records.
  kPublisher,
  // Software that people use to reach the hub (the `homeward` CLI, a case-management
  // integration): its certificate lets it connect, and each call names a person by token.
  kPeopleClient,
  // Reads the chronologies of children in their authority and its alerts.
  kCoordinator,
  // Receives and acts on their team's alerts (a person by token, or the team's system).
  kDutyTeam,
  // Reads the access log and its reports; never case content.
  kAuditor,
  // Identity links and retention: the hub's records about records.
  kAdministrator,
  // Reads the partnership's aggregate reports and nothing else (issue 14): managers, the
  // safeguarding partnership's analysts.
  kReportViewer,
};

absl::string_view RoleName(Role role);  // "publisher", "coordinator", ...
absl::StatusOr<Role> ParseRole(absl::string_view name);

// An authenticated caller.
struct Principal {
  std::string subject;    // the person's user id, or the system's certificate subject
  Role role = Role::kPeopleClient;
  std::string agency;     // publishers: the only agency they may publish as
  std::string authority;  // coordinators (and duty teams): the local authority they work for
  std::string team;       // duty teams: the team whose alerts they receive
  std::string client;     // the certificate subject the call came through
  // When the person's token stops working (systems: never).
  absl::Time expires_at = absl::InfiniteFuture();
};

enum class Action {
  kPublish,         // IngestService.Publish
  kReadChild,       // a child's chronology, episodes or profile
  kSearch,          // find a child by identifier or name and date of birth
  kReadAlerts,      // list or stream alerts
  kActOnAlert,      // acknowledge or close
  kReadMatches,     // probable matches (names and dates of birth of two children)
  kDecideMatch,     // link or separate two records
  kReadAccessLog,   // the access log, its verification and reports
  kPurge,           // retention: delete a child's records
  kReadStatus,      // ingestion status: counters, health, log gaps (no case content)
  kAcceptGap,       // accept that records were lost from the log, so a partition goes on
  kChangeAuthority, // not a caller's action: the hub records which authorities a child belongs to
  kWhoAmI,          // a person asks who the hub takes them for (signing in to the web workspace)
  kReadReports,     // run an aggregate report (counts, rates, medians; small numbers suppressed)
  kRunStatutoryReturn,  // the SSDA903 Missing table or Annex A List 8 (they list children)
  // A child's Philomena profile (issue 16): coordinators and duty teams may ask; who gets it is
  // the release rule's (services/aggregator/domain/philomena.h), not the role's.
  kReadPhilomenaProfile,
  // Not a caller's action: the hub released a child's Philomena profile to a police force.
  kReleasePhilomenaProfile,
};

absl::string_view ActionName(Action action);

// OK if the role may take the action at all; PERMISSION_DENIED naming both otherwise.
// Which child or team is a further check (CanSeeChild, the alert filters).
absl::Status Authorize(const Principal& principal, Action action);

// True for actions that disclose or change a child's information: the caller must then give a
// purpose and a lawful basis, and the access log keeps both (golden rule 7).
bool NeedsPurpose(Action action);

// A coordinator sees children whose records name their authority (placing or host authority,
// or the authority on any record; brief §1 on out-of-area placements). Administrators and
// auditors never read case content; duty teams see children through their alerts.
absl::Status CanSeeChild(const Principal& principal, const std::vector<std::string>& child_authorities);

}  // namespace homeward::access

#endif  // HOMEWARD_COMMON_ACCESS_ACCESS_POLICY_H_
