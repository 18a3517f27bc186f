// Rule log-gap (data quality): records were removed from the log before this hub read them.
// Raised by the ingestor when it finds the gap, not from a child's records.
#include "services/aggregator/domain/rules/catalog.h"

namespace homeward::aggregator::rules {

const RuleDefinition& LogGapRule() {
  static const auto* rule = new RuleDefinition{
      .id = "log-gap",
      .summary = "records were removed from the log before this hub read them (raised by the ingestor)",
      .source = "issue 11 point 1: a gap in the log is never skipped silently",
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
