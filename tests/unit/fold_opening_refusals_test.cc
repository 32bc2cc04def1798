// The fold of an opening refuses, with DATA_LOSS naming the event and what is
// wrong, every event a log of an honest server cannot hold: starts, reveals,
// releases, decryption attempts, verdicts and ends out of rule.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/unit/assertions.h"
#include "tests/unit/fold_opening_fixture.h"

namespace bidopen::opening_test {
namespace {

using ::bidopen::testing::StatusIs;

// --- Refusals: the start ---

TEST_F(FoldOpeningTest, AStartBeforeTheOpeningTimeIsRefused) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  v1::Event e = Start(kOpening);
  *e.mutable_time() = ToProto(kOpening - absl::Minutes(1));
  *e.mutable_opening_started()->mutable_window_end() =
      ToProto(kOpening - absl::Minutes(1) + absl::Minutes(30));
  EXPECT_TRUE(StatusIs(
      Apply(e), kLoss,
      {"event 4 (tender T-7K2M9Q4XRB): the opening of lot 1 of tender T-7K2M9Q4XRB cannot start "
       "before its opening time 2026-03-08T09:00:00+08:00"}));
}

TEST_F(FoldOpeningTest, OnlyTheAgencyOrAnAutoStartStartsTheOpening) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  v1::Event by_bidder = Start();
  *by_bidder.mutable_actor() = bidders_[0].party;
  EXPECT_TRUE(StatusIs(Apply(by_bidder), kLoss,
                       {"the opening was started by neither the agency nor an auto-start"}));
  v1::Event auto_started = Start();
  auto_started.mutable_opening_started()->set_auto_started(true);
  EXPECT_TRUE(StatusIs(Apply(auto_started), kLoss,
                       {"the opening was started by neither the agency nor an auto-start"}));
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_SCHEDULED);
}

TEST_F(FoldOpeningTest, AnAutoStartLotIsStartedByTheServer) {
  Begin(v1::OPENING_POLICY_BIDDER, 3, [](v1::LotSpec* spec) { spec->set_auto_start(true); });
  v1::Event e = Start(kOpening);
  e.mutable_opening_started()->set_auto_started(true);
  *e.mutable_actor() = PartyOf('0', "bidopend", v1::ROLE_UNSPECIFIED);
  ASSERT_TRUE(Apply(e).ok());
  EXPECT_TRUE(Lot().opening().auto_started());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_DECRYPTING);
}

TEST_F(FoldOpeningTest, TheStartListsExactlyTheLiveBidsInOrder) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  v1::Event missing = Start();
  missing.mutable_opening_started()->mutable_bids()->RemoveLast();
  missing.mutable_opening_started()->set_failure(
      TooFewBids(lot_->spec(), 2, "live bids"));  // what 2 bids would give
  EXPECT_TRUE(StatusIs(Apply(missing), kLoss, {"lists 2 bids but the lot has 3 live"}));

  v1::Event withdraw = Withdrawn(NextSeq(), kTender, 1, bidders_[2].seq);
  ASSERT_TRUE(Apply(withdraw).ok());
  AddBidder(3);  // three live again: bids 1, 2, 5 (4 withdrew 3)
  v1::Event stale = Start();
  stale.mutable_opening_started()->set_bids(2, bidders_[2].seq);  // the withdrawn bid
  EXPECT_TRUE(StatusIs(Apply(stale), kLoss, {"lists bid 3, not a live bid of the lot in order"}));
  v1::Event reordered = Start();
  reordered.mutable_opening_started()->mutable_bids()->SwapElements(0, 1);
  EXPECT_TRUE(
      StatusIs(Apply(reordered), kLoss, {"lists bid 1, not a live bid of the lot in order"}));
  v1::Event late_window = Start();
  *late_window.mutable_opening_started()->mutable_window_end() =
      ToProto(kStart + absl::Minutes(45));
  EXPECT_TRUE(StatusIs(Apply(late_window), kLoss,
                       {"its window end or failure is not what the lot's rules give"}));
  v1::Event start = Start();
  ASSERT_TRUE(Apply(start).ok());
  start.set_seq(NextSeq());
  EXPECT_TRUE(StatusIs(Apply(start), kLoss,
                       {"the opening of lot 1 of tender T-7K2M9Q4XRB already started"}));
}

