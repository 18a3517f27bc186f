#include "services/aggregator/domain/reports/tabulate.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/aggregator/domain/reports/suppression.h"

namespace homeward::aggregator::reports {
namespace {

// "[c]": withheld (official statistics' mark for a confidential figure); "–": nothing to show.
constexpr char kWithheld[] = "[c]";
constexpr char kNothing[] = "–";

std::string WithCommas(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return n < 0 ? absl::StrCat("-", digits) : digits;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

const Cell* Section::Find(const std::string& row_label, const std::string& key) const {
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].key != key) continue;
    for (const Row& r : rows) {
      if (r.label == row_label) return &r.cells[c];
    }
  }
  return nullptr;
}

const Section* Report::Find(const std::string& title) const {
  for (const Section& s : sections) {
    if (s.title == title) return &s;
  }
  return nullptr;
}

std::string FormatFigure(double value, Unit unit) {
  switch (unit) {
    case Unit::kCount: return WithCommas(static_cast<int64_t>(std::llround(value)));
    case Unit::kPercent: return absl::StrFormat("%.1f%%", value);
    case Unit::kHours: return absl::StrFormat("%.1f", value);
    case Unit::kMinutes: return WithCommas(static_cast<int64_t>(std::llround(value)));
  }
  return "";
}

Section Finish(const Grid& grid, const std::vector<Partition>& partitions, bool exclusive, int threshold,
               std::string title, std::string row_heading, std::string description, Chart chart) {
  const size_t rows = grid.row_labels.size();
  const size_t cols = grid.columns.size();
  const size_t total = rows - 1;
  const auto column = [&](const std::string& key) -> int {
    for (size_t c = 0; c < cols; ++c) {
      if (grid.columns[c].key == key) return static_cast<int>(c);
    }
    return -1;
  };

  // Every relation a reader could use to recover a withheld count.
  std::vector<Sum> sums;
  for (size_t c = 0; c < cols; ++c) {
    if (grid.kinds[c] != MeasureKind::kCount || !grid.additive[c] || !exclusive) continue;
    Sum s{.total = {total, c}};
    for (size_t r = 0; r < total; ++r) s.parts.push_back({r, c});
    sums.push_back(std::move(s));
  }
  for (const Partition& p : partitions) {
    const int whole = column(p.whole);
    if (whole < 0) continue;
    for (size_t r = 0; r < rows; ++r) {
      Sum s{.total = {r, static_cast<size_t>(whole)}};
      for (const std::string& part : p.parts) {
        if (const int c = column(part); c >= 0) s.parts.push_back({r, static_cast<size_t>(c)});
      }
      sums.push_back(std::move(s));
    }
  }
  // Only count columns take part; the others' cells stay unsuppressed here and are decided below.
  std::vector<std::vector<int64_t>> counts = grid.counts;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      if (grid.kinds[c] != MeasureKind::kCount) counts[r][c] = 0;
    }
  }
  const std::vector<std::vector<bool>> hidden = Suppress(counts, threshold, sums);

  Section section{.title = std::move(title),
                  .description = std::move(description),
                  .row_heading = std::move(row_heading),
                  .columns = grid.columns,
                  .chart = std::move(chart)};
  for (size_t r = 0; r < rows; ++r) {
    Row row{.label = grid.row_labels[r], .total = r == total};
    for (size_t c = 0; c < cols; ++c) {
      Cell cell;
      const Unit unit = grid.columns[c].unit;
      switch (grid.kinds[c]) {
        case MeasureKind::kCount:
          cell.value = static_cast<double>(grid.counts[r][c]);
          cell.suppressed = hidden[r][c];
          cell.display = cell.suppressed ? absl::StrCat("<", threshold) : FormatFigure(cell.value, unit);
          break;
        case MeasureKind::kRate: {
          const auto [num, den] = grid.rate_of[c];
          if (num < 0 || den < 0 || grid.counts[r][den] == 0) {
            cell.not_applicable = true;
          } else if (hidden[r][num] || hidden[r][den]) {
            cell.suppressed = true;  // it would give the withheld count away
          } else {
            cell.value = 100.0 * static_cast<double>(grid.counts[r][num]) / static_cast<double>(grid.counts[r][den]);
          }
          break;
        }
        case MeasureKind::kMedian: {
          const std::vector<double>& v = grid.values[r][c];
          if (v.empty()) {
            cell.not_applicable = true;
          } else if (static_cast<int>(v.size()) < threshold) {
            cell.suppressed = true;  // a median of one or two is the child's own figure
          } else {
            cell.value = Median(v);
          }
          break;
        }
      }
      if (grid.kinds[c] != MeasureKind::kCount) {
        cell.display = cell.not_applicable ? kNothing : cell.suppressed ? kWithheld : FormatFigure(cell.value, unit);
      }
      if (cell.suppressed) cell.value = 0;  // never sent: a client cannot read what is withheld
      row.cells.push_back(std::move(cell));
    }
    section.rows.push_back(std::move(row));
  }
  return section;
}

}  // namespace homeward::aggregator::reports
