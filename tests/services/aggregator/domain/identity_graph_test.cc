#include "services/aggregator/domain/identity_graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "tests/testing/events.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(IdentityGraph, LinksIdentifiersARecordNamesTogether) {
  IdentityGraph g;
  g.SetFacet("f1", {"nhs:999", "police:wm/PP-1"});
  EXPECT_EQ(g.Find("police:wm/PP-1"), "nhs:999");
  EXPECT_THAT(g.Members("nhs:999"), ElementsAre("nhs:999", "police:wm/PP-1"));
  EXPECT_EQ(g.Find("nhs:000"), std::nullopt);
}

TEST(IdentityGraph, LinksTransitively) {
  IdentityGraph g;
  g.SetFacet("f1", {"police:wm/PP-1"});
  g.SetFacet("f2", {"la:cov/LA-1", "upn:U1"});
  g.SetFacet("f3", {"police:wm/PP-1", "upn:U1"});
  EXPECT_THAT(g.Members("la:cov/LA-1"), ElementsAre("la:cov/LA-1", "police:wm/PP-1", "upn:U1"));
  EXPECT_THAT(g.Members("police:wm/PP-1"), IsEmpty());
}

TEST(IdentityGraph, TheChildIdDoesNotDependOnArrivalOrder) {
  const std::vector<std::vector<std::string>> facets = {
      {"police:wm/PP-1"}, {"nhs:999", "police:wm/PP-1"}, {"la:cov/LA-1", "nhs:999"}, {"la:cov/LA-1", "upn:U1"}};
  std::vector<int> order = {0, 1, 2, 3};
  std::set<std::string> ids;
  do {
    IdentityGraph g;
    for (int i : order) g.SetFacet("f" + std::to_string(i), facets[i]);
    ids.insert(*g.Find("upn:U1"));
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_THAT(ids, ElementsAre("la:cov/LA-1"));
}

TEST(IdentityGraph, AnAmendedRecordThatDropsAnIdentifierSplitsTheChild) {
  IdentityGraph g;
  g.SetFacet("f1", {"nhs:999", "police:wm/PP-1"});  // a typo'd NHS number linked two children
  g.SetFacet("f2", {"nhs:999", "la:cov/LA-1"});
  ASSERT_EQ(g.Find("police:wm/PP-1"), g.Find("la:cov/LA-1"));
  g.SetFacet("f1", {"nhs:888", "police:wm/PP-1"});  // revision 2 corrects it
  EXPECT_NE(g.Find("police:wm/PP-1"), g.Find("la:cov/LA-1"));
  EXPECT_EQ(g.Find("police:wm/PP-1"), "nhs:888");
}

TEST(IdentityGraph, ALinkDecisionJoinsAndALaterSeparateDecisionUndoesIt) {
  IdentityGraph g;
  g.SetFacet("f1", {"police:wm/PP-1"});
  g.SetFacet("f2", {"record:home/OH-1"});
  g.Decide("police:wm/PP-1", "record:home/OH-1", true, At("2026-11-01T10:00:00Z"), "d1");
  EXPECT_EQ(g.Find("record:home/OH-1"), "police:wm/PP-1");
  g.Decide("record:home/OH-1", "police:wm/PP-1", false, At("2026-11-02T10:00:00Z"), "d2");
  EXPECT_EQ(g.Find("record:home/OH-1"), "record:home/OH-1");
  EXPECT_TRUE(g.KeptSeparate("police:wm/PP-1", "record:home/OH-1"));
}

TEST(IdentityGraph, TheLatestDecisionStandsWhateverTheArrivalOrder) {
  for (bool link_first : {true, false}) {
    IdentityGraph g;
    g.SetFacet("f1", {"police:wm/PP-1"});
    g.SetFacet("f2", {"record:home/OH-1"});
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
    EXPECT_EQ(g.Find("record:home/OH-1"), "record:home/OH-1") << link_first;
  }
}

}  // namespace
}  // namespace homeward::aggregator
