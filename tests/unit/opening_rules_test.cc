// When an opening may start, when releases are taken and when decryption ends
// (core/opening/opening_rules.h), with the messages a user sees: times in the
// tender's zone (Asia/Shanghai in fold_events.h), counts, the minimum.
#include "core/opening/opening_rules.h"

#include <gtest/gtest.h>

#include <vector>

#include "absl/strings/match.h"
#include "core/opening/fold.h"
#include "core/opening/time_text.h"
#include "tests/unit/assertions.h"
#include "tests/unit/fold_events.h"

namespace bidopen {
namespace {

using ::bidopen::testing::StatusIs;
constexpr absl::StatusCode kFailed = absl::StatusCode::kFailedPrecondition;

// kOpening (2026-03-08 01:00 UTC) in the tender's zone.
constexpr char kOpeningText[] = "2026-03-08T09:00:00+08:00";

// A tender of one lot with `live` bids (seqs 1..live), folded from its events.
TenderState WithBids(int live, v1::LotSpec spec = Lot("Lot 1")) {
  v1::Event created = Created(0, "T-1", 0);
  *created.mutable_tender_created()->add_lots() = std::move(spec);
  std::vector<v1::Event> events = {created};
  for (int i = 1; i <= live; ++i) events.push_back(Submitted(i, "T-1", 1));
  auto t = FoldTender(events);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *std::move(t) : TenderState{};
}

std::vector<uint64_t> Seqs(int n) {
  std::vector<uint64_t> out;
  for (int i = 1; i <= n; ++i) out.push_back(i);
  return out;
}

// The lot's opening started at `at` (by the agency), as the fold records it.
TenderState Started(int live, absl::Time at, v1::LotSpec spec = Lot("Lot 1")) {
  TenderState s = WithBids(live, std::move(spec));
  auto start = DecideStart(s.tender, 1, Seqs(live), at, false);
  EXPECT_TRUE(start.ok()) << start.status();
  v1::Event e = EventOf(100, "T-1");
  *e.mutable_time() = ToProto(at);
  *e.mutable_opening_started() = *start;
  auto applied = ApplyEvent(e, {.tender = &s});
  EXPECT_TRUE(applied.ok()) << applied.status();
  return s;
}

TEST(DecideStartTest, BeforeTheOpeningTimeItSaysTheTimeInTheTendersZone) {
  const TenderState s = WithBids(3);
  const auto start = DecideStart(s.tender, 1, Seqs(3), kOpening - absl::Seconds(90), false);
  EXPECT_TRUE(StatusIs(start, kFailed,
                       {"the opening of lot 1 of tender T-1 cannot start before its opening time ",
                        kOpeningText, "(in 1 min 30 s; server time 2026-03-08T08:58:30+08:00)"}));
  EXPECT_TRUE(DecideStart(s.tender, 1, Seqs(3), kOpening, false).ok());
}

TEST(DecideStartTest, ItListsTheLiveBidsAndRunsTheWindowFromNow) {
  const TenderState s = WithBids(3);
  const absl::Time now = kOpening + absl::Minutes(4);
  const auto start = DecideStart(s.tender, 1, Seqs(3), now, true);
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(start->lot(), 1);
  EXPECT_EQ(std::vector<uint64_t>(start->bids().begin(), start->bids().end()), Seqs(3));
  EXPECT_EQ(FromProto(start->window_end()), now + absl::Minutes(30));  // the default window
  EXPECT_TRUE(start->auto_started());
  EXPECT_EQ(start->failure(), "");
  EXPECT_EQ(DecryptionWindow(s.tender.lots(0).spec()), absl::Minutes(30));
  EXPECT_EQ(MinValidBids(s.tender.lots(0).spec()), 3);

  v1::LotSpec spec = Lot("Lot 1");
  *spec.mutable_decryption_window() = ToProto(absl::Minutes(45));
  spec.set_min_valid_bids(1);
  const TenderState custom = WithBids(1, spec);
  const auto one = DecideStart(custom.tender, 1, Seqs(1), now, false);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(FromProto(one->window_end()), now + absl::Minutes(45));
  EXPECT_EQ(one->failure(), "");
}

TEST(DecideStartTest, FewerLiveBidsThanTheMinimumStartAFailedOpening) {
  const TenderState s = WithBids(2);
  const auto start = DecideStart(s.tender, 1, Seqs(2), kOpening, false);
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(start->failure(),
            "2 live bids, fewer than the lot's minimum of 3 (招标投标法实施条例 Art. 44): the "
            "lot failed (流标)");
  EXPECT_EQ(TooFewBids(s.tender.lots(0).spec(), 3, "live bids"), "");
  const auto none = DecideStart(WithBids(0).tender, 1, {}, kOpening, false);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(absl::StartsWith(none->failure(), "0 live bids, fewer than the lot's minimum of 3"));
}

TEST(DecideStartTest, AnOpeningStartsOnce) {
  const TenderState s = Started(3, kOpening + absl::Minutes(1));
  EXPECT_EQ(s.tender.lots(0).status(), v1::LOT_STATUS_DECRYPTING);
  EXPECT_TRUE(StatusIs(DecideStart(s.tender, 1, Seqs(3), kOpening + absl::Minutes(2), false),
                       kFailed,
                       {"the opening of lot 1 of tender T-1 already started at "
                        "2026-03-08T09:01:00+08:00"}));
}

TEST(DecideStartTest, ACancelledLotOrTenderHasNoOpening) {
  TenderState s = WithBids(3);
  v1::Event cancel = Cancelled(50, "T-1", 0, "budget withdrawn");
  ASSERT_TRUE(ApplyEvent(cancel, {.tender = &s}).ok());
  EXPECT_TRUE(StatusIs(DecideStart(s.tender, 1, Seqs(3), kOpening, false), kFailed,
                       {"lot 1 of tender T-1 is cancelled; it has no opening"}));
  EXPECT_TRUE(StatusIs(DecideStart(s.tender, 2, Seqs(3), kOpening, false),
                       absl::StatusCode::kNotFound, {"tender T-1 has no lot 2"}));
}

TEST(CheckReleaseTimeTest, NothingIsReleasedBeforeTheOpeningStarted) {
  const TenderState s = WithBids(3);
  EXPECT_TRUE(StatusIs(CheckReleaseTime(s.tender, 1, kOpening - absl::Minutes(5)), kFailed,
                       {"the opening of lot 1 of tender T-1 has not started: nothing is released "
                        "before it (opening time ",
                        kOpeningText, ", server time 2026-03-08T08:55:00+08:00)"}));
  // Past the opening time too, until the opening started.
  EXPECT_TRUE(StatusIs(CheckReleaseTime(s.tender, 1, kOpening + absl::Minutes(5)), kFailed,
                       {"has not started"}));
}

TEST(CheckReleaseTimeTest, ReleasesAreTakenUpToTheWindowsEndAndNotAfter) {
  const absl::Time start = kOpening + absl::Minutes(1);
  const TenderState s = Started(3, start);
  EXPECT_TRUE(CheckReleaseTime(s.tender, 1, start).ok());
  EXPECT_TRUE(CheckReleaseTime(s.tender, 1, start + absl::Minutes(30)).ok());
  EXPECT_TRUE(StatusIs(CheckReleaseTime(s.tender, 1, start + absl::Minutes(30) + absl::Seconds(2)),
                       kFailed,
                       {"the decryption window of lot 1 of tender T-1 closed at "
                        "2026-03-08T09:31:00+08:00 (2.000 s ago; server time "
                        "2026-03-08T09:31:02+08:00)"}));
}

TEST(CheckReleaseTimeTest, NothingIsReleasedAfterDecryptionEnded) {
  const absl::Time start = kOpening + absl::Minutes(1);
  TenderState s = Started(3, start);
  v1::Event ended = EventOf(200, "T-1");
  *ended.mutable_time() = ToProto(start + absl::Minutes(30));
  v1::DecryptionEnded* d = ended.mutable_decryption_ended();
  d->set_lot(1);
  d->set_decrypt_failed(3);
  // (Three verdicts first, as the fold asks; here the state is set directly.)
  s.tender.mutable_lots(0)->mutable_opening()->set_decrypt_failed(3);
  d->set_failure(TooFewBids(s.tender.lots(0).spec(), 0, "bids decrypted"));
  ASSERT_TRUE(ApplyEvent(ended, {.tender = &s}).ok());
  EXPECT_TRUE(StatusIs(CheckReleaseTime(s.tender, 1, start + absl::Minutes(10)), kFailed,
                       {"lot 1 of tender T-1 failed: 0 bids decrypted, fewer than the lot's "
                        "minimum of 3"}));
  s.tender.mutable_lots(0)->mutable_opening()->clear_failure();  // an ended lot that did not fail
  EXPECT_TRUE(StatusIs(CheckReleaseTime(s.tender, 1, start + absl::Minutes(10)), kFailed,
                       {"decryption of lot 1 of tender T-1 ended at 2026-03-08T09:31:00+08:00"}));
}

TEST(CheckReleaseTimeTest, AFailedLotTakesNoRelease) {
  TenderState s = WithBids(2);
  auto start = DecideStart(s.tender, 1, Seqs(2), kOpening, false);
  ASSERT_TRUE(start.ok()) << start.status();
  v1::Event e = EventOf(100, "T-1");
  *e.mutable_time() = ToProto(kOpening);
  *e.mutable_opening_started() = *start;
  ASSERT_TRUE(ApplyEvent(e, {.tender = &s}).ok());
  EXPECT_EQ(s.tender.lots(0).status(), v1::LOT_STATUS_FAILED);
  EXPECT_TRUE(StatusIs(CheckReleaseTime(s.tender, 1, kOpening + absl::Minutes(1)), kFailed,
                       {"lot 1 of tender T-1 failed: 2 live bids, fewer than the lot's minimum of "
                        "3 (招标投标法实施条例 Art. 44): the lot failed (流标)"}));
}

TEST(DecideEndTest, TheWindowsEndEndsDecryption) {
  const absl::Time start = kOpening + absl::Minutes(1);
  const TenderState s = Started(3, start);
  for (bool asked : {false, true}) {
    auto end = DecideEnd(s.tender, 1, start + absl::Minutes(30), asked);
    ASSERT_TRUE(end.ok()) << end.status();
    EXPECT_TRUE(end->end);
    EXPECT_FALSE(end->early);
  }
  auto before = DecideEnd(s.tender, 1, start + absl::Minutes(29), false);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_FALSE(before->end);
}

TEST(DecideEndTest, TheAgencyEndsEarlyOnlyOnceEveryBidOpenedAndIsToldHowManyHaveNot) {
  const absl::Time start = kOpening + absl::Minutes(1);
  TenderState s = Started(3, start);
  s.tender.mutable_lots(0)->mutable_opening()->set_opened(1);
  EXPECT_TRUE(StatusIs(DecideEnd(s.tender, 1, start + absl::Minutes(10), true), kFailed,
                       {"decryption of lot 1 of tender T-1 can end early only once every bid "
                        "opened: 2 of 3 not yet; the window closes at 2026-03-08T09:31:00+08:00 "
                        "(in 20 min)"}));
  s.tender.mutable_lots(0)->mutable_opening()->set_opened(3);
  auto early = DecideEnd(s.tender, 1, start + absl::Minutes(10), true);
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_TRUE(early->end);
  EXPECT_TRUE(early->early);
  auto unasked = DecideEnd(s.tender, 1, start + absl::Minutes(10), false);
  ASSERT_TRUE(unasked.ok()) << unasked.status();
  EXPECT_FALSE(unasked->end);  // the server does not end early on its own
}

TEST(DecideEndTest, OnlyADecryptionUnderWayEnds) {
  EXPECT_TRUE(StatusIs(DecideEnd(WithBids(3).tender, 1, kOpening + absl::Hours(2), true), kFailed,
                       {"lot 1 of tender T-1 has no decryption under way"}));
  TenderState failed = WithBids(2);
  auto start = DecideStart(failed.tender, 1, Seqs(2), kOpening, false);
  ASSERT_TRUE(start.ok());
  v1::Event e = EventOf(100, "T-1");
  *e.mutable_time() = ToProto(kOpening);
  *e.mutable_opening_started() = *start;
  ASSERT_TRUE(ApplyEvent(e, {.tender = &failed}).ok());
  EXPECT_TRUE(StatusIs(DecideEnd(failed.tender, 1, kOpening + absl::Hours(2), true), kFailed,
                       {"has no decryption under way"}));
}

}  // namespace
}  // namespace bidopen
