// File: suppression.h
//
// Small-number suppression for a table of counts, as UK official statistics do it (issue 14,
// point 3). Primary: a count from 1 to threshold - 1 is withheld (shown "<5"); a zero is shown,
// since it says nothing about any one child. Secondary: where counts add up to a total (the rows
// of a column to its total row; the parts of a partition to their whole), one withheld figure
// could be worked out from the others, so the smallest other figure of that sum is withheld with
// it, and so on until no sum has exactly one withheld figure. Pure.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_SUPPRESSION_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_SUPPRESSION_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace homeward::aggregator::reports {

// A cell of a count grid: (row, column).
using CellRef = std::pair<size_t, size_t>;

// `parts` add up to `total`.
struct Sum {
  std::vector<CellRef> parts;
  CellRef total;
};

// Which cells of `counts` (rows x columns) to withhold. `sums` are the additive relations a
// reader could use; every CellRef must lie inside `counts`.
std::vector<std::vector<bool>> Suppress(const std::vector<std::vector<int64_t>>& counts, int threshold,
                                        const std::vector<Sum>& sums);

}  // namespace homeward::aggregator::reports

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_REPORTS_SUPPRESSION_H_