// --- Refusals: the reveals ---

TEST_F(FoldOpeningTest, ARevealMustOpenTheCommitmentAndTheStatementAndItsHeader) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  ASSERT_TRUE(Apply(Start()).ok());
  const Bidder& b = bidders_[0];

  v1::Event nonce = Reveal(b);
  nonce.mutable_bid_revealed()->mutable_bidder_nonce()->at(0) ^= 1;
  EXPECT_TRUE(StatusIs(Apply(nonce), kLoss,
                       {"bid 1: the revealed nonce does not open its bidder commitment"}));

  v1::Event someone_else = Reveal(b);
  *someone_else.mutable_bid_revealed()->mutable_bidder() = bidders_[1].party;
  EXPECT_TRUE(StatusIs(Apply(someone_else), kLoss,
                       {"the revealed nonce does not open its bidder commitment"}));

  v1::Event statement = Reveal(b);
  statement.mutable_bid_revealed()->set_statement(bidders_[1].statement);
  EXPECT_TRUE(StatusIs(Apply(statement), kLoss,
                       {"bid 1: the revealed statement is not the one its submission used"}));

  v1::Event header = Reveal(b);
  header.mutable_bid_revealed()->set_header(bidders_[1].bid.header_bytes);
  EXPECT_TRUE(StatusIs(Apply(header), kLoss,
                       {"bid 1: the revealed header is not the one the statement signs"}));

  ASSERT_TRUE(Apply(Reveal(b)).ok());
  EXPECT_TRUE(StatusIs(Apply(Reveal(b)), kLoss, {"reveals bid 1, not an unrevealed live bid"}));
  EXPECT_EQ(Lot().opening().revealed(), 1u);
}

// The header the bidder signed is checked against the tender too: a header
// sealed for another tender (which the upload would have refused) is not
// revealed as a bid of this one.
TEST_F(FoldOpeningTest, ARevealedHeaderIsSealedForThisTenderLotAndBidder) {
  Begin(v1::OPENING_POLICY_BIDDER, 2);
  const OpeningLot elsewhere(v1::OPENING_POLICY_BIDDER, "T-9Z9Z9Z9Z9Z");
  AddBidder(2, &elsewhere);
  ASSERT_TRUE(Apply(Start()).ok());
  ASSERT_TRUE(Apply(Reveal(bidders_[0])).ok());
  EXPECT_TRUE(StatusIs(Apply(Reveal(bidders_[2])), kLoss,
                       {"bid 3: the revealed header is sealed for another tender, lot or bidder"}));
}

// --- Refusals: the releases ---

TEST_F(FoldOpeningTest, ABiddersReleaseIsItsBiddersOnceAcceptedWithinTheWindow) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  ASSERT_TRUE(Apply(Start()).ok());
  ASSERT_TRUE(Apply(Reveal(bidders_[0])).ok());
  const absl::Time t = kStart + absl::Minutes(1);
  EXPECT_TRUE(StatusIs(Apply(BidderRelease(bidders_[0], t)), kLoss,
                       {"a release before every bid was revealed"}));
  for (int i = 1; i < 3; ++i) ASSERT_TRUE(Apply(Reveal(bidders_[i])).ok());

  v1::Event other = BidderRelease(bidders_[0], t);
  *other.mutable_actor() = bidders_[1].party;
  EXPECT_TRUE(StatusIs(Apply(other), kLoss, {"a release for bid 1 by another than its bidder"}));

  v1::Event custodian = CustodianRelease(0, t);
  EXPECT_TRUE(StatusIs(Apply(custodian), kLoss, {"a release for share 1 by another custodian"}));

  v1::Event no_hash = BidderRelease(bidders_[0], t);
  no_hash.mutable_key_released()->clear_material_sha256();
  EXPECT_TRUE(StatusIs(Apply(no_hash), kLoss, {"a release without its material's hash"}));

  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t, /*accepted=*/false)).ok());
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t + absl::Minutes(1))).ok());  // a retry
  EXPECT_EQ(BidOf(bidders_[0]).opening().bidder_attempts(), 2u);
  EXPECT_TRUE(BidOf(bidders_[0]).opening().bidder_released());
  EXPECT_TRUE(StatusIs(Apply(BidderRelease(bidders_[0], t + absl::Minutes(2))), kLoss,
                       {"a bidder's release after one was accepted"}));

  EXPECT_TRUE(StatusIs(Apply(BidderRelease(bidders_[1], kWindowEnd + absl::Seconds(1))), kLoss,
                       {"the decryption window of lot 1 of tender T-7K2M9Q4XRB closed at "
                        "2026-03-08T09:31:00+08:00"}));
  // The window is [start, end): at its end the verdicts may be given.
  EXPECT_FALSE(Apply(BidderRelease(bidders_[1], kWindowEnd)).ok());
  ASSERT_TRUE(Apply(BidderRelease(bidders_[1], kWindowEnd - absl::Microseconds(1))).ok());
}

