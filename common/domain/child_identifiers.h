// File: child_identifiers.h
//
// Identifiers for a child in the one written form every part of Homeward uses:
// "<scheme>:<value>", with schemes
//   nhs:<NHS number>             la:<authority>/<LA child id>
//   police:<force>/<person id>   upn:<unique pupil number>
// and, for a record that names no strong identifier, record:<agency>/<source record>.
// These (bar record:) are the strong identifiers: two records sharing one are about the same child
// (brief feature table row 1). Names and dates of birth are never identifiers here.
#ifndef HOMEWARD_COMMON_DOMAIN_CHILD_IDENTIFIERS_H_
#define HOMEWARD_COMMON_DOMAIN_CHILD_IDENTIFIERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/domain/event.h"

namespace homeward {

// The strong identifiers a ChildRef carries, in written form, sorted. Empty when it carries
// none (the record can then only be a probable match).
std::vector<std::string> StrongIdentifiers(const ChildRef& child);

// NHS numbers (NHS Data Dictionary): ten digits, the last a Modulus 11 check digit over the
// first nine: weights 10 down to 2, check = 11 - (sum mod 11), where 11 gives 0 and 10 means the
// nine digits make no valid number. OK, or INVALID_ARGUMENT saying what is wrong (not ten digits,
// the check digit does not match, no valid check digit); the number itself is not echoed.
absl::Status CheckNhsNumber(absl::string_view number);

// Checks a query such as "police:west-midlands/PP-1001" and returns it in canonical form
// (scheme lower-cased, value trimmed). INVALID_ARGUMENT names what is wrong.
absl::StatusOr<std::string> ParseChildIdentifier(absl::string_view text);

}  // namespace homeward

#endif  // HOMEWARD_COMMON_DOMAIN_CHILD_IDENTIFIERS_H_
