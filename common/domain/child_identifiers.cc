#include "common/domain/child_identifiers.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace homeward {
namespace {

std::string Qualified(absl::string_view issuer, absl::string_view id) {
  return issuer.empty() ? std::string(id) : absl::StrCat(issuer, "/", id);
}

}  // namespace

std::vector<std::string> StrongIdentifiers(const ChildRef& child) {
  std::vector<std::string> ids;
  if (!child.nhs_number.empty()) ids.push_back(absl::StrCat("nhs:", child.nhs_number));
  if (!child.la_child_id.empty()) {
    ids.push_back(absl::StrCat("la:", Qualified(child.local_authority, child.la_child_id)));
  }
  if (!child.police_person_id.empty()) {
    ids.push_back(absl::StrCat("police:", Qualified(child.police_force, child.police_person_id)));
  }
  if (!child.upn.empty()) ids.push_back(absl::StrCat("upn:", child.upn));
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::Status CheckNhsNumber(absl::string_view number) {
  if (number.size() != 10 || !std::all_of(number.begin(), number.end(), absl::ascii_isdigit)) {
    return absl::InvalidArgumentError("not an NHS number (ten digits)");
  }
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (number[i] - '0') * (10 - i);
  const int check = (11 - sum % 11) % 11;  // 11 -> 0
  if (check == 10) return absl::InvalidArgumentError("its first nine digits have no valid check digit (Modulus 11)");
  if (number[9] - '0' != check) {
    return absl::InvalidArgumentError("its check digit does not match its first nine digits (Modulus 11)");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseChildIdentifier(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  const size_t colon = text.find(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "child identifier '", text, "' has no scheme; write <scheme>:<value> with scheme one of "
        "nhs, la, police, upn (e.g. police:west-midlands/PP-1001)"));
  }
  const std::string scheme = absl::AsciiStrToLower(text.substr(0, colon));
  const absl::string_view value = absl::StripAsciiWhitespace(text.substr(colon + 1));
  if (scheme != "nhs" && scheme != "la" && scheme != "police" && scheme != "upn" &&
      scheme != "record") {
    return absl::InvalidArgumentError(absl::StrCat("unknown identifier scheme '", scheme,
                                                   "'; expected nhs, la, police or upn"));
  }
  if (value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("child identifier '", text, "' has no value"));
  }
  return absl::StrCat(scheme, ":", value);
}

}  // namespace homeward
