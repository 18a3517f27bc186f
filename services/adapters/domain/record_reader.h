// File: record_reader.h
//
// What every mapper reads the same way: the record's reference and revision, who the child is,
// when the agency recorded it, and whether the record claims to come from another agency.
// Mappers add their payload fields and call Make() for each event.
#ifndef HOMEWARD_SERVICES_ADAPTERS_DOMAIN_RECORD_READER_H_
#define HOMEWARD_SERVICES_ADAPTERS_DOMAIN_RECORD_READER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
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
  // An NHS number is read without spaces or hyphens; one that fails its Modulus 11 check digit
  // becomes the child's `unverified_nhs_number` (not an identifier; the record is kept).
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

// What a person should know about a record that was published all the same (the import
// summary lists it): an NHS number that fails its check digit (Read() keeps it as
// `unverified_nhs_number`, never as an identifier). Empty for a clean record.
std::vector<std::string> RecordWarnings(const std::vector<Event>& events);

// Runs ValidateEvent over every event; the first failure, prefixed with its facet.
absl::Status ValidateAll(const std::vector<Event>& events, absl::Time now);

// The canonical fields every format reads besides its own: the child's identifiers, names, date
// of birth and sex, and `agency_id` (a record's claim to come from an agency).
const std::vector<std::string>& ChildFields();

// A parser of one coded field (fields.h): ParseCategory, ParseRiskGrade, ParseSex, ...
template <typename T>
using CodeParser = absl::StatusOr<T> (*)(absl::string_view column, absl::string_view value);

// `value`, one item of the coded field `field` (a list item, e.g. a warning marker, or the whole
// value), translated through the mapping's code table for `field` and read by `parse`; `where`
// names it in errors ("Markers", "RiskReviews[2]"). When `parse` refuses it and the mapping has
// a table for `field`, INVALID_ARGUMENT "<where>: unknown code '<value>' (this export's codes:
// ABS, MFC, MFH)": the table's codes are what this area's export should hold. Without a table,
// `parse`'s own error, which lists the standard values.
template <typename T>
absl::StatusOr<T> ReadCodedItem(const MappedRow& row, absl::string_view field, absl::string_view where,
                                absl::string_view value, CodeParser<T> parse) {
  absl::StatusOr<T> parsed = parse(where, row.Translate(field, value));
  if (parsed.ok()) return parsed;
  const std::vector<std::string> codes = row.Codes(field);
  if (codes.empty()) return parsed.status();
  return absl::InvalidArgumentError(
      absl::StrCat(where, ": unknown code '", value, "' (this export's codes: ", absl::StrJoin(codes, ", "), ")"));
}

// ReadCodedItem for the whole value of `field`, named by this area's column.
template <typename T>
absl::StatusOr<T> ReadCoded(const MappedRow& row, absl::string_view field, CodeParser<T> parse) {
  return ReadCodedItem(row, field, row.Column(field), row.Get(field), parse);
}

// A ';'-separated list, trimmed, empty items dropped.
std::vector<std::string> ParseList(const std::string& value);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_DOMAIN_RECORD_READER_H_
