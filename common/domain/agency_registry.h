// File: agency_registry.h
//
// What the hub knows of each agency that may publish, decided by the deployment
// (config/access.json "agencies") and never by what an event says about itself (issue 11,
// points 7 and 8):
//  - its kind (police, social_care, health, ...): an event must carry exactly that kind, so a
//    health system cannot label its clinical note "education" and escape the health mask;
//  - the records it may publish (by default, those of its kind: police report, regrade and find;
//    RHI providers interview; only social care records placements; ...);
//  - for social care and the 903 return, the local authority it speaks for: only that
//    authority's own social care may say that a child belongs to it, or where it has placed them.
// Agencies not listed publish nothing. Pure.
#ifndef HOMEWARD_COMMON_DOMAIN_AGENCY_REGISTRY_H_
#define HOMEWARD_COMMON_DOMAIN_AGENCY_REGISTRY_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/domain/event.h"

namespace homeward {

// The payload types, by their wire names ("missing_reported", "placement_changed", ...).
// `payload_index` is the index in the Payload variant.
absl::string_view RecordTypeName(size_t payload_index);
absl::StatusOr<size_t> ParseRecordType(absl::string_view name);
// "police", "social_care", ... (the wire enum's name, lower case, without its prefix).
absl::string_view AgencyKindName(AgencyKind kind);
absl::StatusOr<AgencyKind> ParseAgencyKind(absl::string_view name);

struct AgencyEntry {
  AgencyKind kind = AgencyKind::kUnspecified;
  // The local authority this agency speaks for (social care, 903 return); "" for others.
  std::string authority;
  // Payload indexes it may publish.
  std::set<size_t> records;
};

// The records an agency of `kind` publishes unless its entry says otherwise.
std::set<size_t> DefaultRecords(AgencyKind kind);

class AgencyRegistry {
 public:
  AgencyRegistry() = default;
  explicit AgencyRegistry(std::map<std::string, AgencyEntry> agencies);

  // Adds or replaces one agency (tests, tools).
  void Register(const std::string& agency_id, AgencyEntry entry) { agencies_[agency_id] = std::move(entry); }

  // The entry for `agency_id`, or nullptr. The hub's own agencies (homeward.identity for identity
  // decisions, homeward.retention for purges) are always registered.
  const AgencyEntry* Find(const std::string& agency_id) const;

  // OK if `event`'s agency is registered, carries its registered kind, and may publish this
  // record type, and (for an agency that speaks for an authority) names no other authority as
  // the child's or as a placement's placing authority; PERMISSION_DENIED naming which otherwise.
  absl::Status CheckEvent(const Event& event) const;

  // True if `agency_id` is the social care (or 903 return) of `authority`: entitled to say that
  // a child belongs to that authority and where it has placed them.
  bool SpeaksFor(const std::string& agency_id, const std::string& authority) const;

  // Every registered agency of this kind.
  std::vector<std::string> OfKind(AgencyKind kind) const;

  const std::map<std::string, AgencyEntry>& agencies() const { return agencies_; }

 private:
  std::map<std::string, AgencyEntry> agencies_;
};

}  // namespace homeward

#endif  // HOMEWARD_COMMON_DOMAIN_AGENCY_REGISTRY_H_
