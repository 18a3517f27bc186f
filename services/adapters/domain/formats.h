// File: formats.h
//
// The export formats Homeward reads, by the name a mapping file gives in "format". Each format
// declares every canonical field its mapper reads and every code table a mapping may give for
// it, so a mapping file is checked whole when it is loaded: a misspelt column or code table, or
// a code mapped to a value the field's parser refuses, is an error naming the key, not a
// rejection of every row later.
#ifndef HOMEWARD_SERVICES_ADAPTERS_DOMAIN_FORMATS_H_
#define HOMEWARD_SERVICES_ADAPTERS_DOMAIN_FORMATS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/adapters/domain/source_mapping.h"

namespace homeward::adapters {

enum class FileKind { kCsv, kSocialCareJson };

// A table a mapping may give under "codes": it translates this area's codes for `field` into
// values the field's parser reads.
struct CodeTable {
  std::string field;     // canonical field, e.g. "category"
  std::string what;      // what a target is, for errors: "a category"
  std::string accepted;  // the canonical values, for errors: "missing, absent, away"
  std::function<bool(absl::string_view target)> accepts;  // whether the field's parser reads it
};

struct Format {
  std::string name;
  FileKind file_kind;
  // Canonical columns the file must have (checked before anything is published). Empty for
  // JSON, whose records each carry their own fields.
  std::vector<std::string> required_columns;
  // Every other canonical field the mapper reads when it is there (the child's identifiers
  // included). Together with `required_columns`, the keys a mapping's "columns" may use.
  std::vector<std::string> optional_fields;
  // The keys a mapping's "codes" may use.
  std::vector<CodeTable> code_tables;
  std::function<absl::StatusOr<std::vector<Event>>(const MappedRow&, absl::Time now)> map;
  // The agency's own reference for a record (its occurrence number, absence reference, ...) as
  // far as it can be read, also from a record that is rejected; "" if it has none. It names the
  // record in the rejects report, beside its location.
  std::function<std::string(const MappedRow&)> reference;
};

// NOT_FOUND naming the known formats if `name` is not one of them.
absl::StatusOr<Format> FindFormat(absl::string_view name);

// OK if `field` is a canonical field of `format` (a key of a mapping's "columns"). Otherwise
// INVALID_ARGUMENT "not a field of police-csv (did you mean occurrence_ref?)", or listing the
// format's fields when no field is close.
absl::Status CheckField(const Format& format, absl::string_view field);

// OK if `format` reads a code table for `field` (a key of a mapping's "codes"); otherwise
// INVALID_ARGUMENT "not a code table of police-csv (did you mean risk_grade?)".
absl::Status CheckCodeTable(const Format& format, absl::string_view field);

// OK if the field's parser reads `target`, the canonical value an area's code is mapped to.
// Otherwise INVALID_ARGUMENT "'mising' is not a category (missing, absent, away)".
// REQUIRES: CheckCodeTable(format, field) is OK.
absl::Status CheckCodeTarget(const Format& format, absl::string_view field, absl::string_view target);

// Of `names`, the one `name` is most likely a misspelling of (at most two letters added, removed,
// changed or swapped; case ignored), or "" if none is that close.
std::string ClosestName(absl::string_view name, const std::vector<std::string>& names);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_DOMAIN_FORMATS_H_
