// `bidctl opening watch`'s view (client/watch_view.h) and its state
// (client/watch_state.h): the lot folded from the events as Watch sends them
// (log entries), shown at a given signed time. Built on the hall's fold
// fixture (tests/unit/fold_hall_fixture.h): a real sealed-bid opening, then
// the hall's events as the server would append them.
#include "client/watch_view.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "client/watch_event_text.h"
#include "client/watch_state.h"
#include "tests/unit/fold_hall_fixture.h"

namespace bidopen::opening_test {
namespace {

using client::WatchState;

class WatchViewTest : public FoldHallTest {
 protected:
  // The watcher's state after every event logged so far, fed as log entries.
  WatchState Watched() {
    WatchState s;
    s.tender_id = kTender;
    s.lot = 1;
    for (const v1::Event& e : log_) {
      v1::LogEntry entry;
      entry.set_seq(e.seq());
      entry.set_event(e.SerializeAsString());
      v1::Event parsed;
      auto applied = client::ApplyEntry(s, entry, &parsed);
      EXPECT_TRUE(applied.ok()) << applied.status();
      EXPECT_TRUE(applied.ok() && *applied) << e.seq();
    }
    return s;
  }

  // The fixture's lots want 3 bids; these have fewer.
  static void MinOne(v1::LotSpec* spec) { spec->set_min_valid_bids(1); }

  static std::string View(const WatchState& s, absl::Time now) {
    return absl::StrJoin(client::WatchLines(s, now), "\n");
  }
};

TEST_F(WatchViewTest, BeforeTheOpeningACountdownToTheOpeningTimeAndNoBidderNamed) {
  Begin(v1::OPENING_POLICY_BIDDER, 2, MinOne);
  const WatchState s = Watched();
  const std::string v = View(s, kOpening - absl::Minutes(5));
  EXPECT_TRUE(absl::StrContains(v, "阶段 phase        待开标 SCHEDULED")) << v;
  EXPECT_TRUE(absl::StrContains(v, "开标倒计时 opening ")) << v;
  EXPECT_TRUE(absl::StrContains(v, ", in 00:05:00")) << v;
  EXPECT_TRUE(absl::StrContains(v, "+08:00")) << v;  // the tender's zone, Asia/Shanghai
  EXPECT_TRUE(absl::StrContains(v, "2 live")) << v;
  EXPECT_FALSE(absl::StrContains(v, "Builder")) << v;
  EXPECT_FALSE(client::WatchDone(s));
  EXPECT_TRUE(absl::StrContains(View(s, kOpening + absl::Seconds(12)),
                                "waiting for the agency to start it"))
      << View(s, kOpening + absl::Seconds(12));
}

TEST_F(WatchViewTest, WhileDecryptingWhichBidsOpenedButNoValue) {
  Begin(v1::OPENING_POLICY_BIDDER, 2, MinOne);
  Open();
  const absl::Time t = kStart + absl::Minutes(2);
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t)).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], t, true)).ok());
  const std::string v = View(Watched(), t + absl::Seconds(1));
  EXPECT_TRUE(absl::StrContains(v, "解密中 DECRYPTING")) << v;
  EXPECT_TRUE(absl::StrContains(v, "解密窗口 decryption window ends ")) << v;
  EXPECT_TRUE(absl::StrContains(v, "in 00:27:59")) << v;
  EXPECT_TRUE(absl::StrContains(v, "2 at the start, 2 revealed, 1 opened")) << v;
  EXPECT_TRUE(absl::StrContains(v, "Builder 1")) << v;
  EXPECT_TRUE(absl::StrContains(v, "已解密 opened")) << v;
  EXPECT_TRUE(absl::StrContains(v, "待解密 not opened yet")) << v;
  EXPECT_FALSE(absl::StrContains(v, "1000.00")) << v;
}

TEST_F(WatchViewTest, VerdictsShowNoValueUntilTheAnnouncementWhichShowsTheTable) {
  Decrypt(2, {}, MinOne);
  std::string v = View(Watched(), kStart + absl::Minutes(3));
  EXPECT_TRUE(absl::StrContains(v, "待唱标 ANNOUNCING")) << v;
  EXPECT_TRUE(absl::StrContains(v, "waiting for the announcement")) << v;
  EXPECT_FALSE(absl::StrContains(v, "1000.00")) << v;

  const absl::Time at = kStart + absl::Minutes(2) + absl::Seconds(11);
  ASSERT_TRUE(Apply(Announce(at)).ok());
  v = View(Watched(), at + absl::Minutes(1));
  EXPECT_TRUE(absl::StrContains(v, "确认中 CONFIRMING")) << v;
  EXPECT_TRUE(absl::StrContains(v, "唱标 announcement")) << v;
  EXPECT_TRUE(absl::StrContains(v, "price | duration_days")) << v;
  EXPECT_TRUE(absl::StrContains(v, "1000.00 | 90")) << v;
  EXPECT_TRUE(absl::StrContains(v, "1001.00 | 90")) << v;
  EXPECT_TRUE(absl::StrContains(v, "确认截止 confirmations until ")) << v;
  EXPECT_TRUE(absl::StrContains(v, "in 00:09:00")) << v;  // the default 10 min window
}

