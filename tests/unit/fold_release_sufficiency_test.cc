// Review 7 (docs/threat-model.md, seventh review): the fold ties a read and a
// failed verdict to the releases the log holds. U4: a decryption attempt
// needs the key material its policy asks for, as the log's accepted releases
// give it, so the operator holding a colluding bidder's part off the log
// cannot read every value and then log that bid opened. U1b: with fewer than
// k custodian keys accepted and no bad share, a QUORUM failure is the
// custodians', never the bidder's. U2: under ANY the server's own verdict on
// a bid whose shares rebuild another secret folds, though the bidder's own
// secret opened it first (else one bidder stalls the lot for good).
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/unit/assertions.h"
#include "tests/unit/fold_opening_fixture.h"

namespace bidopen::opening_test {
namespace {

using ::bidopen::testing::StatusIs;

// The verdict an operator writes instead of the rule's: the bidder's fault
// with a reason of its choosing, no bad share, no stored file named.
v1::BidVerdict BlameTheBidder(const v1::BidVerdict& honest, absl::string_view reason) {
  v1::BidVerdict v;
  v.set_lot(honest.lot());
  v.set_bid(honest.bid());
  v.set_status(v1::BID_STATUS_DECRYPT_FAILED);
  v.set_fault(v1::FAULT_BIDDER);
  v.set_consequence(v1::CONSEQUENCE_REVOKED);
  v.set_reason(std::string(reason));
  *v.mutable_not_released() = honest.not_released();
  *v.mutable_wrong_key() = honest.wrong_key();
  return v;
}

// U4 under BOTH: the partner never released in the log; the custodians did
// after the turn. A read of its bid does not fold.
TEST_F(FoldOpeningTest, UnderBothABidWithoutItsBiddersReleaseIsNotRead) {
  Begin(v1::OPENING_POLICY_BOTH, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  const absl::Time t = kStart + absl::Minutes(4);
  for (int i = 1; i < 3; ++i) ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
  const absl::Time turn = kStart + (kWindowEnd - kStart) / 2 + kReplicaClockSlack;
  ASSERT_TRUE(Apply(CustodianRelease(1, turn)).ok());
  ASSERT_TRUE(Apply(CustodianRelease(2, turn)).ok());
  for (int i = 1; i < 3; ++i)
    ASSERT_TRUE(Apply(Decrypted(bidders_[i], turn + absl::Minutes(1), true)).ok());
  const Bidder& partner = bidders_[0];
  EXPECT_TRUE(StatusIs(Apply(Decrypted(partner, turn + absl::Minutes(9), true)), kLoss,
                       {"under policy BOTH", "no accepted release of its bidder",
                        "2 of the 2 custodian keys", "not complete"}));
  // Nor a failed read (a file "that did not open" needs the material too).
  EXPECT_TRUE(StatusIs(Apply(Decrypted(partner, turn + absl::Minutes(9), false, "no")), kLoss,
                       {"not complete"}));
  EXPECT_FALSE(BidOf(partner).opening().opened());
}

// U4 under QUORUM: one custodian key of k = 2 in the log.
TEST_F(FoldOpeningTest, UnderQuorumABidIsNotReadWithFewerThanKKeysInTheLog) {
  Begin(v1::OPENING_POLICY_QUORUM, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  ASSERT_TRUE(Apply(CustodianRelease(0, kStart + absl::Minutes(3))).ok());
  EXPECT_TRUE(StatusIs(Apply(Decrypted(bidders_[0], kStart + absl::Minutes(4), true)), kLoss,
                       {"under policy QUORUM", "1 of the 2 custodian keys"}));
  ASSERT_TRUE(Apply(CustodianRelease(1, kStart + absl::Minutes(5))).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], kStart + absl::Minutes(6), true)).ok());
}

// U4 under BIDDER and ANY: the bidder's accepted release suffices; a rejected
// one does not.
TEST_F(FoldOpeningTest, UnderBidderAReadNeedsTheBiddersAcceptedRelease) {
  Begin(v1::OPENING_POLICY_BIDDER, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  const absl::Time t = kStart + absl::Minutes(1);
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t, /*accepted=*/false)).ok());
  EXPECT_TRUE(StatusIs(Apply(Decrypted(bidders_[0], t, true)), kLoss, {"under policy BIDDER"}));
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t)).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], t, true)).ok());
}

