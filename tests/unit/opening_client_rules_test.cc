// The pure helpers behind bidctl's opening commands: naming a lot, when a key
// may be released and the countdown shown meanwhile, and where an opened
// document may be written.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "core/opening/lot_ref.h"
#include "core/opening/release_timing.h"
#include "core/opening/time_text.h"
#include "core/seal/document_path.h"

namespace bidopen {
namespace {

// The message of `st` (or "" if OK) contains `part`.
::testing::AssertionResult Says(const absl::Status& st, absl::string_view part) {
  if (absl::StrContains(st.message(), part)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << st << " does not say \"" << part << "\"";
}
::testing::AssertionResult Says(absl::string_view text, absl::string_view part) {
  if (absl::StrContains(text, part)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not say \"" << part << "\"";
}

constexpr char kTender[] = "T-0123456789";

TEST(LotNameTest, SlashFormFlagFormAndDefault) {
  auto a = ParseLotName("T-0123456789/2");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->tender_id, kTender);
  EXPECT_EQ(a->lot, 2);
  auto b = ParseLotName(kTender, 3);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->lot, 3);
  auto c = ParseLotName(kTender);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->lot, 1);
  auto same = ParseLotName("T-0123456789/4", 4);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->lot, 4);
}

TEST(LotNameTest, BadInputIsNamedWithTheValue) {
  auto conflict = ParseLotName("T-0123456789/2", 3);
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Says(conflict.status(), "names lot 2 but --lot says 3"));
  auto zero = ParseLotName("T-0123456789/0");
  EXPECT_TRUE(Says(zero.status(), "\"0\" after the slash is not a lot number from 1 to 100"));
  auto sign = ParseLotName("T-0123456789/+1");
  EXPECT_FALSE(sign.ok());
  auto big = ParseLotName("T-0123456789/101");
  EXPECT_TRUE(Says(big.status(), "from 1 to 100"));
  auto id = ParseLotName("T-OOPS/1");
  EXPECT_TRUE(Says(id.status(), "the tender id \"T-OOPS\""));
  auto flag = ParseLotName(kTender, -1);
  EXPECT_TRUE(Says(flag.status(), "--lot -1 is not a lot number"));
}

TEST(CountdownTest, WholeSecondsRoundedUp) {
  EXPECT_EQ(CountdownText(absl::Seconds(3725)), "01:02:05");
  EXPECT_EQ(CountdownText(absl::Milliseconds(200)), "00:00:01");
  EXPECT_EQ(CountdownText(absl::ZeroDuration()), "00:00:00");
  EXPECT_EQ(CountdownText(-absl::Seconds(5)), "00:00:00");
  EXPECT_EQ(CountdownText(absl::Hours(50) + absl::Seconds(1)), "2 d 02:00:01");
}

TEST(ClockOffsetTest, AheadBehindAndClose) {
  EXPECT_EQ(ClockOffsetText(absl::Milliseconds(1204)),
            "this computer's clock is 1.204 s ahead of the server's signed time");
  EXPECT_EQ(ClockOffsetText(-absl::Seconds(3)),
            "this computer's clock is 3.000 s behind the server's signed time");
  EXPECT_TRUE(Says(ClockOffsetText(absl::Milliseconds(40)), "to within 0.1 s"));
  EXPECT_FALSE(ClockOffsetLarge(absl::Seconds(2)));
  EXPECT_TRUE(ClockOffsetLarge(-absl::Milliseconds(2001)));
}

v1::Lot LotOpeningAt(absl::Time open, v1::LotStatus status) {
  v1::Lot lot;
  lot.set_number(1);
  *lot.mutable_spec()->mutable_opening_time() = ToProto(open);
  lot.set_status(status);
  return lot;
}

