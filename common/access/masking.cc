#include "common/access/masking.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace homeward::access {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// "health" for AGENCY_KIND_HEALTH.
std::string AgencyKindName(v1::AgencyKind kind) {
  std::string name = v1::AgencyKind_Name(kind);
  return absl::AsciiStrToLower(absl::StripPrefix(name, "AGENCY_KIND_"));
}

bool HasValue(const Message& m, const FieldDescriptor* f) {
  const auto* reflection = m.GetReflection();
  return f->is_repeated() ? reflection->FieldSize(m, f) > 0 : reflection->HasField(m, f);
}

// Clears the field at `path` (already validated) in `m`; false if it held nothing.
bool ClearPath(Message& m, const std::vector<std::string>& path, size_t i) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(path[i]);
  if (f == nullptr || !HasValue(m, f)) return false;
  const auto* reflection = m.GetReflection();
  if (i + 1 == path.size()) {
    reflection->ClearField(&m, f);
    return true;
  }
  return ClearPath(*reflection->MutableMessage(&m, f), path, i + 1);
}

}  // namespace

absl::StatusOr<MaskRule> ParseMaskRule(absl::string_view text) {
  MaskRule rule;
  absl::string_view field = text;
  if (const size_t colon = text.find(':'); colon != absl::string_view::npos) {
    rule.agency_kind = std::string(text.substr(0, colon));
    field = text.substr(colon + 1);
    bool known = false;
    for (int k = v1::AgencyKind_MIN + 1; k <= v1::AgencyKind_MAX; ++k) {
      if (v1::AgencyKind_IsValid(k) && AgencyKindName(static_cast<v1::AgencyKind>(k)) == rule.agency_kind) known = true;
    }
    if (!known) return absl::InvalidArgumentError(absl::StrCat("\"", text, "\": unknown agency kind"));
  }
  // Walk the descriptors so a typo is refused when the file is read, not ignored at run time.
  const Descriptor* d = v1::Event::descriptor();
  const std::vector<std::string> parts = absl::StrSplit(field, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = d == nullptr ? nullptr : d->FindFieldByName(parts[i]);
    if (f == nullptr) return absl::InvalidArgumentError(absl::StrCat("\"", text, "\": no such field in homeward.v1.Event"));
    if (i + 1 < parts.size() && (f->is_repeated() || f->message_type() == nullptr)) {
      return absl::InvalidArgumentError(absl::StrCat("\"", text, "\": ", parts[i], " has no fields"));
    }
    d = f->message_type();
  }
  if (parts[0] == "event_id" || parts[0] == "agency_id" || parts[0] == "agency_kind") {
    // The reader must always know whose record it is (attribution is never withheld).
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\": attribution fields cannot be masked"));
  }
  rule.field = std::string(field);
  return rule;
}

std::vector<std::string> MaskEvent(const std::vector<MaskRule>& rules, v1::Event& event) {
  std::vector<std::string> masked;
  const std::string kind = AgencyKindName(event.agency_kind());
  for (const MaskRule& rule : rules) {
    if (!rule.agency_kind.empty() && rule.agency_kind != kind) continue;
    const std::vector<std::string> path = absl::StrSplit(rule.field, '.');
    if (ClearPath(event, path, 0)) masked.push_back(rule.field);
  }
  return masked;
}

}  // namespace homeward::access
