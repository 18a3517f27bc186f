#include "services/aggregator/domain/reports/suppression.h"

#include <optional>
#include <tuple>

namespace homeward::aggregator::reports {

std::vector<std::vector<bool>> Suppress(const std::vector<std::vector<int64_t>>& counts, int threshold,
                                        const std::vector<Sum>& sums) {
  std::vector<std::vector<bool>> hidden(counts.size());
  for (size_t r = 0; r < counts.size(); ++r) {
    hidden[r].resize(counts[r].size());
    for (size_t c = 0; c < counts[r].size(); ++c) hidden[r][c] = counts[r][c] > 0 && counts[r][c] < threshold;
  }
  const auto value = [&](CellRef x) { return counts[x.first][x.second]; };
  const auto is_hidden = [&](CellRef x) { return static_cast<bool>(hidden[x.first][x.second]); };
  // Each pass withholds at most one more figure per sum, so this ends (at worst every cell).
  for (bool changed = true; changed;) {
    changed = false;
    for (const Sum& sum : sums) {
      int withheld = is_hidden(sum.total) ? 1 : 0;
      for (const CellRef& p : sum.parts) withheld += is_hidden(p) ? 1 : 0;
      if (withheld != 1) continue;
      // The smallest part still shown (a non-zero one first: withholding a zero protects less,
      // as a reader may guess it), else the total.
      std::optional<CellRef> pick;
      for (const CellRef& p : sum.parts) {
        if (is_hidden(p)) continue;
        const auto rank = [&](CellRef x) { return std::make_tuple(value(x) == 0, value(x), x); };
        if (!pick || rank(p) < rank(*pick)) pick = p;
      }
      if (!pick && !is_hidden(sum.total)) pick = sum.total;
      if (!pick) continue;
      hidden[pick->first][pick->second] = true;
      changed = true;
    }
  }
  return hidden;
}

}  // namespace homeward::aggregator::reports
