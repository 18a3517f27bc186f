#include "common/access/access_policy.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace homeward::access {
namespace {

constexpr std::array<std::pair<Role, absl::string_view>, 7> kRoleNames = {{
    {Role::kPublisher, "publisher"},
    {Role::kPeopleClient, "people_client"},
    {Role::kCoordinator, "coordinator"},
    {Role::kDutyTeam, "duty_team"},
    {Role::kAuditor, "auditor"},
    {Role::kAdministrator, "administrator"},
    {Role::kReportViewer, "report_viewer"},
}};

// The whole policy: each action and the roles that may take it. Anything not here is refused.
struct Grant {
  Action action;
  absl::string_view name;
  std::vector<Role> roles;
  bool needs_purpose;
};

const std::vector<Grant>& Grants() {
  static const auto* grants = new std::vector<Grant>{
      {Action::kPublish, "publish", {Role::kPublisher}, false},
      {Action::kReadChild, "read-child", {Role::kCoordinator}, true},
      {Action::kSearch, "search", {Role::kCoordinator}, true},
      {Action::kReadAlerts, "read-alerts", {Role::kCoordinator, Role::kDutyTeam}, true},
      {Action::kActOnAlert, "act-on-alert", {Role::kCoordinator, Role::kDutyTeam}, true},
      {Action::kReadMatches, "read-matches", {Role::kAdministrator}, true},
      {Action::kDecideMatch, "decide-match", {Role::kAdministrator}, true},
      {Action::kReadAccessLog, "read-access-log", {Role::kAuditor}, false},
      {Action::kPurge, "purge", {Role::kAdministrator}, true},
      {Action::kReadStatus, "read-status", {Role::kAdministrator, Role::kAuditor}, false},
      {Action::kAcceptGap, "accept-log-gap", {Role::kAdministrator}, false},
      {Action::kChangeAuthority, "authority-change", {}, false},
      {Action::kWhoAmI, "who-am-i",
       {Role::kCoordinator, Role::kDutyTeam, Role::kAuditor, Role::kAdministrator, Role::kReportViewer}, false},
      // Aggregate figures with small numbers suppressed: no child's information, so no purpose
      // is asked; every run is still logged (issue 14, point 3).
      {Action::kReadReports, "read-reports", {Role::kReportViewer, Role::kCoordinator}, false},
      // The statutory returns list children: their authority's coordinators, with a purpose.
      {Action::kRunStatutoryReturn, "run-statutory-return", {Role::kCoordinator}, true},
      // A police force's duty team receives the release on its stream and reads the profile.
      {Action::kReadPhilomenaProfile, "read-philomena-profile", {Role::kCoordinator, Role::kDutyTeam}, true},
      {Action::kReleasePhilomenaProfile, "philomena-release", {}, false},
  };
  return *grants;
}

const Grant& GrantFor(Action action) {
  for (const Grant& g : Grants()) {
    if (g.action == action) return g;
  }
  static const Grant kNone{action, "unknown", {}, true};
  return kNone;
}

}  // namespace

absl::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) return r;
  }
  std::vector<absl::string_view> known;
  for (const auto& entry : kRoleNames) known.push_back(entry.second);
  return absl::InvalidArgumentError(absl::StrCat("unknown role \"", name, "\" (one of ", absl::StrJoin(known, ", "), ")"));
}

absl::string_view ActionName(Action action) { return GrantFor(action).name; }

absl::Status Authorize(const Principal& principal, Action action) {
  const Grant& grant = GrantFor(action);
  if (std::find(grant.roles.begin(), grant.roles.end(), principal.role) != grant.roles.end()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(principal.subject, " (", RoleName(principal.role), ") may not ", grant.name));
}

bool NeedsPurpose(Action action) { return GrantFor(action).needs_purpose; }

absl::Status CanSeeChild(const Principal& principal, const std::vector<std::string>& child_authorities) {
  if (principal.role == Role::kCoordinator && !principal.authority.empty() &&
      std::find(child_authorities.begin(), child_authorities.end(), principal.authority) != child_authorities.end()) {
    return absl::OkStatus();
  }
  if (principal.role != Role::kCoordinator) {
    return absl::PermissionDeniedError(
        absl::StrCat(principal.subject, " (", RoleName(principal.role), ") may not read case content"));
  }
  // Which authorities the child's records do name is itself case content: not said.
  return absl::PermissionDeniedError(absl::StrCat(principal.subject, " (coordinator, ", principal.authority,
                                                  ") may not see this child: no record of theirs names ",
                                                  principal.authority.empty() ? "an authority" : principal.authority));
}

}  // namespace homeward::access
