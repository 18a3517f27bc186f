// File: alert_pages.h
//
// Every alert matching a query, through as many pages as it takes (tests and tools).
#ifndef HOMEWARD_TESTS_TESTING_ALERT_PAGES_H_
#define HOMEWARD_TESTS_TESTING_ALERT_PAGES_H_

#include <vector>

#include "services/aggregator/alerts/alert_coordinator.h"

namespace homeward::testing {

inline std::vector<aggregator::Alert> AllAlerts(const aggregator::AlertCoordinator& alerts,
                                                aggregator::AlertQuery query = {}) {
  std::vector<aggregator::Alert> all;
  query.page_size = aggregator::kMaxAlertPageSize;
  do {
    absl::StatusOr<aggregator::AlertListing> page = alerts.List(query);
    if (!page.ok()) break;
    all.insert(all.end(), page->alerts.begin(), page->alerts.end());
    query.page_token = page->next_page_token;
  } while (!query.page_token.empty());
  return all;
}

// The states a duty team still has to act on.
inline std::vector<aggregator::AlertState> OpenStates() {
  return {aggregator::AlertState::kRaised, aggregator::AlertState::kAcknowledged, aggregator::AlertState::kActioned};
}

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_ALERT_PAGES_H_
