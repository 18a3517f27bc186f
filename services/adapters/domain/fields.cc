#include "services/adapters/domain/fields.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace homeward::adapters {
namespace {

absl::Status Bad(absl::string_view column, absl::string_view value, absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(column, ": cannot read '", value, "' (expected ", expected, ")"));
}

}  // namespace

absl::StatusOr<ExportTime> ParseTime(absl::string_view column, absl::string_view value, absl::TimeZone local) {
  const std::string text(absl::StripAsciiWhitespace(value));
  if (text.empty()) return absl::InvalidArgumentError(absl::StrCat(column, ": required"));
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return ExportTime{.at = t};
  for (const char* format : {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"}) {
    // Read as UTC only to take the civil fields apart; the local zone decides what they mean.
    if (!absl::ParseTime(format, text, absl::UTCTimeZone(), &t, &err)) continue;
    const absl::TimeZone::TimeInfo info = local.At(absl::ToCivilSecond(t, absl::UTCTimeZone()));
    if (info.kind == absl::TimeZone::TimeInfo::UNIQUE) return ExportTime{.at = info.pre};
    // Repeated: `pre` is the first occurrence. Skipped: `pre` uses the offset before the gap.
    return ExportTime{.at = info.pre, .other = info.post};
  }
  return Bad(column, text, "RFC 3339 time or YYYY-MM-DD HH:MM");
}

absl::StatusOr<std::optional<ExportTime>> ParseOptionalTime(absl::string_view column, absl::string_view value,
                                                            absl::TimeZone local) {
  if (absl::StripAsciiWhitespace(value).empty()) return std::nullopt;
  auto t = ParseTime(column, value, local);
  if (!t.ok()) return t.status();
  return *t;
}

bool PutInOrder(const std::vector<TimeOrder>& pairs) {
  const auto in_order = [&] {
    return std::all_of(pairs.begin(), pairs.end(), [](const TimeOrder& p) {
      return p.earlier == nullptr || p.later == nullptr || p.earlier->at <= p.later->at;
    });
  };
  if (in_order()) return true;
  std::vector<ExportTime*> ambiguous;  // the times with another reading, each once
  for (const TimeOrder& p : pairs) {
    for (ExportTime* t : {p.earlier, p.later}) {
      if (t != nullptr && t->other.has_value() && std::find(ambiguous.begin(), ambiguous.end(), t) == ambiguous.end()) {
        ambiguous.push_back(t);
      }
    }
  }
  const auto flip = [&](uint32_t mask) {
    for (size_t i = 0; i < ambiguous.size(); ++i) {
      if (mask & (1u << i)) std::swap(ambiguous[i]->at, *ambiguous[i]->other);
    }
  };
  // Fewest changed readings first. A record holds a handful of times: at most 2^k choices.
  const uint32_t choices = 1u << std::min<size_t>(ambiguous.size(), 16);
  for (int changed = 1; changed <= static_cast<int>(ambiguous.size()); ++changed) {
    for (uint32_t mask = 1; mask < choices; ++mask) {
      if (std::popcount(mask) != changed) continue;
      flip(mask);
      if (in_order()) return true;
      flip(mask);  // back to the rule's readings
    }
  }
  return false;
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view column, absl::string_view value) {
  const std::string text(absl::StripAsciiWhitespace(value));
  int y = 0, m = 0, d = 0;
  char trailing = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &trailing) != 3 &&
      std::sscanf(text.c_str(), "%2d/%2d/%4d%c", &d, &m, &y, &trailing) != 3) {
    return Bad(column, text, "YYYY-MM-DD or dd/mm/yyyy");
  }
  const absl::CivilDay day(y, m, d);  // normalises out-of-range parts: compare to detect them
  if (day.year() != y || day.month() != m || day.day() != d) {
    return Bad(column, text, "a date that exists");
  }
  return day;
}

absl::StatusOr<Sex> ParseSex(absl::string_view column, absl::string_view value) {
  const std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  if (v.empty() || v == "u" || v == "unknown") return Sex::kUnspecified;
  if (v == "f" || v == "female") return Sex::kFemale;
  if (v == "m" || v == "male") return Sex::kMale;
  if (v == "o" || v == "other") return Sex::kOther;
  return Bad(column, value, "F, M, O or U");
}

absl::StatusOr<RiskGrade> ParseRiskGrade(absl::string_view column, absl::string_view value) {
  const std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  if (v == "no apparent risk" || v == "nar" || v == "very low" || v == "absent") {
    return RiskGrade::kNoApparentRisk;
  }
  if (v == "low") return RiskGrade::kLow;
  if (v == "medium") return RiskGrade::kMedium;
  if (v == "high") return RiskGrade::kHigh;
  return Bad(column, value, "no apparent risk, low, medium or high");
}

absl::StatusOr<AbsenceCategory> ParseCategory(absl::string_view column, absl::string_view value) {
  const std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  if (v == "missing" || v == "m" || v == "missing from care" || v == "missing from home") {
    return AbsenceCategory::kMissing;
  }
  if (v == "absent") return AbsenceCategory::kAbsent;
  if (v == "away" || v == "a" || v == "away from placement without authorisation") {
    return AbsenceCategory::kAwayWithoutAuthorisation;
  }
  return absl::InvalidArgumentError(absl::StrCat(column, ": unknown code '", value,
                                                 "' (expected missing, absent or away)"));
}

absl::StatusOr<ExploitationType> ParseExploitationType(absl::string_view column, absl::string_view value) {
  const std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  if (v == "cse") return ExploitationType::kCse;
  if (v == "cce") return ExploitationType::kCce;
  if (v == "trafficking") return ExploitationType::kTrafficking;
  return absl::InvalidArgumentError(
      absl::StrCat(column, ": unknown code '", value, "' (expected CSE, CCE or trafficking)"));
}

absl::StatusOr<std::optional<InterviewOutcome>> ParseInterviewOutcome(absl::string_view column,
                                                                      absl::string_view value) {
  const std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  if (v == "completed") return InterviewOutcome::kCompleted;
  if (v == "declined") return InterviewOutcome::kDeclined;
  if (v == "not offered") return InterviewOutcome::kNotOffered;
  if (v.empty() || v == "pending") return std::nullopt;
  return absl::InvalidArgumentError(absl::StrCat(column, ": unknown code '", value,
                                                 "' (expected completed, declined, not offered or pending)"));
}

absl::StatusOr<std::string> ParseNoteKind(absl::string_view column, absl::string_view value) {
  static constexpr const char* kKinds[] = {"missing-education", "school-absence", "exclusion", "unscheduled-care",
                                           "missed-health-appointment"};
  const std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  for (const char* kind : kKinds) {
    if (v == kind) return v;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      column, ": unknown code '", value,
      "' (expected missing-education, school-absence, exclusion, unscheduled-care or missed-health-appointment)"));
}

absl::StatusOr<bool> ParseYesNo(absl::string_view column, absl::string_view value) {
  const std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  if (v == "y" || v == "yes" || v == "true" || v == "1") return true;
  if (v.empty() || v == "n" || v == "no" || v == "false" || v == "0") return false;
  return Bad(column, value, "Y or N");
}

absl::TimeZone UkTimeZone() {
  absl::TimeZone tz;
  if (absl::LoadTimeZone("Europe/London", &tz)) return tz;
  return absl::UTCTimeZone();
}

}  // namespace homeward::adapters