TEST_F(WatchViewTest, SignInsConfirmationsObjectionsAnswersAndTheCloseEndTheWatch) {
  Begin(v1::OPENING_POLICY_BIDDER, 2, MinOne);
  ASSERT_TRUE(Apply(SignIn(bidders_[1], kOpening - absl::Minutes(1))).ok());
  std::string v = View(Watched(), kOpening - absl::Seconds(30));
  EXPECT_TRUE(absl::StrContains(v, "签到 signed in     1 bidder(s)")) << v;
  EXPECT_TRUE(absl::StrContains(v, "Builder 2")) << v;  // its sign-in names it
  Open();
  const absl::Time at = DecryptOpened() + absl::Seconds(1);
  ASSERT_TRUE(Apply(Announce(at)).ok());
  ASSERT_TRUE(Apply(Confirm(bidders_[0], at + absl::Seconds(5))).ok());
  const uint64_t objection = next_seq_;
  ASSERT_TRUE(
      Apply(Object(bidders_[1], at + absl::Seconds(6), "价格有误 the price is wrong")).ok());
  v = View(Watched(), at + absl::Seconds(7));
  EXPECT_TRUE(absl::StrContains(v, "确认 confirmed     1 bidder(s): #")) << v;
  EXPECT_TRUE(absl::StrContains(v, "异议 objections    1, 1 unanswered")) << v;
  EXPECT_TRUE(absl::StrContains(v, "价格有误 the price is wrong")) << v;
  EXPECT_TRUE(absl::StrContains(v, "待答复 awaiting the agency's answer")) << v;
  ASSERT_TRUE(Apply(Answer(objection, at + absl::Seconds(8), "已核对 checked")).ok());
  EXPECT_FALSE(client::WatchDone(Watched()));
  ASSERT_TRUE(Apply(Close(ConfirmUntil() + absl::Seconds(1))).ok());
  const WatchState s = Watched();
  v = View(s, ConfirmUntil() + absl::Seconds(2));
  EXPECT_TRUE(absl::StrContains(v, "答复 answer ")) << v;
  EXPECT_TRUE(absl::StrContains(v, "已核对 checked")) << v;
  EXPECT_TRUE(absl::StrContains(v, "开标结束 CLOSED")) << v;
  EXPECT_TRUE(absl::StrContains(v, "结束 closed ")) << v;
  EXPECT_TRUE(client::WatchDone(s));
}

TEST_F(WatchViewTest, ALotThatFailedAtItsStartEndsTheWatchOneThatFailedLaterDoesNot) {
  Begin(v1::OPENING_POLICY_BIDDER, 2, [](v1::LotSpec* spec) { spec->set_min_valid_bids(3); });
  ASSERT_TRUE(Apply(Start()).ok());
  const WatchState s = Watched();
  EXPECT_TRUE(client::WatchDone(s));
  EXPECT_TRUE(absl::StrContains(View(s, kStart), "流标 FAILED")) << View(s, kStart);
  EXPECT_TRUE(absl::StrContains(View(s, kStart), "failed at the start")) << View(s, kStart);
}

TEST_F(WatchViewTest, AnEntrySentTwiceIsSkippedAndAnotherLotsIsRefused) {
  Begin(v1::OPENING_POLICY_BIDDER, 1, MinOne);
  WatchState s = Watched();
  v1::LogEntry again;
  again.set_seq(log_.back().seq());
  again.set_event(log_.back().SerializeAsString());
  v1::Event e;
  auto applied = client::ApplyEntry(s, again, &e);
  ASSERT_TRUE(applied.ok());
  EXPECT_FALSE(*applied);
  v1::Event other = log_.back();
  other.set_seq(s.next_seq);
  other.mutable_bid_submitted()->set_lot(2);
  v1::LogEntry entry;
  entry.set_seq(other.seq());
  entry.set_event(other.SerializeAsString());
  EXPECT_EQ(client::ApplyEntry(s, entry, &e).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(WatchViewTest, JsonAndChangeLinesNameTheEvent) {
  Begin(v1::OPENING_POLICY_BIDDER, 1, MinOne);
  Open();
  const v1::Event& revealed = log_.back();
  const std::string json = client::EventJsonLine(revealed);
  EXPECT_TRUE(absl::StrContains(json, "\"kind\":\"bid_revealed\"")) << json;
  EXPECT_TRUE(absl::StrContains(json, absl::StrCat("\"seq\":", revealed.seq()))) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"lot\":1")) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"organization\":\"Builder 1\"")) << json;
  EXPECT_EQ(json.find('\n'), std::string::npos);
  const std::string line = client::ChangeLine(revealed, ZoneOrUtc("Asia/Shanghai"));
  EXPECT_TRUE(absl::StrContains(line, "揭示 bid #")) << line;
  EXPECT_TRUE(absl::StrContains(line, "revealed: Builder 1")) << line;
}

}  // namespace
}  // namespace bidopen::opening_test
