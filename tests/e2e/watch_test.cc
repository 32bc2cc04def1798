// OpeningService.Watch end to end: a lot's events from any seq, then live as
// they are appended (through LISTEN/NOTIFY), with heartbeats carrying the
// server's signed time; a reconnect from the next seq misses nothing and
// repeats nothing; who may watch, and the refusals.
#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "core/opening/event_lot.h"
#include "tests/e2e/opening_fixture.h"
#include "tests/e2e/watcher.h"

namespace bidopen::testing {
namespace {

using WatchTest = OpeningTest;

TEST_F(WatchTest, TheLotsHistoryThenLiveEventsAndAResumeMissesNothingAndRepeatsNothing) {
  RegisterAll();
  const std::string id = ShortTender("ANY", absl::Seconds(12), "20s", {"--min-bids", "1"});
  Submit(id, "bidder1", "1000.00");
  Submit(id, "bidder2", "990.00");
  // The lot's history as the log has it (every event of this one-lot tender).
  std::vector<uint64_t> logged;
  for (const v1::Event& e : Events(id)) logged.push_back(e.seq());
  ASSERT_GE(logged.size(), 3u);

  auto supervisor = Opening("supervisor1");
  Watcher w(*supervisor, Lot(id), 0, absl::Seconds(60));
  std::vector<std::pair<uint64_t, v1::Event>> history;
  for (size_t i = 0; i < logged.size(); ++i) history.push_back(*w.Next());
  EXPECT_EQ(SeqsOf(history), logged);
  EXPECT_EQ(history.front().second.body_case(), v1::Event::kTenderCreated);

  // Live: the start and its reveals reach the watcher as they are appended.
  WaitForOpeningTime();
  const absl::Time started = absl::Now();
  ASSERT_TRUE(Start(id).ok());
  auto live = w.Until(v1::Event::kOpeningStarted);
  ASSERT_FALSE(live.empty());
  EXPECT_EQ(live.back().second.body_case(), v1::Event::kOpeningStarted);
  EXPECT_LT(absl::Now() - started, absl::Seconds(2));
  for (int i = 0; i < 2; ++i) EXPECT_EQ(w.Next()->second.body_case(), v1::Event::kBidRevealed);

  // Heartbeats carry the server's signed time.
  const int beats = w.heartbeats();
  v1::ReleaseResult r;
  absl::SleepFor(absl::Milliseconds(2500));
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", BidderSecret(id, "bidder1"), &r).ok());
  auto released = w.Until(v1::Event::kKeyReleased);
  EXPECT_GE(w.heartbeats(), beats + 1);
  EXPECT_FALSE(w.last_beat().signature().empty());
  const uint64_t next = released.back().first + 1;

  // A second watcher resuming after the release sees exactly what follows.
  ASSERT_TRUE(ReleaseBidder(id, "bidder2", BidderSecret(id, "bidder2"), &r).ok());
  Watcher resumed(*Opening("auditor1"), Lot(id), next);
  auto after = resumed.Until(v1::Event::kKeyReleased);
  ASSERT_FALSE(after.empty());
  EXPECT_GE(after.front().first, next);
  auto first = w.Until(v1::Event::kKeyReleased);
  EXPECT_EQ(SeqsOf(first), SeqsOf(after)) << "both watchers see the same events after `next`";
}

TEST_F(WatchTest, OnlyTheLotsParticipantsWatchAndBadRequestsAreRefused) {
  RegisterAll();
  const std::string id = ShortTender("ANY", absl::Seconds(30), "20s", {"--min-bids", "1"});
  Submit(id, "bidder1", "1000.00");
  for (const char* who : {"supervisor1", "auditor1", "agency1", "custodian1", "bidder1"}) {
    Watcher w(*Opening(who), Lot(id), 0);
    auto e = w.Next();
    ASSERT_TRUE(e.has_value()) << who << ": " << w.Finish().error_message();
    EXPECT_EQ(e->second.body_case(), v1::Event::kTenderCreated) << who;
  }
  grpc::Status s = Watcher(*Opening("bidder2"), Lot(id), 0).Refusal();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_PRED2(Has, s.error_message(),
               std::string("may not watch lot 1 of tender ") + id + ": you have no bid in it");
  s = Watcher(*Opening("operator1"), Lot(id), 0).Refusal();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_PRED2(Has, s.error_message(), std::string("to watch a lot's opening"));

  s = Watcher(*Opening("auditor1"), Lot(id), 1'000'000'000).Refusal();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::OUT_OF_RANGE) << s.error_message();
  EXPECT_PRED2(Has, s.error_message(), std::string("from_seq: 1000000000 is beyond the log's end"));
  v1::LotRef two = Lot(id);
  two.set_lot(2);
  s = Watcher(*Opening("auditor1"), two, 0).Refusal();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();
  v1::LotRef zero = Lot(id);
  zero.set_lot(0);
  s = Watcher(*Opening("auditor1"), zero, 0).Refusal();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
}

}  // namespace
}  // namespace bidopen::testing