TEST(ReleaseReadyTest, NeverBeforeTheSignedOpeningTime) {
  const absl::Time open = absl::FromUnixSeconds(1'800'000'000);
  // Even a lot the server says is decrypting waits for the signed time.
  v1::Lot lot = LotOpeningAt(open, v1::LOT_STATUS_DECRYPTING);
  EXPECT_EQ(*CheckReleaseReady(lot, v1::RELEASE_KIND_BIDDER, open - absl::Seconds(1),
                               open - absl::Seconds(1), absl::UTCTimeZone()),
            ReleaseReady::kWait);
  EXPECT_EQ(*CheckReleaseReady(lot, v1::RELEASE_KIND_BIDDER, open, open, absl::UTCTimeZone()),
            ReleaseReady::kNow);
  v1::Lot closed = LotOpeningAt(open, v1::LOT_STATUS_SUBMISSION_CLOSED);
  EXPECT_EQ(*CheckReleaseReady(closed, v1::RELEASE_KIND_BIDDER, open + absl::Minutes(1),
                               open + absl::Minutes(1), absl::UTCTimeZone()),
            ReleaseReady::kWait);
  EXPECT_TRUE(Says(WaitLine(closed, v1::RELEASE_KIND_BIDDER, open + absl::Seconds(12),
                            open + absl::Seconds(12), absl::UTCTimeZone()),
                   "passed 12.000 s ago; waiting for the agency to start the opening"));
  EXPECT_EQ(WaitLine(closed, v1::RELEASE_KIND_BIDDER, open - absl::Seconds(299),
                     open - absl::Seconds(299), absl::UTCTimeZone()),
            "opening 2027-01-15T08:00:00+00:00 in 00:04:59 (the server's signed time)");
}

// A server whose clock runs ahead signs an early time: this machine's clock
// must agree (to within 2 s) before anything is unwrapped.
TEST(ReleaseReadyTest, NeverBeforeThisMachinesOpeningTimeEither) {
  const absl::Time open = absl::FromUnixSeconds(1'800'000'000);
  v1::Lot lot = LotOpeningAt(open, v1::LOT_STATUS_DECRYPTING);
  const absl::Time signed_now = open + absl::Minutes(5);
  EXPECT_EQ(*CheckReleaseReady(lot, v1::RELEASE_KIND_BIDDER, signed_now, open - absl::Minutes(1),
                               absl::UTCTimeZone()),
            ReleaseReady::kWait);
  EXPECT_EQ(WaitLine(lot, v1::RELEASE_KIND_BIDDER, signed_now, open - absl::Minutes(1),
                     absl::UTCTimeZone()),
            "the server's signed time is past the opening time 2027-01-15T08:00:00+00:00 but "
            "this computer's clock says 00:01:00 to go; waiting for it (check this computer's "
            "clock)");
  EXPECT_EQ(*CheckReleaseReady(lot, v1::RELEASE_KIND_BIDDER, signed_now,
                               open - absl::Milliseconds(2001), absl::UTCTimeZone()),
            ReleaseReady::kWait);
  EXPECT_EQ(*CheckReleaseReady(lot, v1::RELEASE_KIND_BIDDER, signed_now, open - absl::Seconds(2),
                               absl::UTCTimeZone()),
            ReleaseReady::kNow);
}

// Under BOTH a custodian waits, by both clocks, for the bidders' half of the
// window; a bidder is told when its half is over.
TEST(ReleaseReadyTest, UnderBothCustodiansWaitForTheBiddersHalfOfTheWindow) {
  const absl::Time open = absl::FromUnixSeconds(1'800'000'000);
  v1::Lot lot = LotOpeningAt(open, v1::LOT_STATUS_DECRYPTING);
  lot.mutable_spec()->set_policy(v1::OPENING_POLICY_BOTH);
  *lot.mutable_opening()->mutable_started()->mutable_time() = ToProto(open);
  *lot.mutable_opening()->mutable_window_end() = ToProto(open + absl::Minutes(30));
  const absl::Time turn = open + absl::Minutes(15);
  const auto custodian = v1::RELEASE_KIND_CUSTODIAN;
  const auto bidder = v1::RELEASE_KIND_BIDDER;
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(*CheckReleaseReady(lot, custodian, open, open, utc), ReleaseReady::kWait);
  EXPECT_EQ(*CheckReleaseReady(lot, bidder, open, open, utc), ReleaseReady::kNow);
  // Custodians from the turn plus the replicas' clock slack (review 8 V4).
  const absl::Time custodians = turn + absl::Seconds(5);
  EXPECT_EQ(WaitLine(lot, custodian, turn - absl::Minutes(1), turn, utc),
            "the bidders release first (policy BOTH); the custodians release from "
            "2027-01-15T08:15:05+00:00, in 00:01:05");
  EXPECT_EQ(*CheckReleaseReady(lot, custodian, turn, turn, utc), ReleaseReady::kWait);
  EXPECT_EQ(*CheckReleaseReady(lot, custodian, custodians, custodians - absl::Minutes(1), utc),
            ReleaseReady::kWait)
      << "this machine's clock has not reached the turn";
  EXPECT_EQ(*CheckReleaseReady(lot, custodian, custodians, custodians, utc), ReleaseReady::kNow);
  auto late = CheckReleaseReady(lot, bidder, turn, turn, utc);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Says(late.status(),
                   "under policy BOTH the bidders release their parts in the "
                   "first half of the window, which ended at "
                   "2027-01-15T08:15:00+00:00"));
}

// Review 6 T1: when the start found a stored file altered, every releaser
// waits, by both clocks, for the re-supply period to end.
TEST(ReleaseReadyTest, EveryoneWaitsForTheResupplyPeriodWhenAFileWasFoundAltered) {
  const absl::Time open = absl::FromUnixSeconds(1'800'000'000);
  v1::Lot lot = LotOpeningAt(open, v1::LOT_STATUS_DECRYPTING);
  *lot.mutable_opening()->mutable_started()->mutable_time() = ToProto(open);
  *lot.mutable_opening()->mutable_window_end() = ToProto(open + absl::Minutes(30));
  *lot.mutable_opening()->mutable_resupply_end() = ToProto(open + absl::Minutes(5));
  const absl::Time end = open + absl::Minutes(5) + absl::Seconds(5);  // + the replicas' slack
  const absl::TimeZone utc = absl::UTCTimeZone();
  for (v1::ReleaseKind kind : {v1::RELEASE_KIND_BIDDER, v1::RELEASE_KIND_CUSTODIAN}) {
    EXPECT_EQ(*CheckReleaseReady(lot, kind, end - absl::Seconds(1), end, utc), ReleaseReady::kWait);
    EXPECT_EQ(*CheckReleaseReady(lot, kind, end, end - absl::Minutes(1), utc), ReleaseReady::kWait)
        << "this machine's clock has not reached the end of the period";
    EXPECT_EQ(*CheckReleaseReady(lot, kind, end, end, utc), ReleaseReady::kNow);
  }
  EXPECT_EQ(WaitLine(lot, v1::RELEASE_KIND_BIDDER, end - absl::Seconds(90), end, utc),
            "the opening's start found a stored file altered: its bidder may put it back until "
            "2027-01-15T08:05:00+00:00; keys are released from 2027-01-15T08:05:05+00:00, in "
            "00:01:30");
}

TEST(ReleaseReadyTest, StopsWhenNoReleaseCanBeTaken) {
  const absl::Time open = absl::FromUnixSeconds(1'800'000'000);
  v1::Lot failed = LotOpeningAt(open, v1::LOT_STATUS_FAILED);
  failed.mutable_opening()->set_failure("2 live bids, fewer than the minimum 3");
  auto f = CheckReleaseReady(failed, v1::RELEASE_KIND_BIDDER, open, open, absl::UTCTimeZone());
  EXPECT_EQ(f.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Says(f.status(), "the lot failed: 2 live bids"));
  v1::Lot cancelled = LotOpeningAt(open, v1::LOT_STATUS_CANCELLED);
  cancelled.set_cancel_reason("budget withdrawn");
  EXPECT_TRUE(
      Says(CheckReleaseReady(cancelled, v1::RELEASE_KIND_BIDDER, open, open, absl::UTCTimeZone())
               .status(),
           "cancelled (budget withdrawn)"));
  v1::Lot ended = LotOpeningAt(open, v1::LOT_STATUS_ANNOUNCING);
  EXPECT_TRUE(Says(
      CheckReleaseReady(ended, v1::RELEASE_KIND_BIDDER, open, open, absl::UTCTimeZone()).status(),
      "decryption ended"));
  v1::Lot late = LotOpeningAt(open, v1::LOT_STATUS_DECRYPTING);
  *late.mutable_opening()->mutable_window_end() = ToProto(open + absl::Minutes(30));
  EXPECT_TRUE(Says(CheckReleaseReady(late, v1::RELEASE_KIND_BIDDER, open + absl::Minutes(31),
                                     open + absl::Minutes(31), absl::UTCTimeZone())
                       .status(),
                   "the decryption window ended at 2027-01-15T08:30:00+00:00"));
}

// Review 4 R8 (Review4PocAServersWordOrAFutureTimedHeadMakesEveryWaitingClientGiveUp,
// turned around): "no release any more" by time needs this machine's clock
// too, as releasing does. One head signed with a future time (a server clock
// ahead) no longer ends every waiting client, which then failed as the
// releasers' fault: the wait goes on, saying why, until this clock agrees.
TEST(ReleaseReadyTest, AFutureSignedTimeAloneEndsNoWait) {
  const absl::Time open = absl::FromUnixSeconds(1'800'000'000);
  const absl::TimeZone utc = absl::UTCTimeZone();
  v1::Lot lot = LotOpeningAt(open, v1::LOT_STATUS_DECRYPTING);
  *lot.mutable_opening()->mutable_window_end() = ToProto(open + absl::Minutes(30));
  const absl::Time local = open + absl::Minutes(10);
  const absl::Time ahead = open + absl::Minutes(31);
  EXPECT_EQ(*CheckReleaseReady(lot, v1::RELEASE_KIND_BIDDER, ahead, local, utc),
            ReleaseReady::kWait);
  EXPECT_EQ(WaitLine(lot, v1::RELEASE_KIND_BIDDER, ahead, local, utc),
            "the server's signed time says the decryption window ended at "
            "2027-01-15T08:30:00+00:00, but this computer's clock says 00:20:00 to go: not "
            "confirmed, waiting for this clock (check both clocks)");
  // Both clocks (this one to within 2 s): over.
  EXPECT_TRUE(Says(CheckReleaseReady(lot, v1::RELEASE_KIND_BIDDER, ahead,
                                     open + absl::Minutes(30) - absl::Seconds(2), utc)
                       .status(),
                   "the decryption window ended at"));

  // Under BOTH a bidder in its half: a head 20 min ahead says the half is over.
  lot.mutable_spec()->set_policy(v1::OPENING_POLICY_BOTH);
  *lot.mutable_opening()->mutable_started()->mutable_time() = ToProto(open);
  const absl::Time now = open + absl::Minutes(2);
  EXPECT_EQ(*CheckReleaseReady(lot, v1::RELEASE_KIND_BIDDER, now + absl::Minutes(20), now, utc),
            ReleaseReady::kWait);
  EXPECT_TRUE(Says(WaitLine(lot, v1::RELEASE_KIND_BIDDER, now + absl::Minutes(20), now, utc),
                   "the bidders' half of the window (policy BOTH) ended at "
                   "2027-01-15T08:15:00+00:00, but this computer's clock says 00:13:00 to go"));
  EXPECT_EQ(CheckReleaseReady(lot, v1::RELEASE_KIND_BIDDER, open + absl::Minutes(15),
                              open + absl::Minutes(15), utc)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(DocumentPathTest, StaysInsideTheDirectory) {
  EXPECT_EQ(*seal::DocumentOutputPath("out", "offer.pdf", 0), "out/offer.pdf");
  EXPECT_EQ(*seal::DocumentOutputPath("out/", "offer.pdf", 0), "out/offer.pdf");
  for (const char* bad : {"../etc/passwd", "..", ".", "a/b", "a\\b", ""}) {
    auto p = seal::DocumentOutputPath("out", bad, 2);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(Says(p.status(), "documents[2].name")) << bad;
  }
  EXPECT_TRUE(
      Says(seal::DocumentOutputPath("", "a", 0).status(), "-o: the output directory is empty"));
}

}  // namespace
}  // namespace bidopen
