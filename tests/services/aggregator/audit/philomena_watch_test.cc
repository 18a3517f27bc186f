// Issue 16: the release of a Philomena profile to the force handling a missing episode is on
// the access log, then notified on the force's alert stream; the close likewise; once each.
#include "services/aggregator/audit/philomena_watch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/aggregator/alerts/alert_codec.h"
#include "tests/testing/events.h"
#include "tests/testing/fake_publisher.h"

namespace homeward::aggregator {
namespace {

using ::homeward::testing::At;
using ::homeward::testing::MakeEvent;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const ChildRef kChild{.nhs_number = "9990000107"};

class PhilomenaWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = AccessLog::Open("", false, std::string(32, 'k'));
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    registry_.Register("police.a", {.kind = AgencyKind::kPolice});
    watch_ = std::make_unique<PhilomenaWatch>(store_, *log_, publisher_, registry_, "coventry", clock_);
  }
  // Applies the batch, as the ingestor does, then tells the watch.
  void Batch(std::vector<Event> events) {
    for (const Event& e : events) store_.Apply(e, clock_.Now());
    watch_->OnEventsApplied(events);
  }
  Event Profile() {
    return MakeEvent("home.oak", "PH-1", "philomena", 1, kChild, At("2026-09-01T10:00:00Z"),
                     PhilomenaProfile{.description = "dark curly hair", .completed_by = "key worker 12"});
  }
  Event Report() {
    return MakeEvent("police.a", "MP-1", "report", 1, kChild, At("2026-11-22T22:00:00Z"),
                     MissingReported{.category = AbsenceCategory::kMissing});
  }
  Event Found() { return MakeEvent("police.a", "MP-1", "found", 1, kChild, At("2026-11-22T23:00:00Z"), FoundReturned{}); }

  std::vector<AlertRecord> Notified() {
    std::vector<AlertRecord> out;
    absl::MutexLock lock(&publisher_.mu);
    for (const OutboundMessage& m : publisher_.accepted) {
      absl::StatusOr<AlertRecord> r = DecodeAlertRecord(m.value);
      EXPECT_TRUE(r.ok()) << r.status();
      if (r.ok()) out.push_back(*r);
    }
    return out;
  }
  std::vector<std::string> Logged() {
    std::vector<std::string> out;
    auto entries = log_->Query({});
    EXPECT_TRUE(entries.ok());
    for (const AccessEntry& e : entries.value_or(std::vector<AccessEntry>{})) {
      out.push_back(absl::StrCat(e.action, ": ", e.detail));
    }
    return out;
  }

  FakeClock clock_{At("2026-11-23T00:00:00Z")};
  ChronologyStore store_;
  AgencyRegistry registry_;
  testing::FakePublisher publisher_;
  std::unique_ptr<AccessLog> log_;
  std::unique_ptr<PhilomenaWatch> watch_;
};

TEST_F(PhilomenaWatchTest, AReportReleasesTheProfileToTheForceOnItsStream) {
  Batch({Profile()});
  EXPECT_THAT(Notified(), IsEmpty());
  Batch({Report()});
  ASSERT_EQ(Notified().size(), 1u);
  const Alert a = std::get<Alert>(Notified()[0]);
  EXPECT_EQ(a.alert_id, "philomena-release:police.a/MP-1");
  EXPECT_EQ(a.team, "police.a");
  EXPECT_EQ(a.severity, "notification");
  EXPECT_THAT(a.cause_event_ids, Contains("home.oak/PH-1/philomena@1"));
  EXPECT_THAT(a.authorities, Contains("coventry"));
  EXPECT_THAT(a.reason, Not(HasSubstr("curly")));  // a notification, not the profile
  EXPECT_THAT(Logged(), Contains(HasSubstr("philomena-release: Philomena profile home.oak/PH-1/philomena@1 released to "
                                           "police.a for missing episode police.a/MP-1")));
  // Redelivery, or another record of the same child, notifies nothing more.
  Batch({Report()});
  EXPECT_EQ(Notified().size(), 1u);
}

TEST_F(PhilomenaWatchTest, TheReturnClosesTheReleaseAndItsNotification) {
  Batch({Profile(), Report()});
  Batch({Found()});
  const std::vector<AlertRecord> notified = Notified();
  ASSERT_EQ(notified.size(), 2u);
  const auto& close = std::get<AlertTransition>(notified[1]);
  EXPECT_EQ(close.alert_id, "philomena-release:police.a/MP-1");
  EXPECT_EQ(close.kind, TransitionKind::kClose);
  EXPECT_THAT(close.note, HasSubstr("the child was found"));
  EXPECT_EQ(Logged().size(), 2u);
}

TEST_F(PhilomenaWatchTest, AProfileArrivingDuringAnEpisodeIsReleasedThen) {
  Batch({Report()});
  EXPECT_THAT(Notified(), IsEmpty());  // nothing to release
  Batch({Profile()});
  EXPECT_EQ(Notified().size(), 1u);
}

TEST_F(PhilomenaWatchTest, HistoryAndRestartsReleaseNothingAgain) {
  Batch({Profile(), Report(), Found()});  // an episode already over when the hub saw it
  EXPECT_THAT(Notified(), IsEmpty());
  // After a restart, an open release already logged is known, not released again.
  Batch({MakeEvent("police.a", "MP-2", "report", 1, kChild, At("2026-11-23T06:00:00Z"),
                   MissingReported{.category = AbsenceCategory::kMissing})});
  ASSERT_EQ(Notified().size(), 1u);
  PhilomenaWatch restarted(store_, *log_, publisher_, registry_, "coventry", clock_);
  restarted.Prime();
  restarted.OnEventsApplied({Profile()});
  EXPECT_EQ(Notified().size(), 1u);
}

}  // namespace
}  // namespace homeward::aggregator
