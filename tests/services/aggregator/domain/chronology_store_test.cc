#include "services/aggregator/domain/chronology_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "tests/testing/events.h"
#include "tests/testing/status_matchers.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::PoliceChild;
using ::homeward::testing::PoliceReport;
using ::homeward::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ChronologyStoreTest : public ::testing::Test {
 protected:
  ApplyOutcome Apply(const Event& e) { return store_.Apply(e, arrival_ += absl::Minutes(1)); }

  // Event ids of the child's chronology, in order.
  std::vector<std::string> Ids(ChronologyQuery q) {
    auto page = store_.Query(q);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const auto& e : page->entries) ids.push_back(e.event.event_id);
    }
    return ids;
  }
  std::vector<std::string> IdsFor(const std::string& child) { return Ids(ChronologyQuery{.child = child}); }

  ChronologyStore store_;
  absl::Time arrival_ = At("2026-11-01T00:00:00Z");
};

TEST_F(ChronologyStoreTest, OrdersByEventTimeNotArrival) {
  Apply(PoliceReport("MP-3", "PP-1", At("2026-10-03T19:00:00Z")));
  Apply(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  Apply(PoliceReport("MP-2", "PP-1", At("2026-10-02T19:00:00Z")));
  EXPECT_THAT(IdsFor("police:test-force/PP-1"),
              ElementsAre("police.test/MP-1/report@1", "police.test/MP-2/report@1", "police.test/MP-3/report@1"));
}

TEST_F(ChronologyStoreTest, ALateArrivalSlotsInPlace) {
  Apply(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  Apply(PoliceReport("MP-3", "PP-1", At("2026-10-03T19:00:00Z")));
  Apply(PoliceReport("MP-2", "PP-1", At("2026-10-02T19:00:00Z")));  // days late
  EXPECT_THAT(IdsFor("police:test-force/PP-1"),
              ElementsAre("police.test/MP-1/report@1", "police.test/MP-2/report@1", "police.test/MP-3/report@1"));
}

TEST_F(ChronologyStoreTest, AnyOrderGivesTheSameChronology) {
  std::vector<Event> events;
  for (int i = 0; i < 12; ++i) {
    events.push_back(PoliceReport("MP-" + std::to_string(i), i % 2 ? "PP-1" : "PP-2",
                                  At("2026-10-01T00:00:00Z") + absl::Hours(7 * (i % 5)) + absl::Minutes(i)));
  }
  events.push_back(MakeEvent("health.test", "A-1", "note", 1, PoliceChild("PP-1", "999"),
                             At("2026-10-01T05:00:00Z"), ChronologyNote{.kind = "unscheduled-care", .summary = "ED"}));
  events.push_back(MakeEvent("health.test", "A-2", "note", 1, PoliceChild("PP-2", "999"),
                             At("2026-10-01T06:00:00Z"), ChronologyNote{.kind = "unscheduled-care", .summary = "ED"}));
  std::vector<std::string> reference;
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(events.begin(), events.end(), rng);
    ChronologyStore store;
    for (const Event& e : events) store.Apply(e, At("2026-11-01T00:00:00Z"));
    auto page = store.Query({.child = "police:test-force/PP-2"});
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->child_id, ChildId("nhs:999"));
    std::vector<std::string> ids;
    for (const auto& e : page->entries) ids.push_back(e.event.event_id);
    if (round == 0) reference = ids;
    EXPECT_EQ(ids, reference);
  }
  EXPECT_EQ(reference.size(), events.size());  // the NHS number linked both police ids
}

TEST_F(ChronologyStoreTest, ARedeliveredEventChangesNothing) {
  const Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  EXPECT_EQ(Apply(e), ApplyOutcome::kAdded);
  EXPECT_EQ(Apply(e), ApplyOutcome::kDuplicate);
  EXPECT_EQ(IdsFor("police:test-force/PP-1").size(), 1u);
  EXPECT_EQ(store_.event_count(), 1u);
}

