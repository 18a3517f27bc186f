// File: police_mapping.h
//
// Police missing-person export -> events (docs/formats/police-export.md). Pure: no I/O.
//
// One row per occurrence at its latest version gives: MissingReported ("report"), one
// RiskRegraded per re-grade ("regrade-1", ...), one ExploitationConcern per warning marker
// ("marker-cse", ...) and, once found, FoundReturned ("found"). The force's own category
// (missing/absent) is kept as received (brief §2).
#ifndef HOMEWARD_SERVICES_ADAPTERS_DOMAIN_POLICE_MAPPING_H_
#define HOMEWARD_SERVICES_ADAPTERS_DOMAIN_POLICE_MAPPING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/adapters/domain/source_mapping.h"

namespace homeward::adapters {

// Canonical columns a police export must have.
const std::vector<std::string>& PoliceColumns();

// The row's events, or INVALID_ARGUMENT naming the column and reason: a required value empty,
// an unreadable time or date, an unknown code, found before last seen or reported, a
// prevention interview before the finding, or any ValidateEvent() failure at `now`.
absl::StatusOr<std::vector<Event>> MapPoliceRow(const MappedRow& row, absl::Time now);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_DOMAIN_POLICE_MAPPING_H_