TEST_F(FoldOpeningTest, ACustodianReleasesForItsOwnShareOnceAccepted) {
  Begin(v1::OPENING_POLICY_QUORUM, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(1);
  EXPECT_TRUE(StatusIs(Apply(BidderRelease(bidders_[0], t)), kLoss,
                       {"a bidder's release in a lot whose policy is QUORUM"}));
  v1::Event misfiled = CustodianRelease(0, t);
  misfiled.mutable_key_released()->set_share_x(2);
  EXPECT_TRUE(StatusIs(Apply(misfiled), kLoss, {"a release for share 2 by another custodian"}));
  v1::Event no_share = CustodianRelease(0, t);
  no_share.mutable_key_released()->set_share_x(4);
  EXPECT_TRUE(StatusIs(Apply(no_share), kLoss, {"a release for share 4 by another custodian"}));
  ASSERT_TRUE(Apply(CustodianRelease(1, t)).ok());
  EXPECT_TRUE(StatusIs(Apply(CustodianRelease(1, t)), kLoss,
                       {"a custodian's release after one was accepted"}));
  EXPECT_TRUE(StatusIs(Apply(CustodianRelease(2, kWindowEnd + absl::Minutes(1))), kLoss,
                       {"the decryption window of lot 1 of tender T-7K2M9Q4XRB closed"}));
}

TEST_F(FoldOpeningTest, AReleaseBeforeTheOpeningIsRefused) {
  Begin(v1::OPENING_POLICY_QUORUM, 3);
  EXPECT_TRUE(StatusIs(Apply(CustodianRelease(0, kOpening + absl::Minutes(1))), kLoss,
                       {"lot 1 is not decrypting"}));
}

// --- Refusals: decryption attempts, verdicts, the end ---

TEST_F(FoldOpeningTest, ABidOpensOnceAndOnlyARevealedBidOpens) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(3);
  // Not before the key material is in (review 7 U4).
  EXPECT_TRUE(StatusIs(Apply(Decrypted(bidders_[0], t, true)), kLoss, {"not complete"}));
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t)).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], t, false, "DATA_LOSS: chunk 0")).ok());
  EXPECT_EQ(BidOf(bidders_[0]).opening().attempt_failure(), "DATA_LOSS: chunk 0");
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], t, true)).ok());
  EXPECT_TRUE(StatusIs(Apply(Decrypted(bidders_[0], t, true)), kLoss, {"bid 1 decrypted twice"}));
  v1::Event unknown = Decrypted(bidders_[0], t, true);
  unknown.mutable_bid_decrypted()->set_bid(99);
  EXPECT_TRUE(StatusIs(Apply(unknown), kLoss, {"bid 99 was not revealed in lot 1"}));
  EXPECT_EQ(Lot().opening().opened(), 1u);
}

