#include "tests/bench/workload.h"

#include <malloc.h>

#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/codec/event_codec.h"
#include "tests/testing/events.h"

namespace homeward::bench {

Event SyntheticEvent(int64_t i, int64_t children) {
  const int64_t episode = i / 3;
  const ChildRef child = testing::PoliceChild(absl::StrCat("PP-", episode % children));
  const std::string record = absl::StrCat("MP-", episode);
  // One minute apart from 2020, wrapping after 3 M events (2025-09) so that a 10 M-event workload
  // is still in the past (the hub refuses events from the future). Up to 1 M nothing wraps.
  constexpr int64_t kWrap = 3'000'000;  // a multiple of 3: an episode's records stay together
  const absl::Time at =
      absl::FromCivil(absl::CivilSecond(2020, 1, 1, 0, 0, 0), absl::UTCTimeZone()) + absl::Minutes(i % kWrap);
  switch (i % 3) {
    case 0:
      return testing::MakeEvent("police.test", record, "report", 1, child, at,
                                MissingReported{.category = AbsenceCategory::kMissing,
                                                .category_as_recorded = "MISSING",
                                                .risk_grade = RiskGrade::kLow,
                                                .last_seen_location = "Bus station, Pool Meadow"});
    case 1:
      return testing::MakeEvent("police.test", record, "regrade-1", 1, child, at,
                                RiskRegraded{.from_grade = RiskGrade::kLow,
                                             .to_grade = RiskGrade::kMedium,
                                             .decided_by = "PS 2231",
                                             .reason = "no contact after 4 hours"});
    default:
      return testing::MakeEvent("police.test", record, "found", 1, child, at,
                                FoundReturned{.found_location = "Friend's address", .found_by = "police"});
  }
}

std::string SyntheticChild(int64_t child) { return absl::StrCat("police:test-force/PP-", child); }

std::vector<std::string> EncodedWorkload(int64_t n, int64_t children) {
  std::vector<std::string> out;
  out.reserve(n);
  for (int64_t i = 0; i < n; ++i) out.push_back(EncodeEvent(SyntheticEvent(i, children)));
  return out;
}

namespace {
double StatusMiB(absl::string_view field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    absl::string_view v = line;
    if (absl::ConsumePrefix(&v, field)) {
      int64_t kib = 0;
      (void)absl::SimpleAtoi(absl::StripSuffix(absl::StripAsciiWhitespace(v), " kB"), &kib);
      return static_cast<double>(kib) / 1024.0;
    }
  }
  return 0;
}
}  // namespace

double RssMiB() {
  malloc_trim(0);  // what the allocator holds but does not use is not the chronology's
  return StatusMiB("VmRSS:");
}

double PeakRssMiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    absl::string_view v = line;
    if (absl::ConsumePrefix(&v, "VmHWM:")) {
      int64_t kib = 0;
      (void)absl::SimpleAtoi(absl::StripSuffix(absl::StripAsciiWhitespace(v), " kB"), &kib);
      return static_cast<double>(kib) / 1024.0;
    }
  }
  return 0;
}

}  // namespace homeward::bench
