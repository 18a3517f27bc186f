#include "services/adapters/domain/formats.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/adapters/domain/fields.h"
#include "services/adapters/domain/other_mappings.h"
#include "services/adapters/domain/police_mapping.h"
#include "services/adapters/domain/record_reader.h"

namespace homeward::adapters {
namespace {

// `fields` followed by the ones every format reads for the child (record_reader.h).
std::vector<std::string> WithChildFields(std::vector<std::string> fields) {
  for (const std::string& f : ChildFields()) {
    if (std::find(fields.begin(), fields.end(), f) == fields.end()) fields.push_back(f);
  }
  return fields;
}

// A record's reference held in one field.
std::function<std::string(const MappedRow&)> ReferenceIn(const char* field) {
  return [field](const MappedRow& row) { return row.Get(field); };
}

template <typename T>
std::function<bool(absl::string_view)> Reads(CodeParser<T> parse) {
  return [parse](absl::string_view target) { return parse("", target).ok(); };
}

// The tables shared by several formats.
CodeTable SexTable() { return {"sex", "a sex code", "F, M, O, U", Reads(&ParseSex)}; }
CodeTable CategoryTable() { return {"category", "a category", "missing, absent, away", Reads(&ParseCategory)}; }
CodeTable YesNoTable(const char* field) { return {field, "a yes/no value", "Y, N", Reads(&ParseYesNo)}; }

std::vector<Format> MakeFormats() {
  std::vector<Format> formats;
  formats.push_back(
      {.name = "police-csv",
       .file_kind = FileKind::kCsv,
       .required_columns = PoliceColumns(),
       .optional_fields = WithChildFields({"last_seen_at", "last_seen_location", "regrades", "found_location",
                                           "found_by", "prevention_interview_at", "warning_markers"}),
       .code_tables = {CategoryTable(),
                       {"risk_grade", "a risk grade", "no apparent risk, low, medium, high", Reads(&ParseRiskGrade)},
                       SexTable(),
                       {"warning_markers", "a warning marker", "CSE, CCE, trafficking", Reads(&ParseExploitationType)}},
       .map = &MapPoliceRow,
       .reference = ReferenceIn("occurrence_ref")});
  formats.push_back({.name = "care-home-csv",
                     .file_kind = FileKind::kCsv,
                     .required_columns = CareHomeColumns(),
                     .optional_fields = WithChildFields({"home_urn", "returned_how"}),
                     .code_tables = {CategoryTable(), SexTable()},
                     .map = &MapCareHomeRow,
       .reference = ReferenceIn("absence_ref")});
  formats.push_back(
      {.name = "rhi-csv",
       .file_kind = FileKind::kCsv,
       .required_columns = RhiColumns(),
       .optional_fields = WithChildFields({"independent", "conducted_by", "reason", "push_factors", "pull_factors",
                                           "where_and_with_whom", "harm_disclosed", "exploitation_indicators",
                                           "childs_own_words"}),
       .code_tables = {{"outcome", "an interview outcome", "completed, declined, not offered, pending",
                        Reads(&ParseInterviewOutcome)},
                       YesNoTable("independent"), YesNoTable("harm_disclosed"), SexTable()},
       .map = &MapRhiRow,
       .reference = ReferenceIn("interview_ref")});
  formats.push_back({.name = "note-csv",
                     .file_kind = FileKind::kCsv,
                     .required_columns = NoteColumns(),
                     .optional_fields = WithChildFields({}),
                     .code_tables = {{"kind", "a note kind",
                                      "missing-education, school-absence, exclusion, unscheduled-care, "
                                      "missed-health-appointment",
                                      Reads(&ParseNoteKind)},
                                     SexTable()},
                     .map = &MapNoteRow,
       .reference = ReferenceIn("record_ref")});
  formats.push_back({.name = "ssda903-missing-csv",
                     .file_kind = FileKind::kCsv,
                     .required_columns = Ssda903Columns(),
                     .optional_fields = WithChildFields({}),
                     .code_tables = {{"category", "a 903 category", "missing, away",
                                      [](absl::string_view target) {
                                        auto c = ParseCategory("", target);
                                        return c.ok() && *c != AbsenceCategory::kAbsent;
                                      }},
                                     SexTable()},
                     .map = &MapSsda903Row,
                     .reference = &Ssda903Reference});
  formats.push_back(
      {.name = "social-care-json",
       .file_kind = FileKind::kSocialCareJson,
       .required_columns = {},
       .optional_fields = WithChildFields({"ref", "version", "recorded_at",
                                           // placements
                                           "start", "looked_after", "placing_authority", "host_authority",
                                           "placement_ref", "placement_type", "allocated_team",
                                           // missing episodes
                                           "category", "end", "returned_how",
                                           // strategy meetings
                                           "held_at", "trigger_plan", "attendees", "outcome"}),
       .code_tables = {CategoryTable(), YesNoTable("looked_after"), YesNoTable("trigger_plan"), SexTable()},
       .map = &MapSocialCareRow,
       .reference = ReferenceIn("ref")});
  return formats;
}

const std::vector<Format>& Formats() {
  static const auto* formats = new std::vector<Format>(MakeFormats());
  return *formats;
}

// The Damerau-Levenshtein distance (optimal string alignment), case ignored.
size_t EditDistance(absl::string_view a, absl::string_view b) {
  const std::string x = absl::AsciiStrToLower(a), y = absl::AsciiStrToLower(b);
  std::vector<std::vector<size_t>> d(x.size() + 1, std::vector<size_t>(y.size() + 1));
  for (size_t i = 0; i <= x.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= y.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    for (size_t j = 1; j <= y.size(); ++j) {
      const size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[x.size()][y.size()];
}

// " (did you mean X?)" or " (<what>: a, b, c)".
std::string Hint(absl::string_view name, const std::vector<std::string>& names, absl::string_view what) {
  if (const std::string closest = ClosestName(name, names); !closest.empty()) {
    return absl::StrCat(" (did you mean ", closest, "?)");
  }
  return absl::StrCat(" (", what, ": ", absl::StrJoin(names, ", "), ")");
}

std::vector<std::string> FieldsOf(const Format& format) {
  std::vector<std::string> fields = format.required_columns;
  fields.insert(fields.end(), format.optional_fields.begin(), format.optional_fields.end());
  return fields;
}

const CodeTable* FindTable(const Format& format, absl::string_view field) {
  for (const CodeTable& table : format.code_tables) {
    if (table.field == field) return &table;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<Format> FindFormat(absl::string_view name) {
  std::string known;
  for (const Format& f : Formats()) {
    if (f.name == name) return f;
    absl::StrAppend(&known, known.empty() ? "" : ", ", f.name);
  }
  return absl::NotFoundError(absl::StrCat("unknown format '", name, "' (known: ", known, ")"));
}

absl::Status CheckField(const Format& format, absl::string_view field) {
  const std::vector<std::string> fields = FieldsOf(format);
  if (std::find(fields.begin(), fields.end(), field) != fields.end()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("not a field of ", format.name, Hint(field, fields, "its fields")));
}

absl::Status CheckCodeTable(const Format& format, absl::string_view field) {
  if (FindTable(format, field) != nullptr) return absl::OkStatus();
  std::vector<std::string> tables;
  for (const CodeTable& table : format.code_tables) tables.push_back(table.field);
  return absl::InvalidArgumentError(
      absl::StrCat("not a code table of ", format.name, Hint(field, tables, "its code tables")));
}

absl::Status CheckCodeTarget(const Format& format, absl::string_view field, absl::string_view target) {
  const CodeTable* table = FindTable(format, field);
  if (table == nullptr) return CheckCodeTable(format, field);
  if (table->accepts(target)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("'", target, "' is not ", table->what, " (", table->accepted, ")"));
}

std::string ClosestName(absl::string_view name, const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = 3;  // at most two edits
  for (const std::string& candidate : names) {
    const size_t d = EditDistance(name, candidate);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace homeward::adapters
