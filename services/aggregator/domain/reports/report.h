// File: report.h
//
// A partnership report (issue 14): tables of counts, rates and medians with the charts drawn
// from them, as the ReportService sends it (proto/homeward/v1/report_service.proto). Pure data;
// the reports are built in the files beside this one from CityFacts (report_facts.h).
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORT_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORT_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace homeward::aggregator::reports {

// Counts below this show as "<5" unless the hub is configured otherwise (UK official statistics'
// usual threshold).
inline constexpr int kDefaultSuppressionThreshold = 5;
// What a report may cover: a longer period is refused (a monthly table of ten years has 120 rows).
inline constexpr int kMaxReportYears = 10;

// What the caller asked for, with what the hub adds (its time zone, threshold, own authority).
struct ReportRequest {
  std::string name;
  absl::CivilDay from;  // inclusive
  absl::CivilDay to;    // inclusive
  std::string authority;  // "" = every authority
  absl::Time as_at;
  absl::TimeZone zone;  // days and months are this zone's
  int suppression_threshold = kDefaultSuppressionThreshold;
  std::string home_authority;  // the hub's own ("the city" when `authority` is "")

  // [first instant of `from`, first instant after `to`) in `zone`.
  absl::Time Begin() const { return absl::FromCivil(from, zone); }
  absl::Time End() const { return absl::FromCivil(to + 1, zone); }
  bool InPeriod(absl::Time t) const { return t >= Begin() && t < End(); }
  // The authority whose placements "out of area" is relative to.
  const std::string& City() const { return authority.empty() ? home_authority : authority; }
};

enum class Unit { kCount, kPercent, kHours, kMinutes };

struct Column {
  std::string key;
  std::string label;
  Unit unit = Unit::kCount;
  std::string help;
};

struct Cell {
  double value = 0;
  bool suppressed = false;
  bool not_applicable = false;
  std::string display;
};

struct Row {
  std::string label;
  bool total = false;
  std::vector<Cell> cells;
};

enum class ChartKind { kNone, kBar, kLine };

struct Chart {
  ChartKind kind = ChartKind::kNone;
  std::string title;
  std::vector<std::string> series;  // column keys
};

struct Section {
  std::string title;
  std::string description;
  std::string row_heading;
  std::vector<Column> columns;
  std::vector<Row> rows;
  Chart chart;

  // The cell of `row` under column `key`, or nullptr.
  const Cell* Find(const std::string& row_label, const std::string& key) const;
};

struct Report {
  std::string name;
  std::string title;
  std::string description;
  absl::CivilDay from;
  absl::CivilDay to;
  std::string authority;
  absl::Time as_at;
  std::string time_zone;
  int suppression_threshold = kDefaultSuppressionThreshold;
  std::vector<Section> sections;
  std::vector<std::string> notes;

  // The section titled `title`, or nullptr.
  const Section* Find(const std::string& title) const;
};

// A statutory return: rows of the return's own columns, with its validation findings.
struct Finding {
  std::string rule;
  std::string message;
  int row = 0;  // 1-based data row; 0 for the return as a whole
};

struct StatutoryReturn {
  std::string name;
  std::string file_name;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<Finding> findings;
  std::vector<std::string> notes;
};

}  // namespace homeward::aggregator::reports

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_REPORT_H_