TEST_F(ChronologyStoreTest, AHigherRevisionSupersedesAndKeepsTheHistory) {
  Event v1 = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  Event v2 = MakeEvent("police.test", "MP-1", "report", 2, PoliceChild("PP-1"), At("2026-10-01T18:30:00Z"),
                       MissingReported{.category = AbsenceCategory::kMissing, .risk_grade = RiskGrade::kHigh});
  EXPECT_EQ(Apply(v1), ApplyOutcome::kAdded);
  EXPECT_EQ(Apply(v2), ApplyOutcome::kSuperseded);
  auto page = store_.Query({.child = "police:test-force/PP-1"});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].event.event_id, "police.test/MP-1/report@2");
  EXPECT_THAT(page->entries[0].superseded_event_ids, ElementsAre("police.test/MP-1/report@1"));
}

TEST_F(ChronologyStoreTest, ALowerRevisionArrivingLateDoesNotReplaceTheNewer) {
  Event v1 = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  Event v2 = v1;
  v2.revision = 2;
  v2.event_id = MakeEventId(v2.agency_id, v2.source_record, v2.facet, 2);
  Apply(v2);
  EXPECT_EQ(Apply(v1), ApplyOutcome::kStale);
  auto page = store_.Query({.child = "police:test-force/PP-1"});
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].event.revision, 2);
  EXPECT_THAT(page->entries[0].superseded_event_ids, ElementsAre("police.test/MP-1/report@1"));
}

