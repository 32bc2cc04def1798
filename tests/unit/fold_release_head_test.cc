// Releases signed by their releasers and citing the signed head they saw
// (docs/protocol.md "Releasing"; review 3, F3 and F4): the fold refuses a
// release without a signature or a cited head, a head the release cannot
// have seen, an event timed before a head a release cited, and under BOTH a
// custodian's release citing a head before the turn or a bidder's release
// appended at or past the size of a custodian's head, whatever its time.
#include "core/event_clock.h"
#include "tests/unit/fold_opening_fixture.h"

namespace bidopen::opening_test {
namespace {

using ::bidopen::testing::StatusIs;

const absl::Time kTurn = kStart + (kWindowEnd - kStart) / 2;
// Custodians release from the turn plus the replicas' clock slack (review 8 V4).
const absl::Time kCustodians = kTurn + kReplicaClockSlack;

// Review 3 F4 (Review3PocForgedAcceptedReleaseMovesTheBlameToThePlatform),
// turned around: the operator's "accepted" release in a withholding bidder's
// name carries no signature of the bidder, so the log does not fold (and one
// with a signature that is not the bidder's fails `audit verify`:
// ReleaseSignatureTest in tests/client/audit_opening_test.cc).
TEST_F(FoldOpeningTest, ForgedAcceptedReleaseWithoutTheBiddersSignatureDoesNotFold) {
  Begin(v1::OPENING_POLICY_BOTH, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  const absl::Time t = kStart + absl::Minutes(4);
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
  v1::Event forged = BidderRelease(bidders_[2], t + absl::Minutes(1));
  forged.mutable_key_released()->set_material_sha256(MaterialHash("bytes that open nothing"));
  forged.mutable_key_released()->clear_signature();
  forged.mutable_key_released()->clear_certificate_pem();
  EXPECT_TRUE(StatusIs(Apply(forged), kLoss, {"without its releaser's signature"}));
  EXPECT_FALSE(BidOf(bidders_[2]).opening().bidder_released());
}

TEST_F(FoldOpeningTest, AReleaseCitingNoHeadDoesNotFold) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  v1::Event e = BidderRelease(bidders_[0], kStart + absl::Minutes(1));
  e.mutable_key_released()->clear_seen_signature();
  EXPECT_TRUE(StatusIs(Apply(e), kLoss, {"cited head"}));
  e = BidderRelease(bidders_[0], kStart + absl::Minutes(1));
  e.mutable_key_released()->set_seen_checkpoint("not a checkpoint");
  EXPECT_TRUE(StatusIs(Apply(e), kLoss, {"seen_checkpoint does not parse"}));
}

// The cited head was signed before the event was appended: no larger than
// its seq, not timed after it by more than the replicas' clock slack (5 s).
TEST_F(FoldOpeningTest, AReleaseCitingAHeadItCannotHaveSeenDoesNotFold) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(1);
  v1::Event later = BidderRelease(bidders_[0], t);
  Cite(&later, later.seq() + 1, t);
  EXPECT_TRUE(StatusIs(Apply(later), kLoss, {"cannot have seen"}));
  v1::Event future = BidderRelease(bidders_[0], t);
  Cite(&future, future.seq(), t + kReplicaClockSlack + absl::Milliseconds(1));
  EXPECT_TRUE(StatusIs(Apply(future), kLoss, {"cannot have seen"}));
}

// Review 4 R9: replicas stamp events on their own clocks, up to 5 s apart. A
// release citing a head signed by a replica 3 s ahead, appended by a lagging
// one (timed before that head), and the next event of the tender, appended by
// the lagging replica too, still fold: the same slack as `audit verify`
// (CheckReleases) and bidctl (NotBackdated) allow, so the server and every
// client's release gate agree.
TEST_F(FoldOpeningTest, AReleaseCitingAFasterReplicasHeadFoldsAndSoDoesTheNextEvent) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(1);
  v1::Event first = BidderRelease(bidders_[0], t);
  Cite(&first, first.seq(), t + absl::Seconds(3));
  const absl::Status st = Apply(first);
  ASSERT_TRUE(st.ok()) << st;
  v1::Event next = BidderRelease(bidders_[1], t + absl::Seconds(1));
  Cite(&next, next.seq() - 1, t - absl::Seconds(1));
  const absl::Status next_st = Apply(next);
  ASSERT_TRUE(next_st.ok()) << next_st;
  ExpectReplayGivesTheState();
}

