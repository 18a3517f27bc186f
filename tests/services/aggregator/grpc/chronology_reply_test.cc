// GetChronology's reply assembled from cached encodings (chronology_reply.h) says exactly what the
// message-by-message reply said: the same bytes parse to the same response, masks included, and
// the reply limit ends a page early with a token that goes on from there.
#include "services/aggregator/grpc/chronology_reply.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/str_cat.h"
#include "services/aggregator/grpc/conversions.h"
#include "tests/testing/events.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::homeward::testing::PoliceChild;
using ::homeward::testing::PoliceReport;

class ChronologyReplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ChildRef child = PoliceChild("PP-1");
    for (int i = 0; i < 20; ++i) {
      store_.Apply(PoliceReport(absl::StrCat("MP-", i), "PP-1", At("2026-10-01T10:00:00Z") + absl::Hours(i)), now_);
    }
    store_.Apply(MakeEvent("health.test", "ED-1", "note", 1, child, At("2026-10-02T10:00:00Z"),
                           ChronologyNote{.kind = "unscheduled-care", .summary = "treated for a cut hand"}),
                 now_);
    store_.Apply(MakeEvent("home.test", "PF-1", "profile", 1, child, At("2026-10-02T11:00:00Z"),
                           PhilomenaProfile{.description = "tall, red coat", .phone_numbers = {"07700 900000"}}),
                 now_);
  }

  // The reply as GetChronology built it message by message before (ToProto, MaskEntries).
  v1::GetChronologyResponse ByMessages(const ChronologyQuery& q, const std::vector<access::MaskRule>& masks) {
    v1::GetChronologyResponse out;
    ToProto(*store_.Query(q), &out);
    MaskEntries(masks, reader_, *out.mutable_entries());
    return out;
  }
  ChronologyReply Assembled(const ChronologyQuery& q, const std::vector<access::MaskRule>& masks,
                            size_t max_bytes = limits::kMaxReplyBytes) {
    ChronologyReply reply;
    EXPECT_TRUE(store_
                    .VisitPage(q,
                               [&](const ChronologyPage& head, absl::Span<const ChronologyEntry* const> entries) {
                                 reply = AssembleChronologyReply(head, entries, cache_, masks, reader_, max_bytes);
                               })
                    .ok());
    return reply;
  }

  const absl::Time now_ = At("2026-11-01T00:00:00Z");
  ChronologyStore store_;
  EntryWireCache cache_;
  access::Principal reader_{.subject = "cw-1", .role = access::Role::kCoordinator, .authority = "coventry"};
};

TEST_F(ChronologyReplyTest, TheAssembledReplyIsTheReplyMessageByMessage) {
  const std::vector<access::MaskRule> masks = {{.agency_kind = "health", .field = "chronology_note.summary"},
                                               {.field = std::string(kPhilomenaField)}};
  for (const std::vector<access::MaskRule>& m : {std::vector<access::MaskRule>{}, masks}) {
    const ChronologyQuery q{.child = "police:test-force/PP-1", .page_size = 1000};
    for (int round = 0; round < 2; ++round) {  // encoded now, then from the cache
      const ChronologyReply reply = Assembled(q, m);
      v1::GetChronologyResponse parsed;
      ASSERT_TRUE(parsed.ParseFromString(reply.bytes));
      const v1::GetChronologyResponse expected = ByMessages(q, m);
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, expected))
          << parsed.DebugString().substr(0, 2000) << "\n---\n" << expected.DebugString().substr(0, 2000);
      EXPECT_EQ(reply.entries, 22);
    }
  }
  const ChronologyReply masked = Assembled({.child = "police:test-force/PP-1", .page_size = 1000}, masks);
  EXPECT_THAT(masked.withheld, ::testing::ElementsAre("chronology_note.summary", std::string(kPhilomenaField)));
}

TEST_F(ChronologyReplyTest, PastTheReplyLimitThePageEndsEarlyAndItsTokenGoesOn) {
  const ChronologyQuery q{.child = "police:test-force/PP-1", .page_size = 1000};
  const size_t whole = Assembled(q, {}).bytes.size();
  const ChronologyReply first = Assembled(q, {}, whole / 2);
  EXPECT_LE(first.bytes.size(), whole / 2);
  v1::GetChronologyResponse page1;
  ASSERT_TRUE(page1.ParseFromString(first.bytes));
  ASSERT_GT(page1.entries_size(), 0);
  ASSERT_LT(page1.entries_size(), 22);
  ASSERT_FALSE(page1.next_page_token().empty());
  ChronologyQuery next = q;
  next.page_token = page1.next_page_token();
  v1::GetChronologyResponse page2;
  ASSERT_TRUE(page2.ParseFromString(Assembled(next, {}).bytes));
  EXPECT_EQ(page1.entries_size() + page2.entries_size(), 22) << "nothing skipped, nothing twice";
  EXPECT_EQ(page2.entries(0).event().event_id(),
            ByMessages(q, {}).entries(page1.entries_size()).event().event_id());
}

TEST_F(ChronologyReplyTest, AnEntryThatChangesIsEncodedAgain) {
  const ChronologyQuery q{.child = "police:test-force/PP-1", .page_size = 1000};
  (void)Assembled(q, {});
  // Revision 3 of a report, then revision 2 late: the entry now lists the stale one as superseded.
  Event r3 = PoliceReport("MP-0", "PP-1", At("2026-10-01T10:00:00Z"));
  r3.revision = 3;
  r3.event_id = MakeEventId(r3.agency_id, r3.source_record, r3.facet, 3);
  store_.Apply(r3, now_);
  Event r2 = r3;
  r2.revision = 2;
  r2.event_id = MakeEventId(r2.agency_id, r2.source_record, r2.facet, 2);
  store_.Apply(r2, now_);
  v1::GetChronologyResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(Assembled(q, {}).bytes));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, ByMessages(q, {})));
}

TEST(EntryWireCache, HoldsAtMostItsBudget) {
  EntryWireCache cache(16 * 1024);  // 1 KiB a shard
  ChronologyStore store;
  for (int i = 0; i < 500; ++i) {
    store.Apply(PoliceReport(absl::StrCat("MP-", i), absl::StrCat("PP-", i), At("2026-10-01T10:00:00Z")), At("2026-11-01T00:00:00Z"));
    auto page = store.Query({.child = absl::StrCat("police:test-force/PP-", i)});
    ASSERT_TRUE(page.ok());
    EXPECT_FALSE(cache.Get(page->entries[0])->bytes.empty());
  }
  EXPECT_LE(cache.bytes(), 16u * 1024);
}

}  // namespace
}  // namespace homeward::aggregator
