// File: record_reader.h
//
// What every mapper reads the same way: the record's reference and revision, who the child is,
// when the agency recorded it, and whether the record claims to come from another agency.
// Mappers add their payload fields and call Make() for each event.
#ifndef HOMEWARD_SERVICES_ADAPTERS_DOMAIN_RECORD_READER_H_
#define HOMEWARD_SERVICES_ADAPTERS_DOMAIN_RECORD_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/adapters/domain/source_mapping.h"

namespace homeward::adapters {

struct RecordFields {
  const char* reference;  // canonical field holding the agency's record reference
  const char* revision;   // canonical field holding its version; nullptr: mapping default
  const char* recorded_at;  // canonical field; nullptr: the time of import
};

class RecordContext {
 public:
  // Reads the common fields. INVALID_ARGUMENT for a missing reference, a non-numeric revision,
  // an unreadable child identity (date of birth, sex), an unreadable recorded time, or an
  // `agency_id` field naming an agency other than the mapping's ("claims to be another").
  static absl::StatusOr<RecordContext> Read(const MappedRow& row, const RecordFields& fields, absl::Time now);

  // An event of this record; its id is MakeEventId(agency, reference, facet, revision).
  Event Make(const std::string& facet, absl::Time occurred_at, Payload payload) const;

  // The same record under another reference (formats whose reference is composite).
  RecordContext WithReference(std::string reference) const {
    RecordContext c = *this;
    c.reference_ = std::move(reference);
    return c;
  }

  const ChildRef& child() const { return child_; }
  const std::string& reference() const { return reference_; }

 private:
  RecordContext() = default;

  std::string agency_id_;
  AgencyKind agency_kind_ = AgencyKind::kUnspecified;
  std::string reference_;
  int64_t revision_ = 0;
  absl::Time recorded_at_;
  ChildRef child_;
};

// Runs ValidateEvent over every event; the first failure, prefixed with its facet.
absl::Status ValidateAll(const std::vector<Event>& events, absl::Time now);

// "Y"/"yes"/"true"/"1" and "N"/"no"/"false"/"0"/"" (after the mapping's code table).
absl::StatusOr<bool> ParseYesNo(const MappedRow& row, absl::string_view field);

// A ';'-separated list, trimmed, empty items dropped.
std::vector<std::string> ParseList(const std::string& value);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_DOMAIN_RECORD_READER_H_
