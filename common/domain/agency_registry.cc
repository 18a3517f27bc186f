#include "common/domain/agency_registry.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace homeward {
namespace {

// In Payload order.
constexpr std::array<absl::string_view, std::variant_size_v<Payload>> kRecordTypes = {
    "missing_reported", "risk_regraded",        "found_returned",   "return_interview", "strategy_meeting_held",
    "placement_changed", "exploitation_concern", "chronology_note", "identity_decision", "child_purged",
    "philomena_profile"};

template <typename T>
constexpr size_t Index() {
  return Payload(T{}).index();
}

constexpr std::array<std::pair<AgencyKind, absl::string_view>, 8> kKinds = {{
    {AgencyKind::kPolice, "police"},
    {AgencyKind::kSocialCare, "social_care"},
    {AgencyKind::kResidentialHome, "residential_home"},
    {AgencyKind::kFosterPlacement, "foster_placement"},
    {AgencyKind::kRhiProvider, "rhi_provider"},
    {AgencyKind::kEducation, "education"},
    {AgencyKind::kHealth, "health"},
    {AgencyKind::kSsda903Return, "ssda903_return"},
}};

}  // namespace

absl::string_view RecordTypeName(size_t payload_index) {
  return payload_index < kRecordTypes.size() ? kRecordTypes[payload_index] : "unknown";
}

absl::StatusOr<size_t> ParseRecordType(absl::string_view name) {
  for (size_t i = 0; i < kRecordTypes.size(); ++i) {
    if (kRecordTypes[i] == name) return i;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown record type \"", name, "\" (one of ", absl::StrJoin(kRecordTypes, ", "), ")"));
}

absl::string_view AgencyKindName(AgencyKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "unspecified";
}

absl::StatusOr<AgencyKind> ParseAgencyKind(absl::string_view name) {
  for (const auto& [k, n] : kKinds) {
    if (n == name) return k;
  }
  std::vector<absl::string_view> names;
  for (const auto& entry : kKinds) names.push_back(entry.second);
  return absl::InvalidArgumentError(
      absl::StrCat("unknown agency kind \"", name, "\" (one of ", absl::StrJoin(names, ", "), ")"));
}

std::set<size_t> DefaultRecords(AgencyKind kind) {
  const size_t report = Index<MissingReported>(), regrade = Index<RiskRegraded>(), found = Index<FoundReturned>(),
               interview = Index<ReturnInterview>(), meeting = Index<StrategyMeetingHeld>(),
               placement = Index<PlacementChanged>(), concern = Index<ExploitationConcern>(),
               note = Index<ChronologyNote>(), philomena = Index<PhilomenaProfile>();
  switch (kind) {
    case AgencyKind::kPolice: return {report, regrade, found, concern, note};
    // The local authority records placements and strategy meetings; its social workers and
    // Missing-from-Care team may hold the interview (brief §6, LCS "outcome of interviews").
    // The child's carers keep the Philomena profile (brief §4): the provider, or the LA for a
    // child at home.
    case AgencyKind::kSocialCare: return {report, found, interview, meeting, placement, concern, note, philomena};
    case AgencyKind::kResidentialHome:
    case AgencyKind::kFosterPlacement: return {report, found, concern, note, philomena};
    case AgencyKind::kRhiProvider: return {interview, concern, note};
    case AgencyKind::kEducation:
    case AgencyKind::kHealth: return {concern, note};
    case AgencyKind::kSsda903Return: return {report, found};
    case AgencyKind::kUnspecified: return {};
  }
  return {};
}

AgencyRegistry::AgencyRegistry(std::map<std::string, AgencyEntry> agencies) : agencies_(std::move(agencies)) {}

const AgencyEntry* AgencyRegistry::Find(const std::string& agency_id) const {
  // The hub's own agencies: only the aggregator publishes as them (Kafka ACLs in production).
  static const auto* own = new std::map<std::string, AgencyEntry>{
      {kIdentityAgency, {.kind = AgencyKind::kUnspecified, .records = {Index<IdentityDecision>()}}},
      {kRetentionAgency, {.kind = AgencyKind::kUnspecified, .records = {Index<ChildPurged>()}}},
  };
  if (const auto it = own->find(agency_id); it != own->end()) return &it->second;
  const auto it = agencies_.find(agency_id);
  return it == agencies_.end() ? nullptr : &it->second;
}

absl::Status AgencyRegistry::CheckEvent(const Event& event) const {
  const AgencyEntry* entry = Find(event.agency_id);
  if (entry == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("agency '", event.agency_id, "' is not registered to publish (config/access.json agencies)"));
  }
  const bool hub_own = event.agency_id == kIdentityAgency || event.agency_id == kRetentionAgency;
  if (!hub_own && event.agency_kind != entry->kind) {
    return absl::PermissionDeniedError(absl::StrCat("agency '", event.agency_id, "' is registered as ",
                                                    AgencyKindName(entry->kind), "; the event says ",
                                                    AgencyKindName(event.agency_kind)));
  }
  if (!entry->records.contains(event.payload.index())) {
    return absl::PermissionDeniedError(absl::StrCat("agency '", event.agency_id, "' (", AgencyKindName(entry->kind),
                                                    ") may not publish ", RecordTypeName(event.payload.index())));
  }
  // A local authority's social care records its own children and its own placements.
  if (!entry->authority.empty()) {
    if (!event.child->local_authority.empty() && event.child->local_authority != entry->authority) {
      return absl::PermissionDeniedError(absl::StrCat("agency '", event.agency_id, "' speaks for ", entry->authority,
                                                      ", not for ", event.child->local_authority));
    }
    if (const auto* p = std::get_if<PlacementChanged>(&event.payload); p && p->placing_authority != entry->authority) {
      return absl::PermissionDeniedError(absl::StrCat("agency '", event.agency_id, "' records placements made by ",
                                                      entry->authority, ", not by '", p->placing_authority, "'"));
    }
  }
  return absl::OkStatus();
}

bool AgencyRegistry::SpeaksFor(const std::string& agency_id, const std::string& authority) const {
  const AgencyEntry* entry = Find(agency_id);
  return entry != nullptr && !authority.empty() && entry->authority == authority &&
         (entry->kind == AgencyKind::kSocialCare || entry->kind == AgencyKind::kSsda903Return);
}

std::vector<std::string> AgencyRegistry::OfKind(AgencyKind kind) const {
  std::vector<std::string> ids;
  for (const auto& [id, entry] : agencies_) {
    if (entry.kind == kind) ids.push_back(id);
  }
  return ids;
}

}  // namespace homeward
