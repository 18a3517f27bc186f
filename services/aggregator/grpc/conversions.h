// File: conversions.h
//
// The aggregator's domain views as homeward.v1 messages.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_CONVERSIONS_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_CONVERSIONS_H_

#include <set>
#include <string>
#include <vector>

#include "common/access/access_policy.h"
#include "common/access/masking.h"
#include "homeward/v1/chronology_service.pb.h"
#include "services/aggregator/domain/chronology_store.h"

namespace homeward::aggregator {

v1::CivilDate ToProto(absl::CivilDay d);
// A day of a period as a caller sent it: `what` is "from" or "to", `which` "first" or "last".
// INVALID_ARGUMENT when unset ("`from` is required: the first day of the period") or not a date.
absl::StatusOr<absl::CivilDay> PeriodDay(const v1::CivilDate& d, const char* what, const char* which);

void ToProto(const ChronologyEntry& entry, v1::ChronologyEntry* out);
void ToProto(const ChronologyPage& page, v1::GetChronologyResponse* out);
void ToProto(const Episode& episode, v1::Episode* out);
void ToProto(const ChildProfile& profile, v1::ChildProfile* out);
void ToProto(const ChildSummary& summary, v1::ChildSummary* out);

// The homeward.v1.Event field of the Philomena profile, as a mask path (AccessGate::MasksFor).
inline constexpr char kPhilomenaField[] = "philomena_profile";

// Withholds from `entries` what `reader`'s role may not see (config/access.json masks); each
// entry so changed says which fields and why, and its summary is rebuilt without them, never
// left blank. A withheld Philomena profile stays an (empty) profile, so the entry still says one
// exists. Returns the distinct fields withheld.
std::set<std::string> MaskEntries(const std::vector<access::MaskRule>& rules, const access::Principal& reader,
                                  google::protobuf::RepeatedPtrField<v1::ChronologyEntry>& entries);
// The same for one entry; returns the fields withheld from it.
std::vector<std::string> MaskEntry(const std::vector<access::MaskRule>& rules, const access::Principal& reader,
                                   v1::ChronologyEntry& entry);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_CONVERSIONS_H_