TEST_F(FoldOpeningTest, AnAnnouncedValueMustOpenTheHeadersValuesCommitment) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  for (const Bidder& b : bidders_) {
    ASSERT_TRUE(Apply(BidderRelease(b, kStart + absl::Minutes(2))).ok());
    ASSERT_TRUE(Apply(Decrypted(b, kStart + absl::Minutes(2), true)).ok());
  }
  const v1::BidVerdict honest = VerdictFor(bidders_[0], BidderReleases(bidders_[0]));
  ASSERT_EQ(honest.status(), v1::BID_STATUS_DECRYPTED) << honest.reason();

  v1::BidVerdict cheaper = honest;
  cheaper.mutable_values(0)->set_value("999.00");
  EXPECT_TRUE(StatusIs(Apply(Verdict(cheaper, kWindowEnd)), kLoss,
                       {"bid 1: the announced values and values_key do not open the header's "
                        "values_commitment: they are not what the bidder sealed"}));
  v1::BidVerdict other_key = honest;
  other_key.set_values_key(bidders_[1].bid.values_key);
  EXPECT_TRUE(StatusIs(Apply(Verdict(other_key, kWindowEnd)), kLoss,
                       {"do not open the header's values_commitment"}));
  v1::BidVerdict faulted = honest;
  faulted.set_fault(v1::FAULT_PLATFORM);
  EXPECT_TRUE(StatusIs(Apply(Verdict(faulted, kWindowEnd)), kLoss,
                       {"a DECRYPTED verdict with a fault, or on a bid that never opened"}));
  v1::BidVerdict blamed = honest;
  blamed.clear_values();
  blamed.clear_values_key();
  blamed.set_status(v1::BID_STATUS_DECRYPT_FAILED);
  blamed.set_fault(v1::FAULT_BIDDER);
  blamed.set_consequence(v1::CONSEQUENCE_WITHDRAWN);
  EXPECT_TRUE(StatusIs(Apply(Verdict(blamed, kWindowEnd)), kLoss,
                       {"a verdict whose status, fault and consequence do not agree"}));

  ASSERT_TRUE(Apply(Verdict(honest, kWindowEnd)).ok());
  EXPECT_TRUE(StatusIs(Apply(Verdict(honest, kWindowEnd)), kLoss, {"bid 1 has a verdict already"}));
  EXPECT_EQ(Lot().opening().decrypted(), 1u);
}

// r_v of a bid that did not open would let anyone try prices against its
// values_commitment (a few digits are quickly guessed): it is published only
// with the values of a DECRYPTED verdict.
TEST_F(FoldOpeningTest, AFailedVerdictPublishesNoValuesAndNoValuesKey) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  v1::BidVerdict failed = VerdictFor(bidders_[0], seal::Releases{});
  ASSERT_EQ(failed.status(), v1::BID_STATUS_DECRYPT_FAILED) << failed.reason();
  EXPECT_EQ(failed.values_key(), "");
  v1::BidVerdict leaking_key = failed;
  leaking_key.set_values_key(bidders_[0].bid.values_key);
  EXPECT_TRUE(StatusIs(Apply(Verdict(leaking_key, kWindowEnd)), kLoss,
                       {"a verdict whose status, fault and consequence do not agree, or a failed "
                        "one with values"}));
  v1::BidVerdict leaking_values = failed;
  *leaking_values.add_values() = opening_test::Value("price", "1000.00");
  EXPECT_TRUE(
      StatusIs(Apply(Verdict(leaking_values, kWindowEnd)), kLoss, {"or a failed one with values"}));
  ASSERT_TRUE(Apply(Verdict(failed, kWindowEnd)).ok());
}

TEST_F(FoldOpeningTest, AVerdictComesEarlyOnlyWhenEveryBidOpened) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(2);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
    ASSERT_TRUE(Apply(Decrypted(bidders_[i], t, true)).ok());
  }
  const v1::BidVerdict v = VerdictFor(bidders_[0], BidderReleases(bidders_[0]));
  EXPECT_TRUE(StatusIs(Apply(Verdict(v, t + absl::Minutes(1))), kLoss,
                       {"a verdict before decryption may end"}));
  ASSERT_TRUE(Apply(BidderRelease(bidders_[2], t)).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[2], t, true)).ok());
  EXPECT_TRUE(Apply(Verdict(v, t + absl::Minutes(1))).ok());
}

