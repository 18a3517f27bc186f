#include "services/aggregator/domain/identity_graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <type_traits>

#include "absl/container/flat_hash_set.h"
#include "tests/testing/events.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(IdentityGraph, LinksIdentifiersARecordNamesTogether) {
  IdentityGraph g;
  g.AddFacet({"nhs:999", "police:wm/PP-1"});
  EXPECT_EQ(g.Find("police:wm/PP-1"), ChildId("nhs:999"));
  EXPECT_THAT(g.Members(ChildId("nhs:999")), ElementsAre("nhs:999", "police:wm/PP-1"));
  EXPECT_EQ(g.Find("nhs:000"), std::nullopt);
}

TEST(IdentityGraph, LinksTransitively) {
  IdentityGraph g;
  g.AddFacet({"police:wm/PP-1"});
  g.AddFacet({"la:cov/LA-1", "upn:U1"});
  g.AddFacet({"police:wm/PP-1", "upn:U1"});
  EXPECT_THAT(g.Members(ChildId("la:cov/LA-1")), ElementsAre("la:cov/LA-1", "police:wm/PP-1", "upn:U1"));
  EXPECT_THAT(g.Members(ChildId("police:wm/PP-1")), IsEmpty());
}

// A resolved child and a caller's text are different types: neither passes for the other.
static_assert(!std::is_convertible_v<std::string, ChildId>);
static_assert(!std::is_convertible_v<ChildId, std::string>);
static_assert(!std::is_convertible_v<const char*, ChildId>);

TEST(ChildId, OrdersAndHashesAsItsValue) {
  const ChildId a("la:cov/LA-1"), b("nhs:999");
  EXPECT_LT(a, b);
  EXPECT_EQ(a, ChildId("la:cov/LA-1"));
  EXPECT_EQ(b.value(), "nhs:999");
  EXPECT_TRUE(ChildId().empty());
  const absl::flat_hash_set<ChildId> set = {a, b, ChildId("nhs:999")};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(set.contains(ChildId("nhs:999")));
}

TEST(IdentityGraph, TheChildIdDoesNotDependOnArrivalOrder) {
  const std::vector<std::vector<std::string>> facets = {
      {"police:wm/PP-1"}, {"nhs:999", "police:wm/PP-1"}, {"la:cov/LA-1", "nhs:999"}, {"la:cov/LA-1", "upn:U1"}};
  std::vector<int> order = {0, 1, 2, 3};
  std::set<ChildId> ids;
  do {
    IdentityGraph g;
    for (int i : order) g.AddFacet(facets[i]);
    ids.insert(*g.Find("upn:U1"));
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_THAT(ids, ElementsAre(ChildId("la:cov/LA-1")));
}

TEST(IdentityGraph, AnAmendedRecordThatDropsAnIdentifierSplitsTheChild) {
  IdentityGraph g;
  g.AddFacet({"nhs:999", "police:wm/PP-1"});  // a typo'd NHS number linked two children
  g.AddFacet({"nhs:999", "la:cov/LA-1"});
  ASSERT_EQ(g.Find("police:wm/PP-1"), g.Find("la:cov/LA-1"));
  g.ReplaceFacet({"nhs:999", "police:wm/PP-1"}, {"nhs:888", "police:wm/PP-1"});  // revision 2 corrects it
  EXPECT_NE(g.Find("police:wm/PP-1"), g.Find("la:cov/LA-1"));
  EXPECT_EQ(g.Find("police:wm/PP-1"), ChildId("nhs:888"));
}

// The graph counts the facets naming each identifier and link: one goes only with the last
// facet naming it, and a facet amended without changing what it names changes nothing.
TEST(IdentityGraph, AnIdentifierOrLinkGoesOnlyWithTheLastFacetNamingIt) {
  IdentityGraph g;
  g.AddFacet({"nhs:999", "police:wm/PP-1"});  // the report
  g.AddFacet({"nhs:999", "police:wm/PP-1"});  // its found record names the same
  g.AddFacet({"la:cov/LA-1"});
  g.ReplaceFacet({"nhs:999", "police:wm/PP-1"}, {"nhs:999", "police:wm/PP-1"});  // amended, same ids
  g.RemoveFacet({"nhs:999", "police:wm/PP-1"});  // one of the two purged
  EXPECT_EQ(g.Find("police:wm/PP-1"), ChildId("nhs:999"));
  EXPECT_THAT(g.Members(ChildId("nhs:999")), ElementsAre("nhs:999", "police:wm/PP-1"));
  g.RemoveFacet({"nhs:999", "police:wm/PP-1"});  // the other
  EXPECT_EQ(g.Find("police:wm/PP-1"), std::nullopt);
  EXPECT_EQ(g.Find("nhs:999"), std::nullopt);
  EXPECT_EQ(g.Find("la:cov/LA-1"), ChildId("la:cov/LA-1"));
}

TEST(IdentityGraph, ALinkDecisionJoinsAndALaterSeparateDecisionUndoesIt) {
  IdentityGraph g;
  g.AddFacet({"police:wm/PP-1"});
  g.AddFacet({"record:home/OH-1"});
  g.Decide("police:wm/PP-1", "record:home/OH-1", true, At("2026-11-01T10:00:00Z"), "d1");
  EXPECT_EQ(g.Find("record:home/OH-1"), ChildId("police:wm/PP-1"));
  g.Decide("record:home/OH-1", "police:wm/PP-1", false, At("2026-11-02T10:00:00Z"), "d2");
  EXPECT_EQ(g.Find("record:home/OH-1"), ChildId("record:home/OH-1"));
  EXPECT_TRUE(g.KeptSeparate(ChildId("police:wm/PP-1"), ChildId("record:home/OH-1")));
}

TEST(IdentityGraph, TheLatestDecisionStandsWhateverTheArrivalOrder) {
  for (bool link_first : {true, false}) {
    IdentityGraph g;
    g.AddFacet({"police:wm/PP-1"});
    g.AddFacet({"record:home/OH-1"});
    const auto link = [&] { g.Decide("police:wm/PP-1", "record:home/OH-1", true, At("2026-11-01T10:00:00Z"), "d1"); };
    const auto separate = [&] {
      g.Decide("police:wm/PP-1", "record:home/OH-1", false, At("2026-11-02T10:00:00Z"), "d2");
    };
    if (link_first) {
      link();
      separate();
    } else {
      separate();
      link();  // arrives late, but was decided earlier: the separation stands
    }
    EXPECT_EQ(g.Find("record:home/OH-1"), ChildId("record:home/OH-1")) << link_first;
  }
}

}  // namespace
}  // namespace homeward::aggregator
