// File: access_config.h
//
// The access configuration (config/access.json): which certificate subjects are which systems,
// the lawful bases a caller may cite, the field masks of each role, and the longest token
// lifetime. Deployment policy, not code: a new agency system or a new mask is a file change.
#ifndef HOMEWARD_COMMON_ACCESS_ACCESS_CONFIG_H_
#define HOMEWARD_COMMON_ACCESS_ACCESS_CONFIG_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/access/access_policy.h"
#include "common/access/masking.h"
#include "common/domain/agency_registry.h"

namespace homeward::access {

// A system known by its client certificate's subject (common name).
struct SystemIdentity {
  Role role = Role::kPeopleClient;
  std::string agency;     // publishers
  std::string authority;  // duty-team systems
  std::string team;       // duty-team systems
};

struct AccessConfig {
  std::map<std::string, SystemIdentity> systems;  // by certificate subject
  // Every agency that may publish: its kind, the authority it speaks for, its record types
  // ("agencies"; common/domain/agency_registry.h). A publisher system's agency must be here.
  AgencyRegistry agencies;
  // Lawful bases a caller may give, code -> what it is (e.g. "dpa2018-sch1-para18").
  std::map<std::string, std::string> lawful_bases;
  // Masks by reader: "coordinator" applies to every coordinator, "coordinator@police" to
  // coordinators whose agency is registered as kind police (in addition).
  std::map<std::string, std::vector<MaskRule>> masks;
  absl::Duration max_token_lifetime = absl::Hours(12);
};

// The masks that apply to `reader`: the role's own, and those for the kind of agency the reader
// works for, as registered (never as spelled: "Police.x" or "wmp-police" is not a kind). Deny by
// default: a reader whose agency is not registered, or who names none, gets the masks of every
// kind for their role.
std::vector<MaskRule> MasksFor(const AccessConfig& config, const Principal& reader);

// INVALID_ARGUMENT naming the entry and field for anything malformed: unknown roles, kinds or
// record types, a publisher without a registered agency, a duty team without a team, a mask
// naming no Event field or no agency kind.
absl::StatusOr<AccessConfig> ParseAccessConfig(absl::string_view json_text);
absl::StatusOr<AccessConfig> LoadAccessConfig(const std::string& path);

}  // namespace homeward::access

#endif  // HOMEWARD_COMMON_ACCESS_ACCESS_CONFIG_H_
