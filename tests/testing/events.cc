#include "tests/testing/events.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace homeward::testing {

absl::Time At(const std::string& rfc3339) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) {
    std::cerr << "bad test time " << rfc3339 << ": " << err << "\n";
    std::abort();
  }
  return t;
}

absl::Time TestNow() { return At("2026-11-27T12:00:00Z"); }

AgencyKind TestAgencyKind(const std::string& agency_id) {
  static const std::pair<const char*, AgencyKind> kPrefixes[] = {
      {"police.", AgencyKind::kPolice},          {"lcs.", AgencyKind::kSocialCare},
      {"home.", AgencyKind::kResidentialHome},   {"foster.", AgencyKind::kFosterPlacement},
      {"rhi.", AgencyKind::kRhiProvider},        {"education.", AgencyKind::kEducation},
      {"health.", AgencyKind::kHealth},          {"ssda903.", AgencyKind::kSsda903Return},
  };
  for (const auto& [prefix, kind] : kPrefixes) {
    if (agency_id.rfind(prefix, 0) == 0) return kind;
  }
  return AgencyKind::kPolice;
}

Event MakeEvent(const std::string& agency_id, const std::string& record, const std::string& facet,
                int64_t revision, const ChildRef& child, absl::Time occurred_at, Payload payload) {
  Event e;
  e.agency_id = agency_id;
  e.agency_kind = TestAgencyKind(agency_id);
  e.source_record = record;
  e.facet = facet;
  e.revision = revision;
  e.event_id = MakeEventId(agency_id, record, facet, revision);
  e.child = child;
  e.occurred_at = occurred_at;
  e.recorded_at = occurred_at + absl::Minutes(30);
  e.payload = std::move(payload);
  return e;
}

ChildRef PoliceChild(const std::string& person_id, const std::string& nhs) {
  ChildRef c;
  c.police_person_id = person_id;
  c.police_force = "test-force";
  c.nhs_number = nhs;
  return c;
}

std::string TestNhsNumber(int n) {
  for (int ninth = 0; ninth < 10; ++ninth) {
    char first9[10];
    std::snprintf(first9, sizeof(first9), "999%05d%d", n % 100000, ninth);
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += (first9[i] - '0') * (10 - i);
    const int check = 11 - sum % 11;
    if (check != 10) return std::string(first9) + static_cast<char>('0' + check % 11);
  }
  std::abort();  // two ninth digits in a row never both give 10
}

Event PoliceReport(const std::string& record, const std::string& person_id, absl::Time at,
                   RiskGrade grade) {
  return MakeEvent("police.test", record, "report", 1, PoliceChild(person_id), at,
                   MissingReported{.category = AbsenceCategory::kMissing,
                                   .category_as_recorded = "MISSING",
                                   .risk_grade = grade});
}

}  // namespace homeward::testing
