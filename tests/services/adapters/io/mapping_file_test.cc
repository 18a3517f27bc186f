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
      EXPECT_TRUE(events.ok()) << row.location() << ": " << events.status();
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
