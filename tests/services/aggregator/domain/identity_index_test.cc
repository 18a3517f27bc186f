#include "services/aggregator/domain/identity_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace homeward::aggregator {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(IdentityIndex, LinksIdentifiersNamedTogether) {
  IdentityIndex index;
  const auto link = index.Link({"nhs:999", "police:wm/PP-1"});
  EXPECT_EQ(link.child_id, "nhs:999");
  EXPECT_EQ(index.Find("police:wm/PP-1"), "nhs:999");
  EXPECT_THAT(index.Members("nhs:999"), ElementsAre("nhs:999", "police:wm/PP-1"));
}

TEST(IdentityIndex, LinksTransitivelyAndReportsWhatWasMerged) {
  IdentityIndex index;
  index.Link({"police:wm/PP-1"});
  index.Link({"la:cov/LA-1", "upn:U1"});
  const auto link = index.Link({"police:wm/PP-1", "upn:U1"});
  EXPECT_EQ(link.child_id, "la:cov/LA-1");
  EXPECT_THAT(link.merged_ids, ElementsAre("police:wm/PP-1"));
  EXPECT_EQ(index.Find("police:wm/PP-1"), "la:cov/LA-1");
  EXPECT_THAT(index.Members("la:cov/LA-1"), ElementsAre("la:cov/LA-1", "police:wm/PP-1", "upn:U1"));
  EXPECT_THAT(index.Members("police:wm/PP-1"), IsEmpty());
}

TEST(IdentityIndex, TheChildIdDoesNotDependOnArrivalOrder) {
  const std::vector<std::vector<std::string>> records = {
      {"police:wm/PP-1"}, {"police:wm/PP-1", "nhs:999"}, {"nhs:999", "la:cov/LA-1"}, {"upn:U1", "la:cov/LA-1"}};
  std::vector<int> order = {0, 1, 2, 3};
  std::set<std::string> ids;
  do {
    IdentityIndex index;
    for (int i : order) index.Link(records[i]);
    ids.insert(*index.Find("upn:U1"));
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_THAT(ids, ElementsAre("la:cov/LA-1"));
}

TEST(IdentityIndex, UnknownIdentifiersAreNotFound) {
  IdentityIndex index;
  EXPECT_EQ(index.Find("nhs:1"), std::nullopt);
}

}  // namespace
}  // namespace homeward::aggregator