TEST_F(ChronologyStoreTest, EqualChildReferencesAreKeptOnceAndDifferentOnesAsGiven) {
  // Each event arrives with its own copy, as decoded from its message.
  Apply(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  Apply(PoliceReport("MP-2", "PP-1", At("2026-10-03T19:00:00Z")));
  Event named = PoliceReport("MP-3", "PP-1", At("2026-10-02T19:00:00Z"));  // between the two
  named.child.Mutable().family_name = "Testchild";
  Apply(named);
  auto facts = store_.Facts("police:test-force/PP-1");
  ASSERT_TRUE(facts.ok()) << facts.status();
  ASSERT_EQ(facts->entries.size(), 3u);
  const Event& first = facts->entries[0].event;
  const Event& middle = facts->entries[1].event;
  const Event& last = facts->entries[2].event;
  EXPECT_TRUE(first.child.SharesWith(last.child));
  EXPECT_EQ(*first.child, PoliceChild("PP-1"));
  EXPECT_FALSE(middle.child.SharesWith(first.child));
  EXPECT_EQ(middle.child->family_name, "Testchild");
  EXPECT_EQ(first.child->family_name, "");
}

// What the Philomena watch asks for every child a batch touches: the entries alone, with the
// episodes reconciled from them only if needed, the same as Facts gives.
TEST_F(ChronologyStoreTest, FactsWithoutEpisodesAreFactsLessTheEpisodesTheyReconcileTo) {
  Apply(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  Apply(PoliceReport("MP-2", "PP-1", At("2026-10-05T19:00:00Z")));
  auto facts = store_.Facts("police:test-force/PP-1");
  auto bare = store_.FactsWithoutEpisodes("police:test-force/PP-1");
  ASSERT_TRUE(facts.ok() && bare.ok());
  ASSERT_EQ(facts->episodes.size(), 2u);
  EXPECT_TRUE(bare->episodes.empty());
  EXPECT_EQ(bare->child_id, facts->child_id);
  EXPECT_EQ(bare->identifiers, facts->identifiers);
  ASSERT_EQ(bare->entries.size(), facts->entries.size());
  const std::vector<Episode> episodes = ReconcileEpisodes(bare->entries, store_.episode_options());
  ASSERT_EQ(episodes.size(), facts->episodes.size());
  for (size_t i = 0; i < episodes.size(); ++i) {
    EXPECT_EQ(episodes[i].episode_id, facts->episodes[i].episode_id);
    EXPECT_EQ(episodes[i].start, facts->episodes[i].start);
  }
  EXPECT_EQ(store_.FactsWithoutEpisodes("police:test-force/NOBODY").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ChronologyStoreTest, FiltersByTimeAgencyAndKind) {
  Apply(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  Apply(PoliceReport("MP-2", "PP-1", At("2026-10-05T19:00:00Z")));
  Apply(MakeEvent("school.test", "S-1", "note", 1, PoliceChild("PP-1"), At("2026-10-06T09:00:00Z"),
                  ChronologyNote{.kind = "missing-education", .summary = "absent from school"}));
  EXPECT_THAT(Ids({.child = "police:test-force/PP-1", .from = At("2026-10-02T00:00:00Z")}),
              ElementsAre("police.test/MP-2/report@1", "school.test/S-1/note@1"));
  EXPECT_THAT(Ids({.child = "police:test-force/PP-1", .to = At("2026-10-05T19:00:00Z")}),
              ElementsAre("police.test/MP-1/report@1"));
  EXPECT_THAT(Ids({.child = "police:test-force/PP-1", .agency_ids = {"school.test"}}),
              ElementsAre("school.test/S-1/note@1"));
  EXPECT_THAT(Ids({.child = "police:test-force/PP-1", .kinds = {"missing-reported"}}),
              ElementsAre("police.test/MP-1/report@1", "police.test/MP-2/report@1"));
}

TEST_F(ChronologyStoreTest, PagesCoverEveryEntryOnceEvenWithInsertsBetweenPages) {
  for (int i = 0; i < 25; ++i) {
    Apply(PoliceReport("MP-" + std::to_string(i), "PP-1", At("2026-10-01T00:00:00Z") + absl::Hours(i)));
  }
  std::vector<std::string> seen;
  ChronologyQuery q{.child = "police:test-force/PP-1", .page_size = 10};
  int pages = 0;
  while (true) {
    auto page = store_.Query(q);
    ASSERT_TRUE(page.ok());
    ++pages;
    for (const auto& e : page->entries) seen.push_back(e.event.event_id);
    if (pages == 1) {  // an entry earlier than the cursor arrives between pages
      Apply(PoliceReport("MP-early", "PP-1", At("2026-09-01T00:00:00Z")));
    }
    if (page->next_page_token.empty()) break;
    q.page_token = page->next_page_token;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 25u);
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), 25u);
}

TEST_F(ChronologyStoreTest, ExplainsBadQueries) {
  Apply(PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z")));
  EXPECT_THAT(store_.Query({.child = "police:test-force/PP-404"}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no record names child")));
  EXPECT_THAT(store_.Query({.child = "PP-1"}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("scheme")));
  EXPECT_THAT(store_.Query({.child = "police:test-force/PP-1", .page_size = 5000}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
  EXPECT_THAT(store_.Query({.child = "police:test-force/PP-1", .page_token = "garbage"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  EXPECT_THAT(store_.Query({.child = "police:test-force/PP-1",
                            .from = At("2026-10-02T00:00:00Z"),
                            .to = At("2026-10-01T00:00:00Z")}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("time range")));
}

TEST_F(ChronologyStoreTest, ARecordWithOnlyNameAndBirthDateStandsAlone) {
  Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  e.child = ChildRef{.family_name = "Testchild", .date_of_birth = absl::CivilDay(2012, 1, 1)};
  Apply(e);
  Apply(PoliceReport("MP-2", "PP-1", At("2026-10-02T19:00:00Z")));
  EXPECT_THAT(IdsFor("record:police.test/MP-1"), ElementsAre("police.test/MP-1/report@1"));
  EXPECT_THAT(IdsFor("police:test-force/PP-1"), ElementsAre("police.test/MP-2/report@1"));
}

}  // namespace
}  // namespace homeward::aggregator

namespace homeward::aggregator {
namespace {  // the same unnamed namespace as above: its using-declarations hold

using ::testing::IsEmpty;

TEST(ChronologyStorePurge, ForgetsTheChildEveryRevisionAndTheirDecisions) {
  ChronologyStore store;
  const absl::Time t = At("2026-10-01T19:00:00Z");
  Event first = PoliceReport("MP-1", "PP-1", t);
  Event amended = MakeEvent("police.test", "MP-1", "report", 2, PoliceChild("PP-1"), t, first.payload);
  store.Apply(first, t);
  store.Apply(amended, t);
  store.Apply(PoliceReport("MP-2", "PP-2", t), t);  // someone else
  store.Apply(MakeEvent("homeward.identity", "D-1", "decision", 1, {}, t,
                        IdentityDecision{.identifier_a = "police:test-force/PP-1",
                                         .identifier_b = "police:test-force/PP-3",
                                         .link = true,
                                         .decided_by = "admin-1",
                                         .reason = "same child"}),
              t);

  absl::StatusOr<PurgedChild> purged = store.Purge("police:test-force/PP-1");
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_THAT(purged->event_ids, ElementsAre("homeward.identity/D-1/decision@1", "police.test/MP-1/report@1",
                                             "police.test/MP-1/report@2"));
  EXPECT_EQ(store.Query({.child = "police:test-force/PP-1"}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store.ResolveChild("police:test-force/PP-3").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(store.Query({.child = "police:test-force/PP-2"}).ok());
  // A redelivery is a duplicate, not a return.
  EXPECT_EQ(store.Apply(first, t), ApplyOutcome::kDuplicate);
  EXPECT_EQ(store.ResolveChild("police:test-force/PP-1").status().code(), absl::StatusCode::kNotFound);
}

TEST(ChronologyStorePurge, IdsPurgedBeforeAStartAreNeverApplied) {
  ChronologyStore store;
  const Event e = PoliceReport("MP-1", "PP-1", At("2026-10-01T19:00:00Z"));
  store.MarkPurged({e.event_id});
  EXPECT_EQ(store.Apply(e, e.occurred_at), ApplyOutcome::kDuplicate);
  EXPECT_THAT(store.Children(), IsEmpty());
}

// Every id applied stays known with its fingerprint (superseded ones, and purged ones with 0),
// though ids are held by facet and revision, not as strings; an id not of the form
// "<facet>@<revision>" (only a purge can name one) is known as itself.
TEST(ChronologyStoreIds, EveryIdAppliedStaysKnownWithItsFingerprint) {
  ChronologyStore store;
  const absl::Time t = At("2026-10-01T19:00:00Z");
  const Event first = PoliceReport("MP-1", "PP-1", t);
  const Event amended = MakeEvent("police.test", "MP-1", "report", 2, PoliceChild("PP-1"), t, first.payload);
  EXPECT_EQ(store.Apply(first, t, 11), ApplyOutcome::kAdded);
  EXPECT_EQ(store.Apply(amended, t, 22), ApplyOutcome::kSuperseded);
  EXPECT_EQ(store.HeldFingerprint(first.event_id), 11u);
  EXPECT_EQ(store.HeldFingerprint(amended.event_id), 22u);
  EXPECT_EQ(store.HeldFingerprint("police.test/MP-1/report@3"), std::nullopt);
  EXPECT_EQ(store.HeldFingerprint("police.test/MP-1/report@02"), std::nullopt) << "not revision 2's id";
  EXPECT_EQ(store.event_count(), 2u);

  EXPECT_EQ(store.ForgetEvents({first.event_id, amended.event_id, "no-revision", "police.test/MP-1/report@02"}), 2u);
  EXPECT_EQ(store.HeldFingerprint(first.event_id), 0u);
  EXPECT_EQ(store.HeldFingerprint(amended.event_id), 0u);
  EXPECT_EQ(store.HeldFingerprint("no-revision"), 0u);
  EXPECT_EQ(store.HeldFingerprint("police.test/MP-1/report@02"), 0u);
  EXPECT_EQ(store.event_count(), 4u);
  EXPECT_EQ(store.ForgetEvents({"no-revision"}), 1u) << "known now";
  EXPECT_EQ(store.Apply(amended, t, 22), ApplyOutcome::kDuplicate);
  EXPECT_EQ(store.ChildOfEvent(amended.event_id), std::nullopt);
  // A revision never seen is new, after a purge as before it.
  const Event third = MakeEvent("police.test", "MP-1", "report", 3, PoliceChild("PP-1"), t, first.payload);
  EXPECT_EQ(store.Apply(third, t, 33), ApplyOutcome::kAdded);
  EXPECT_EQ(store.ChildOfEvent(third.event_id), ChildId("police:test-force/PP-1"));
  EXPECT_EQ(store.event_count(), 5u);
}

// A facet's state names the identifier list its entry is filed under, and a list is erased once
// a purge empties it: an amendment that moves the entry to another list, a purge that empties
// and erases the list it left, and a later amendment that moves it back must each find it.
TEST(ChronologyStoreIds, AnEntryMovedBetweenIdentifierListsIsFoundAfterItsOldListIsErased) {
  ChronologyStore store;
  const absl::Time t = At("2026-10-01T19:00:00Z");
  const Event first = PoliceReport("MP-1", "PP-1", t);  // filed under the police identifier
  const Event with_nhs = MakeEvent("police.test", "MP-1", "report", 2, PoliceChild("PP-1", "999"), t, first.payload);
  store.Apply(first, t);
  store.Apply(with_nhs, t);  // filed under nhs:999 now (the first identifier of the two)
  store.Apply(PoliceReport("MP-2", "PP-1", t + absl::Hours(1)), t);  // the police list's only entry
  ASSERT_EQ(store.ForgetEvents({"police.test/MP-2/report@1"}), 1u);  // the police list is empty, and erased
  EXPECT_EQ(store.ChildOfEvent(with_nhs.event_id), ChildId("nhs:999"));
  const Event back = MakeEvent("police.test", "MP-1", "report", 3, PoliceChild("PP-1"), t, first.payload);
  EXPECT_EQ(store.Apply(back, t), ApplyOutcome::kSuperseded);
  EXPECT_EQ(store.ChildOfEvent(back.event_id), ChildId("police:test-force/PP-1"));
  auto page = store.Query({.child = "police:test-force/PP-1"});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].event.event_id, back.event_id);
  EXPECT_THAT(page->entries[0].superseded_event_ids, ElementsAre(first.event_id, with_nhs.event_id));
  EXPECT_EQ(store.ResolveChild("nhs:999").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store.ForgetEvents({back.event_id}), 1u);
  EXPECT_EQ(store.ChildOfEvent(back.event_id), std::nullopt);
  EXPECT_THAT(store.Children(), IsEmpty());
}

}  // namespace
}  // namespace homeward::aggregator

namespace homeward::aggregator {
namespace {

// Issue 12: an invalid --kind returned nothing with exit 0, as if the child had no such record.
TEST(ChronologyQueryFilters, AKindOrAgencyNoRecordHasIsRefusedNamingTheOnesThereAre) {
  ChronologyStore store;
  store.Apply(testing::PoliceReport("MP-1", "PP-1", testing::At("2026-10-01T19:00:00Z")), testing::At("2026-10-02T00:00:00Z"));
  store.Apply(testing::MakeEvent("education.cov", "E-1", "note", 1, testing::PoliceChild("PP-1"),
                                 testing::At("2026-10-03T09:00:00Z"),
                                 ChronologyNote{.kind = "school-absence", .summary = "not in school"}),
              testing::At("2026-10-03T10:00:00Z"));
  const std::string child = "police:test-force/PP-1";
  EXPECT_THAT(store.Query({.child = child, .kinds = {"mising-reported"}}),
              testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                ::testing::AllOf(::testing::HasSubstr("'mising-reported'"),
                                                 ::testing::HasSubstr("missing-reported"),
                                                 ::testing::HasSubstr("notes: school-absence"))));
  EXPECT_THAT(store.Query({.child = child, .agency_ids = {"police.nowhere"}}),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("police.test")));
  // A kind the hub knows but this child has none of is a real, empty answer.
  absl::StatusOr<ChronologyPage> none = store.Query({.child = child, .kinds = {"found-returned"}});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->total_entries, 0);
  absl::StatusOr<ChronologyPage> notes = store.Query({.child = child, .kinds = {"school-absence"}});
  ASSERT_TRUE(notes.ok()) << notes.status();
  EXPECT_EQ(notes->total_entries, 1);
}

}  // namespace
}  // namespace homeward::aggregator