// U1b: QUORUM, 1 of k = 2 keys accepted, no bad share: the custodians' fault
// (视为撤回), and the bidder's (视为撤销) does not fold.
TEST_F(FoldOpeningTest, ACustodiansFailureCannotBePutOnTheBidder) {
  Begin(v1::OPENING_POLICY_QUORUM, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  ASSERT_TRUE(Apply(CustodianRelease(0, kStart + absl::Minutes(3))).ok());
  const v1::BidVerdict honest = VerdictFor(bidders_[0], CustodianReleases({0}));
  ASSERT_EQ(honest.fault(), v1::FAULT_CUSTODIANS) << honest.reason();
  const v1::BidVerdict forged = BlameTheBidder(
      honest, "the bidder's fault: share 1 is wrapped to a key that is not custodian 1's");
  EXPECT_TRUE(StatusIs(
      Apply(Verdict(forged, kWindowEnd)), kLoss,
      {"blames the bidder", "only 1 of the 2 custodian keys", "the failure is the custodians'"}));
  ASSERT_TRUE(Apply(Verdict(honest, kWindowEnd)).ok());
  EXPECT_EQ(BidOf(bidders_[0]).opening().consequence(), v1::CONSEQUENCE_WITHDRAWN);
}

// Review 8 V1: naming the one accepted share "bad" does not move a short
// quorum onto the bidder either (QUORUM, and ANY without the bidder's release).
class ShortQuorumTest : public FoldOpeningTest {
 protected:
  void ExpectNotPutOnTheBidder(v1::OpeningPolicy policy) {
    Begin(policy, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
    Open();
    ASSERT_TRUE(Apply(CustodianRelease(0, kStart + absl::Minutes(6))).ok());
    const v1::BidVerdict honest = VerdictFor(bidders_[0], CustodianReleases({0}));
    ASSERT_EQ(honest.fault(), v1::FAULT_CUSTODIANS) << honest.reason();
    v1::BidVerdict forged =
        BlameTheBidder(honest, "the bidder's fault: the bidder's bad share 1 made the difference");
    forged.add_bad_shares(1);
    EXPECT_TRUE(StatusIs(Apply(Verdict(forged, kWindowEnd)), kLoss,
                         {"blames the bidder", "only 1 of the 2 custodian keys"}));
    ASSERT_TRUE(Apply(Verdict(honest, kWindowEnd)).ok());
  }
};

TEST_F(ShortQuorumTest, UnderQuorumCallingAShareBadDoesNotBlameTheBidder) {
  ExpectNotPutOnTheBidder(v1::OPENING_POLICY_QUORUM);
}

TEST_F(ShortQuorumTest, UnderAnyCallingAShareBadDoesNotBlameTheBidder) {
  ExpectNotPutOnTheBidder(v1::OPENING_POLICY_ANY);
}

// The rule agrees (review 8 V1): share 1 is really bad, but only custodian 1
// of k = 2 released: good, it would still not have opened the bid. The
// custodians' fault, the bad share named.
TEST_F(FoldOpeningTest, ABadShareAmongFewerThanKReleasedIsTheCustodiansFault) {
  Begin(v1::OPENING_POLICY_QUORUM, 0, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  for (int i = 0; i < 3; ++i) {
    Tamper t;
    if (i == 0) t.spoil_share = 1;
    AddBidder(i, nullptr, t);
  }
  Open();
  ASSERT_TRUE(Apply(CustodianRelease(0, kStart + absl::Minutes(6))).ok());
  const v1::BidVerdict v = VerdictFor(bidders_[0], CustodianReleases({0}));
  EXPECT_EQ(v.fault(), v1::FAULT_CUSTODIANS) << v.reason();
  EXPECT_TRUE(absl::StrContains(v.reason(), "made no difference")) << v.reason();
  ASSERT_EQ(v.bad_shares_size(), 1);
  ASSERT_TRUE(Apply(Verdict(v, kWindowEnd)).ok());
  EXPECT_EQ(BidOf(bidders_[0]).opening().consequence(), v1::CONSEQUENCE_WITHDRAWN);
}

// U2: under ANY a bidder seals shares of another secret and releases its own
// secret first; the server reads its bid (the quorum short, its secret
// checks out). Once the custodians release, the rule makes it the bidder's
// fault with no bad share; that verdict, the server's own, folds, so the lot
// ends and is announced.
TEST_F(FoldOpeningTest, UnderAnyABidWhoseSharesRebuildAnotherSecretFailsThoughItOpened) {
  Begin(v1::OPENING_POLICY_ANY, 0, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  for (int i = 0; i < 3; ++i) {
    Tamper t;
    t.quorum_off = i == 0;
    AddBidder(i, nullptr, t);
  }
  Open();
  const Bidder& cheat = bidders_[0];
  const absl::Time t = kStart + absl::Seconds(5);
  ASSERT_TRUE(Apply(BidderRelease(cheat, t)).ok());
  auto first = seal::JudgeReleases(cheat.bid.header, lot_->lot_keys(), BidderReleases(cheat));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->verdict, seal::Verdict::kOk) << first->message;
  ASSERT_TRUE(Apply(Decrypted(cheat, t, true)).ok());
  const absl::Time later = kStart + absl::Minutes(2);
  for (int i = 1; i < 3; ++i) ASSERT_TRUE(Apply(BidderRelease(bidders_[i], later)).ok());
  for (int c = 0; c < 3; ++c) ASSERT_TRUE(Apply(CustodianRelease(c, later)).ok());
  for (int i = 1; i < 3; ++i) ASSERT_TRUE(Apply(Decrypted(bidders_[i], later, true)).ok());
  for (int i = 0; i < 3; ++i) {
    seal::Releases all = CustodianReleases({0, 1, 2});
    all.bidder_secret = crypto::Secret(bidders_[i].bid.bidder_release);
    const v1::BidVerdict v = VerdictFor(bidders_[i], all);
    if (i == 0) {
      EXPECT_EQ(v.fault(), v1::FAULT_BIDDER) << v.reason();
      EXPECT_EQ(v.bad_shares_size(), 0);
    }
    const absl::Status st = Apply(Verdict(v, kWindowEnd));
    ASSERT_TRUE(st.ok()) << i << ": " << st;
  }
  ASSERT_TRUE(Apply(Ended(kWindowEnd, /*early=*/false)).ok());
  EXPECT_EQ(BidOf(cheat).status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(BidOf(cheat).opening().consequence(), v1::CONSEQUENCE_REVOKED);
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_ANNOUNCING);
  ExpectReplayGivesTheState();
}

}  // namespace
}  // namespace bidopen::opening_test