TEST_F(FoldOpeningTest, ADecryptedVerdictNeedsABidThatOpened) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const v1::BidVerdict v = VerdictFor(bidders_[0], BidderReleases(bidders_[0]));
  ASSERT_EQ(v.status(), v1::BID_STATUS_DECRYPTED);
  EXPECT_TRUE(StatusIs(Apply(Verdict(v, kWindowEnd)), kLoss,
                       {"a DECRYPTED verdict with a fault, or on a bid that never opened"}));
}

// The verdicts of a lot are given together, with every release of the lot
// (docs/sealed-bid-format.md §5): a release or decryption attempt between
// them would let later verdicts rest on releases the earlier ones lacked.
TEST_F(FoldOpeningTest, NothingIsReleasedOrDecryptedOnceTheVerdictsBegan) {
  Begin(v1::OPENING_POLICY_QUORUM, 3);
  Open();
  ASSERT_TRUE(Apply(CustodianRelease(0, kStart + absl::Minutes(2))).ok());
  const v1::BidVerdict first = VerdictFor(bidders_[0], CustodianReleases({0}));
  ASSERT_EQ(first.fault(), v1::FAULT_CUSTODIANS) << first.reason();
  ASSERT_TRUE(Apply(Verdict(first, kWindowEnd)).ok());
  EXPECT_TRUE(StatusIs(Apply(CustodianRelease(1, kWindowEnd)), kLoss,
                       {"a release after the lot's verdicts began"}));
  EXPECT_TRUE(StatusIs(Apply(Decrypted(bidders_[1], kWindowEnd, true)), kLoss,
                       {"a decryption attempt after the lot's verdicts began"}));
  EXPECT_EQ(Lot().opening().custodians_size(), 1);
  EXPECT_EQ(Lot().opening().opened(), 0u);
}

TEST_F(FoldOpeningTest, DecryptionEndsWithOneVerdictPerBid) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(Apply(Verdict(VerdictFor(bidders_[i], seal::Releases{}), kWindowEnd)).ok());
  EXPECT_TRUE(StatusIs(Apply(Ended(kWindowEnd, false)), kLoss,
                       {"decryption ended without one verdict per bid"}));
  ASSERT_TRUE(Apply(Verdict(VerdictFor(bidders_[2], seal::Releases{}), kWindowEnd)).ok());
  v1::Event miscounted = Ended(kWindowEnd, false);
  miscounted.mutable_decryption_ended()->set_decrypted(1);
  EXPECT_TRUE(StatusIs(Apply(miscounted), kLoss, {"decryption ended without one verdict per bid"}));
  ASSERT_TRUE(Apply(Ended(kWindowEnd, false)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_FAILED);
  EXPECT_EQ(Lot().opening().decrypt_failed(), 3u);
  EXPECT_TRUE(StatusIs(Apply(Ended(kWindowEnd, false)), kLoss, {"lot 1 is not decrypting"}));
  ExpectReplayGivesTheState();
}

// A log whose verdict blames a bidder whose release it accepted does not fold
// (a DBA who hid the release from the opener cannot make that verdict stand):
// with the release accepted the bidder's fault needs a file that did not open.
TEST_F(FoldOpeningTest, AVerdictBlamingABidderWhoseReleaseWasAcceptedIsRefused) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], kStart + absl::Minutes(2))).ok());
  v1::BidVerdict blamed = VerdictFor(bidders_[0], seal::Releases{});  // "released nothing"
  ASSERT_EQ(blamed.fault(), v1::FAULT_BIDDER) << blamed.reason();
  EXPECT_TRUE(StatusIs(Apply(Verdict(blamed, kWindowEnd)), kLoss,
                       {"blames the bidder, whose release the log accepted"}));
  // The file it signed did not open, as a logged read shows: its fault.
  ASSERT_TRUE(
      Apply(Decrypted(bidders_[0], kStart + absl::Minutes(3), false, "does not open")).ok());
  v1::BidVerdict file_failed = blamed;
  file_failed.set_stored_sha256(BidOf(bidders_[0]).ciphertext_sha256());
  EXPECT_TRUE(Apply(Verdict(file_failed, kWindowEnd)).ok());
}

}  // namespace
}  // namespace bidopen::opening_test
