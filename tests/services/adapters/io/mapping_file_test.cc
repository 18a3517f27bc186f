#include "services/adapters/io/mapping_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/adapters/domain/formats.h"
#include "services/adapters/io/csv_table.h"
#include "services/adapters/io/social_care_json.h"
#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward::adapters {
namespace {

using ::homeward::testing::StatusIs;
using ::testing::HasSubstr;

const std::string kRoot = HOMEWARD_SOURCE_DIR;

TEST(MappingFile, ReadsColumnsCodesAndRevision) {
  auto m = ParseMappingFile(R"({"format": "police-csv", "agency_id": "police.x", "agency_kind": "police",
      "issuer": "x", "revision": 4, "columns": {"occurrence_ref": "OccNo"}, "codes": {"category": {"mfh": "missing"}}})");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->agency_kind, AgencyKind::kPolice);
  EXPECT_EQ(m->default_revision, 4);
  EXPECT_EQ(m->columns.at("occurrence_ref"), "OccNo");
  EXPECT_EQ(m->codes.at("category").at("MFH"), "missing");  // codes match case-insensitively
}

TEST(MappingFile, NamesWhatIsWrong) {
  EXPECT_THAT(ParseMappingFile("[]"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a JSON object")));
  EXPECT_THAT(ParseMappingFile(R"({"format": "fax", "agency_id": "a", "agency_kind": "police"})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown format 'fax'")));
  EXPECT_THAT(ParseMappingFile(R"({"format": "police-csv", "agency_kind": "police"})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("agency_id: required")));
  EXPECT_THAT(ParseMappingFile(R"({"format": "police-csv", "agency_id": "a", "agency_kind": "bank"})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("agency_kind: unknown 'bank'")));
  EXPECT_THAT(ParseMappingFile(R"({"format": "police-csv", "agency_id": "a", "agency_kind": "police",
                                   "columns": {"occurrence_ref": 7}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("columns.occurrence_ref")));
  EXPECT_THAT(LoadMappingFile("/nonexistent.json"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent.json")));
}

// A police-csv mapping with `extra` members.
absl::StatusOr<SourceMapping> Police(const std::string& extra) {
  return ParseMappingFile(
      absl::StrCat(R"({"format": "police-csv", "agency_id": "police.x", "agency_kind": "police", )", extra, "}"));
}

TEST(MappingFile, AMisspeltKeyIsRefusedNamingIt) {
  EXPECT_THAT(ParseMappingFile(R"({"format": "police-csv", "ageny_id": "police.x", "agency_kind": "police"})"),
              StatusIs(absl::StatusCode::kInvalidArgument, "ageny_id: not a mapping file key (did you mean agency_id?)"));
  EXPECT_THAT(Police(R"("colour": "blue")"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("colour: not a mapping file key (keys: format,")));
  EXPECT_THAT(Police(R"("columns": {"ocurrence_ref": "OccNo"})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "columns.ocurrence_ref: not a field of police-csv (did you mean occurrence_ref?)"));
  EXPECT_THAT(Police(R"("columns": {"shoe_size": "Shoes"})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("columns.shoe_size: not a field of police-csv (its fields: occurrence_ref,")));
  EXPECT_THAT(Police(R"("codes": {"risk": {"H": "high"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("codes.risk: not a code table of police-csv")));
  EXPECT_THAT(Police(R"("codes": {"risk_grad": {"H": "high"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("(did you mean risk_grade?)")));
  EXPECT_THAT(Police(R"("codes": {"forename": {"J": "Jay"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("codes.forename: not a code table of police-csv")));
}

TEST(MappingFile, ACodeMappedToSomethingTheFieldCannotHoldIsRefused) {
  EXPECT_THAT(Police(R"("codes": {"category": {"MFH": "mising"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "codes.category.MFH: 'mising' is not a category (missing, absent, away)"));
  EXPECT_THAT(Police(R"("codes": {"risk_grade": {"H": "severe"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("codes.risk_grade.H: 'severe' is not a risk grade")));
  EXPECT_THAT(Police(R"("codes": {"sex": {"1": "boy"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("codes.sex.1: 'boy' is not a sex code (F, M, O, U)")));
  EXPECT_THAT(Police(R"("codes": {"warning_markers": {"G": "gangs"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("codes.warning_markers.G: 'gangs'")));
  EXPECT_THAT(ParseMappingFile(R"({"format": "rhi-csv", "agency_id": "rhi.x", "agency_kind": "rhi-provider",
                                   "codes": {"outcome": {"DONE": "complete"}}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("codes.outcome.DONE: 'complete' is not an interview outcome")));
  EXPECT_THAT(ParseMappingFile(R"({"format": "rhi-csv", "agency_id": "rhi.x", "agency_kind": "rhi-provider",
                                   "codes": {"independent": {"I": "independent"}}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("codes.independent.I: 'independent' is not a yes/no value")));
  EXPECT_THAT(ParseMappingFile(R"({"format": "note-csv", "agency_id": "health.x", "agency_kind": "health",
                                   "codes": {"kind": {"ED": "emergency"}}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("codes.kind.ED: 'emergency' is not a note kind")));
  // The 903 return records missing or away, never the police's "absent".
  EXPECT_THAT(ParseMappingFile(R"({"format": "ssda903-missing-csv", "agency_id": "ssda903.x",
                                   "agency_kind": "ssda903-return", "codes": {"category": {"X": "absent"}}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("codes.category.X: 'absent' is not a 903 category")));
}

TEST(MappingFile, EveryFieldAndTableAFormatReadsCanBeMapped) {
  auto m = Police(R"("columns": {"nhs_number": "NHSNo", "warning_markers": "Markers", "la_child_id": "LA"},
                     "codes": {"sex": {"1": "M", "9": "U"}, "warning_markers": {"SE": "CSE"}, "category": {"MFH": "Missing"}})");
  EXPECT_TRUE(m.ok()) << m.status();
  auto json = ParseMappingFile(R"({"format": "social-care-json", "agency_id": "lcs.x", "agency_kind": "social-care",
      "columns": {"ref": "id", "held_at": "date"}, "codes": {"looked_after": {"CLA": "Y"}, "trigger_plan": {"T": "yes"}}})");
  EXPECT_TRUE(json.ok()) << json.status();
  // The entry type is the reader's, not a column of the export.
  EXPECT_THAT(ParseMappingFile(R"({"format": "social-care-json", "agency_id": "lcs.x", "agency_kind": "social-care",
                                   "columns": {"entry_type": "type"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("columns.entry_type: not a field")));
}

TEST(Formats, SuggestsOnlyCloseNames) {
  const std::vector<std::string> names = {"occurrence_ref", "risk_grade", "sex"};
  EXPECT_EQ(ClosestName("ocurrence_ref", names), "occurrence_ref");
  EXPECT_EQ(ClosestName("Risk_Grdae", names), "risk_grade");  // case, and two letters swapped
  EXPECT_EQ(ClosestName("gender", names), "");
}

// Every shipped mapping reads its shipped sample: each record maps or is rejected with a reason,
// and the clean samples have no rejections at all.
TEST(MappingFile, ValuesOfTheWrongTypeAreErrorsNotCrashes) {
  const std::string base = R"("format": "police", "agency_id": "police.x", "agency_kind": "police")";
  for (const std::string extra : {R"("issuer": 5)", R"("time_zone": 1)", R"("revision": 1.5)", R"("columns": {"a": 1})",
                                  R"("codes": {"x": {"y": 2}})", R"("codes": {"x": []})"}) {
    EXPECT_THAT(ParseMappingFile(absl::StrCat("{", base, ", ", extra, "}")), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_))
        << extra;
  }
}

TEST(ShippedMappings, EverySampleMapsCleanlyWithItsMapping) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"police-west-midlands", "police_missing_persons.csv"}, {"police-warwickshire", "police_warwickshire.csv"},
      {"care-home-oakfield", "care_home_absences.csv"},       {"rhi-coventry", "rhi_interviews.csv"},
      {"education-coventry", "education_notes.csv"},          {"health-coventry", "health_attendances.csv"},
      {"ssda903-coventry", "ssda903_missing.csv"},            {"social-care-coventry", "social_care.json"}};
  for (const auto& [mapping_name, sample] : pairs) {
    SCOPED_TRACE(mapping_name);
    auto mapping = LoadMappingFile(kRoot + "/config/mappings/" + mapping_name + ".json");
    ASSERT_TRUE(mapping.ok()) << mapping.status();
    auto format = FindFormat(mapping->format);
    ASSERT_TRUE(format.ok());
    auto text = ReadWholeFile(kRoot + "/data/samples/" + sample);
    ASSERT_TRUE(text.ok());
    auto table = format->file_kind == FileKind::kCsv ? ParseCsv(*text) : ParseSocialCareJson(*text);
    ASSERT_TRUE(table.ok()) << table.status();
    EXPECT_TRUE(table->malformed.empty());
    ASSERT_FALSE(table->rows.empty());
    for (const SourceRow& row : table->rows) {
      auto events = format->map(MappedRow(row, *mapping), testing::TestNow());
      ASSERT_TRUE(events.ok()) << row.location() << ": " << events.status();
      // A rejection would name the record as its events do.
      EXPECT_EQ(format->reference(MappedRow(row, *mapping)), events->front().source_record) << row.location();
    }
  }
}

TEST(ShippedMappings, EveryMappingFileParses) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kRoot + "/config/mappings")) {
    auto m = LoadMappingFile(entry.path().string());
    EXPECT_TRUE(m.ok()) << m.status();
    ++count;
  }
  EXPECT_GE(count, 8);
}

}  // namespace
}  // namespace homeward::adapters