// Events after a release were appended after the head it cited: none may be
// timed before that head (backdating past a head a releaser was shown).
TEST_F(FoldOpeningTest, AnEventAfterACitedHeadTimedBeforeItDoesNotFold) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(5);
  v1::Event first = BidderRelease(bidders_[0], t);
  Cite(&first, first.seq(), t - absl::Seconds(1));
  ASSERT_TRUE(Apply(first).ok());
  // Timed more than the replicas' 5 s slack before it.
  v1::Event backdated = BidderRelease(bidders_[1], t - absl::Seconds(7));
  Cite(&backdated, backdated.seq() - 1, t - absl::Seconds(8));
  EXPECT_TRUE(StatusIs(Apply(backdated), kLoss, {"before the signed tree head a release cited"}));
  ASSERT_TRUE(Apply(BidderRelease(bidders_[1], t)).ok());
  ExpectReplayGivesTheState();
}

// Under BOTH a custodian releases having seen a signed time at or past the
// turn; a release citing an earlier head does not count.
TEST_F(FoldOpeningTest, UnderBothACustodianReleaseCitingAPreTurnHeadDoesNotFold) {
  Begin(v1::OPENING_POLICY_BOTH, 3);
  Open();
  v1::Event e = CustodianRelease(0, kCustodians + absl::Seconds(1));
  Cite(&e, e.seq(), kCustodians - absl::Milliseconds(1));
  EXPECT_TRUE(StatusIs(Apply(e), kLoss,
                       {"citing a tree head of size",
                        "at or past the bidders' turn and the replicas' clock slack", "re-sign"}));
  ASSERT_TRUE(Apply(CustodianRelease(0, kCustodians)).ok());  // a head at that time counts
  ExpectReplayGivesTheState();
}

// Review 3 F3: custodians are shown a head of size N at the turn; the
// operator holds their keys, decrypts, lets a colluding bidder decide, and
// appends its release timed just before the turn. Whatever its time, it is
// at or past N: it was appended after the turn. Refused in either order.
TEST_F(FoldOpeningTest, UnderBothABidderReleaseAppendedAfterACustodiansHeadDoesNotFold) {
  Begin(v1::OPENING_POLICY_BOTH, 3);
  Open();
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(Apply(BidderRelease(bidders_[i], kStart + absl::Minutes(2))).ok());
  const uint64_t n = next_seq_;  // the size the custodians' head shows at the turn
  // The colluding bidder's release, appended at #n, timed before the turn,
  // citing an honest-looking older head; then the custodians' releases citing #n's head.
  v1::Event late = BidderRelease(bidders_[2], kTurn - absl::Milliseconds(1));
  Cite(&late, n - 1, kStart + absl::Minutes(2));
  ASSERT_TRUE(Apply(late).ok());  // alone it looks like an honest release
  v1::Event custodian = CustodianRelease(0, kCustodians);
  Cite(&custodian, n, kCustodians);
  EXPECT_TRUE(StatusIs(Apply(custodian), kLoss, {"which a bidder's release", "after the turn"}));
}

TEST_F(FoldOpeningTest, UnderBothABidderReleaseAfterACustodiansReleaseDoesNotFoldWhateverItsTime) {
  Begin(v1::OPENING_POLICY_BOTH, 3);
  Open();
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], kStart + absl::Minutes(2))).ok());
  const uint64_t n = next_seq_;
  // The custodian's release, appended first but timed (by the operator's
  // clock) just before the turn... is already refused as out of its phase;
  // so the operator times it at the turn and backdates the bidder's after it.
  v1::Event custodian = CustodianRelease(0, kCustodians);
  Cite(&custodian, n, kCustodians);
  ASSERT_TRUE(Apply(custodian).ok());
  v1::Event late = BidderRelease(bidders_[1], kTurn - absl::Milliseconds(1));
  Cite(&late, n - 1, kStart + absl::Minutes(2));
  const absl::Status st = Apply(late);
  EXPECT_TRUE(StatusIs(st, kLoss, {})) << st;
  EXPECT_FALSE(BidOf(bidders_[1]).opening().bidder_released());
  // The lot's own rule, apart from the event times: a bidder release at or
  // past a custodian's head is refused even if the operator's times agree.
  EXPECT_EQ(Lot().custodians_seen_size(), n);
}

}  // namespace
}  // namespace bidopen::opening_test
