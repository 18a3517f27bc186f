// File: limits.h
//
// The boundaries of what the hub accepts, in one place (docs/limits.md lists them for agency
// integrators). Every entry enforces them — homeward-import, homeward-ingest and the aggregator
// (which re-checks whatever reaches the log) — and past any of them the caller gets
// INVALID_ARGUMENT naming the field and the limit. Nothing is ever truncated to fit.
//
// Sizing (brief §7): a city has about 10k-40k events a year; the largest real record is a
// return home interview, a few kilobytes of the child's own words. These limits leave an order
// of magnitude of room above that and keep any single record far below what one Kafka message,
// one gRPC reply or one mock-cluster partition (5 MiB) can hold.
#ifndef HOMEWARD_COMMON_DOMAIN_LIMITS_H_
#define HOMEWARD_COMMON_DOMAIN_LIMITS_H_

#include <cstddef>
#include <cstdint>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace homeward::limits {

// One encoded homeward.v1.Event (a Kafka message value on the events topic).
inline constexpr size_t kMaxEventBytes = 64 * 1024;

// agency_id: lower-case letters, digits, '.', '-' and '_' (as in config/access.json).
inline constexpr size_t kMaxAgencyIdBytes = 64;
// source_record, facet, and each of the child's identifiers (NHS number, LA child id, police
// person id, UPN, authority, force): printable ASCII, no spaces or control characters.
inline constexpr size_t kMaxIdBytes = 128;
// The whole event id "<agency>/<record>/<facet>@<revision>".
inline constexpr size_t kMaxEventIdBytes = kMaxAgencyIdBytes + 2 * kMaxIdBytes + 24;
inline constexpr int64_t kMaxRevision = 1'000'000'000;
// A given or family name: UTF-8 without control characters.
inline constexpr size_t kMaxNameBytes = 200;
// Short text: categories as recorded, locations, who found or decided, references, codes.
inline constexpr size_t kMaxShortTextBytes = 1024;
// Free text: a note's summary, the child's own words, reasons, outcomes.
inline constexpr size_t kMaxLongTextBytes = 32 * 1024;
// Items in a list (push and pull factors, exploitation indicators, attending agencies).
inline constexpr size_t kMaxListItems = 64;

// Events in one IngestService.PublishEvents call (and gRPC's 4 MiB on any one request).
inline constexpr int kMaxEventsPerPush = 1000;

// One gRPC reply of the hub, at most: every list is paged (or, for a profile's lists, capped
// with a count of the rest) so that a reply stays under this, well inside gRPC's 4 MiB receive
// limit. A page always holds at least one item (an event is at most kMaxEventBytes).
inline constexpr size_t kMaxReplyBytes = 2 * 1024 * 1024;
// Items in one of a profile's lists (names, concerns, flags, records, open alerts).
inline constexpr int kMaxProfileListItems = 100;

// Event ids in one purge event (ChildPurged); a larger purge is published as several events.
inline constexpr size_t kMaxPurgeIds = 500;

// Event times (occurred, recorded, last seen, ended, prevention interview) and dates of birth
// lie in [kEarliestTime, now + the validation's future tolerance]: nothing about a child now in
// the hub's care happened before 1990, and nothing has happened yet in the future.
inline constexpr absl::CivilDay kEarliestDay = absl::CivilDay(1990, 1, 1);
inline absl::Time EarliestTime() { return absl::FromCivil(kEarliestDay, absl::UTCTimeZone()); }

}  // namespace homeward::limits

#endif  // HOMEWARD_COMMON_DOMAIN_LIMITS_H_
