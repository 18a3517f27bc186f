// File: tabulate.h
//
// Builds one table of a report: the units (episodes, alerts) split into rows by a Dimension
// (month, age band, authority, ...), a column per Measure (a count, a rate of two counts, a
// median), a Total row, small numbers suppressed (suppression.h) and every figure formatted as
// people read it. A report is a few of these, one per dimension, over the same measures. Pure.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_TABULATE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_TABULATE_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "services/aggregator/domain/reports/report.h"

namespace homeward::aggregator::reports {

enum class MeasureKind { kCount, kRate, kMedian };

template <typename T>
struct Measure {
  Column column;
  MeasureKind kind = MeasureKind::kCount;
  // kCount: the figure for a row's units.
  std::function<int64_t(const std::vector<const T*>&)> count;
  // kCount: each unit counts at most once, in its one row, so the rows add up to the total (a
  // count of distinct children does not: a child can be in two months).
  bool additive = true;
  // kRate: numerator / denominator, the keys of two count columns, as a percentage.
  std::string numerator;
  std::string denominator;
  // kMedian: each unit's value, if it has one.
  std::function<std::optional<double>(const T&)> value;
};

// Units for which `test` holds.
template <typename T>
Measure<T> CountOf(Column column, std::function<bool(const T&)> test) {
  Measure<T> m{.column = std::move(column)};
  m.count = [test = std::move(test)](const std::vector<const T*>& units) {
    return static_cast<int64_t>(std::count_if(units.begin(), units.end(), [&](const T* u) { return test(*u); }));
  };
  return m;
}

// Distinct keys (children) among units for which `key` gives one.
template <typename T>
Measure<T> DistinctOf(Column column, std::function<std::optional<size_t>(const T&)> key) {
  Measure<T> m{.column = std::move(column), .additive = false};
  m.count = [key = std::move(key)](const std::vector<const T*>& units) {
    std::set<size_t> seen;
    for (const T* u : units) {
      if (std::optional<size_t> k = key(*u)) seen.insert(*k);
    }
    return static_cast<int64_t>(seen.size());
  };
  return m;
}

// A figure for the row's units as a group that is not a plain sum (e.g. children with two or
// more episodes in the row).
template <typename T>
Measure<T> GroupCountOf(Column column, std::function<int64_t(const std::vector<const T*>&)> count) {
  return Measure<T>{.column = std::move(column), .count = std::move(count), .additive = false};
}

template <typename T>
Measure<T> RateOf(Column column, std::string numerator, std::string denominator) {
  column.unit = Unit::kPercent;
  return Measure<T>{.column = std::move(column), .kind = MeasureKind::kRate, .numerator = std::move(numerator),
                    .denominator = std::move(denominator)};
}

template <typename T>
Measure<T> MedianOf(Column column, std::function<std::optional<double>(const T&)> value) {
  return Measure<T>{.column = std::move(column), .kind = MeasureKind::kMedian, .value = std::move(value)};
}

// The count columns `parts` add up to the count column `whole` in every row.
struct Partition {
  std::string whole;
  std::vector<std::string> parts;
};

template <typename T>
struct Dimension {
  std::string title;
  std::string row_heading;
  std::string description;
  std::vector<std::string> rows;  // shown in this order, even when empty
  // The rows a unit falls in: one, or none to leave it out of this table (its total too).
  // Labels not in `rows` are added after them, sorted.
  std::function<std::vector<std::string>(const T&)> rows_of;
  bool exclusive = true;  // each unit in at most one row (else no column adds up to the total)
  Chart chart;
};

// The non-template part: counts and median values per row (the last row is the total) in,
// a finished section out.
struct Grid {
  std::vector<Column> columns;
  std::vector<MeasureKind> kinds;
  std::vector<bool> additive;
  std::vector<std::string> row_labels;  // the last is "Total"
  std::vector<std::vector<int64_t>> counts;               // [row][column], count columns only
  std::vector<std::vector<std::vector<double>>> values;   // [row][column], median columns only
  std::vector<std::pair<int, int>> rate_of;  // [column] -> numerator, denominator columns (rates)
};
Section Finish(const Grid& grid, const std::vector<Partition>& partitions, bool exclusive, int threshold,
               std::string title, std::string row_heading, std::string description, Chart chart);

// Formats a shown figure: "1,234", "45.5%", "38.5", "12".
std::string FormatFigure(double value, Unit unit);

template <typename T>
Section Tabulate(const std::vector<Measure<T>>& measures, const std::vector<Partition>& partitions,
                 const Dimension<T>& dimension, const std::vector<const T*>& units, int threshold) {
  std::vector<std::string> labels = dimension.rows;
  std::vector<std::vector<const T*>> members(labels.size());
  std::vector<const T*> all;
  std::set<std::string> extra;
  std::vector<std::vector<std::string>> placed(units.size());
  for (size_t i = 0; i < units.size(); ++i) {
    placed[i] = dimension.rows_of(*units[i]);
    for (const std::string& l : placed[i]) {
      if (std::find(labels.begin(), labels.end(), l) == labels.end()) extra.insert(l);
    }
  }
  labels.insert(labels.end(), extra.begin(), extra.end());
  members.resize(labels.size());
  for (size_t i = 0; i < units.size(); ++i) {
    if (placed[i].empty()) continue;
    all.push_back(units[i]);
    for (const std::string& l : placed[i]) {
      members[std::find(labels.begin(), labels.end(), l) - labels.begin()].push_back(units[i]);
    }
  }
  labels.push_back("Total");
  members.push_back(all);

  Grid grid{.row_labels = labels};
  const auto index_of = [&](const std::string& key) {
    for (size_t c = 0; c < measures.size(); ++c) {
      if (measures[c].column.key == key) return static_cast<int>(c);
    }
    return -1;
  };
  for (const Measure<T>& m : measures) {
    grid.columns.push_back(m.column);
    grid.kinds.push_back(m.kind);
    grid.additive.push_back(m.additive);
    grid.rate_of.emplace_back(index_of(m.numerator), index_of(m.denominator));
  }
  grid.counts.assign(labels.size(), std::vector<int64_t>(measures.size(), 0));
  grid.values.assign(labels.size(), std::vector<std::vector<double>>(measures.size()));
  for (size_t r = 0; r < labels.size(); ++r) {
    for (size_t c = 0; c < measures.size(); ++c) {
      const Measure<T>& m = measures[c];
      if (m.kind == MeasureKind::kCount) {
        grid.counts[r][c] = m.count(members[r]);
      } else if (m.kind == MeasureKind::kMedian) {
        for (const T* u : members[r]) {
          if (std::optional<double> v = m.value(*u)) grid.values[r][c].push_back(*v);
        }
      }
    }
  }
  return Finish(grid, partitions, dimension.exclusive, threshold, dimension.title, dimension.row_heading,
                dimension.description, dimension.chart);
}

}  // namespace homeward::aggregator::reports

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_TABULATE_H_
