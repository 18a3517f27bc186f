// File: events.h
//
// Builders for valid domain events in tests, so each test states only what it is about:
//   Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
#ifndef HOMEWARD_TESTS_TESTING_EVENTS_H_
#define HOMEWARD_TESTS_TESTING_EVENTS_H_

#include <string>

#include "absl/time/time.h"
#include "common/domain/event.h"

namespace homeward::testing {

// Parses an RFC 3339 time; aborts the test binary on a typo.
absl::Time At(const std::string& rfc3339);

// A fixed "now" later than every time the tests use.
absl::Time TestNow();

// The kind the tests' agency ids stand for, by prefix: "police." police, "lcs." social care,
// "home." residential home, "rhi." RHI provider, "health.", "education.", "ssda903."; police
// otherwise.
AgencyKind TestAgencyKind(const std::string& agency_id);

// A valid event from `agency_id` (of kind TestAgencyKind(agency_id)) about the child `child`, with the given payload.
Event MakeEvent(const std::string& agency_id, const std::string& record, const std::string& facet,
                int64_t revision, const ChildRef& child, absl::Time occurred_at, Payload payload);

ChildRef PoliceChild(const std::string& person_id, const std::string& nhs = "");

// A valid NHS number (Modulus 11) in the 999 test range, one for each n in 0..99999.
std::string TestNhsNumber(int n);

// A police "report" facet at revision 1 for person `person_id`.
Event PoliceReport(const std::string& record, const std::string& person_id, absl::Time at,
                   RiskGrade grade = RiskGrade::kLow);

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_EVENTS_H_
