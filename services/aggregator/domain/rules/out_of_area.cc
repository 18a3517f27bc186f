// Rule out-of-area: a looked-after child placed outside the placing authority goes missing.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {

const RuleDefinition& OutOfAreaRule() {
  static const auto* rule = new RuleDefinition{
      .id = "out-of-area",
      .summary = "a looked-after child placed outside the placing authority goes missing (both authorities told)",
      .source = "rules-and-scenarios.md; audit rec. 7c",
      .evaluate = [](const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
        for (const Episode& e : child.episodes) {
          const PlacementChanged* p = PlacementAt(child, e.start);
          if (p == nullptr || !p->looked_after || p->host_authority.empty() || p->host_authority == p->placing_authority) {
            continue;
          }
          raiser.Raise(r, e.episode_id, e.start, SourceEvents(e),
                       absl::StrCat("looked-after child placed by ", p->placing_authority, " in ", p->host_authority,
                                    " went missing at ", When(e.start)),
                       {.authorities = {p->placing_authority, p->host_authority}});
        }
      },
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
