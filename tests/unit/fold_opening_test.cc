// The opening folded from its events (core/opening/fold_opening.cc) with real
// sealed bids, start to end, under each policy: the start with every bid
// revealed, releases, decryption attempts, verdicts and the end, and the state
// a replay (and the server's way of folding) gives.
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "core/opening/opening_rules.h"
#include "tests/unit/assertions.h"
#include "tests/unit/fold_opening_fixture.h"

namespace bidopen::opening_test {
namespace {

using ::bidopen::testing::StatusIs;

TEST_F(FoldOpeningTest, ABidderLotOpensEndsEarlyOnceEveryBidOpenedAndAnnounces) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  ASSERT_TRUE(Apply(Start()).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_DECRYPTING);
  EXPECT_EQ(Lot().opening().bids(), 3u);
  EXPECT_EQ(FromProto(Lot().opening().window_end()), kWindowEnd);
  EXPECT_EQ(Lot().opening().started_by().fingerprint(), kAgency.fingerprint());
  for (const Bidder& b : bidders_) ASSERT_TRUE(Apply(Reveal(b)).ok());
  EXPECT_EQ(Lot().opening().revealed(), 3u);
  const Bidder& first = bidders_[0];
  EXPECT_EQ(BidOf(first).opening().bidder().organization(), "Builder 1");
  EXPECT_EQ(BidOf(first).header(), first.bid.header_bytes);
  EXPECT_EQ(BidOf(first).header_hash(), seal::HeaderHash(first.bid.header_bytes));
  EXPECT_EQ(BidOf(first).ciphertext_sha256(), crypto::Sha256(first.bid.file));

  absl::Time t = kStart + absl::Minutes(2);
  for (const Bidder& b : bidders_) {
    ASSERT_TRUE(Apply(BidderRelease(b, t)).ok());
    EXPECT_TRUE(BidOf(b).opening().bidder_released());
    ASSERT_TRUE(Apply(Decrypted(b, t, true)).ok());
    t += absl::Seconds(20);
  }
  EXPECT_EQ(Lot().opening().opened(), 3u);
  for (const Bidder& b : bidders_) {
    const v1::BidVerdict v = VerdictFor(b, BidderReleases(b));
    ASSERT_EQ(v.status(), v1::BID_STATUS_DECRYPTED) << v.reason();
    ASSERT_TRUE(Apply(Verdict(v, t)).ok());
  }
  ASSERT_TRUE(Apply(Ended(t, /*early=*/true)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_ANNOUNCING);
  EXPECT_EQ(Lot().opening().decrypted(), 3u);
  EXPECT_EQ(Lot().opening().decrypt_failed(), 0u);
  EXPECT_TRUE(Lot().opening().ended_early());
  EXPECT_EQ(Lot().opening().failure(), "");
  for (int i = 0; i < 3; ++i) {
    const fold::Bid& bid = BidOf(bidders_[i]);
    EXPECT_EQ(bid.status(), v1::BID_STATUS_DECRYPTED);
    EXPECT_EQ(bid.opening().fault(), v1::FAULT_NONE);
    EXPECT_EQ(bid.opening().consequence(), v1::CONSEQUENCE_NONE);
    ASSERT_EQ(bid.opening().values_size(), 2);
    EXPECT_EQ(bid.opening().values(0).name(), "price");
    EXPECT_EQ(bid.opening().values(0).value(), absl::StrCat(1000 + i, ".00"));
    EXPECT_EQ(bid.opening().values(1).value(), "90");
    EXPECT_EQ(bid.opening().values_key(), bidders_[i].bid.values_key);
  }
  ExpectReplayGivesTheState();
}

TEST_F(FoldOpeningTest, AQuorumLotOpensWithTheCustodiansKeysAtTheWindowsEnd) {
  Begin(v1::OPENING_POLICY_QUORUM, 3);
  Open();
  ASSERT_TRUE(Apply(CustodianRelease(0, kStart + absl::Minutes(3), /*accepted=*/false)).ok());
  ASSERT_TRUE(Apply(CustodianRelease(0, kStart + absl::Minutes(4))).ok());
  ASSERT_TRUE(Apply(CustodianRelease(2, kStart + absl::Minutes(5))).ok());
  ASSERT_EQ(Lot().opening().custodians_size(), 2);
  EXPECT_EQ(Lot().opening().custodians(0).share_x(), 1u);
  EXPECT_EQ(Lot().opening().custodians(0).attempts(), 2u);
  EXPECT_TRUE(Lot().opening().custodians(0).accepted());
  EXPECT_EQ(Lot().opening().custodians(1).share_x(), 3u);
  for (const Bidder& b : bidders_)
    ASSERT_TRUE(Apply(Decrypted(b, kStart + absl::Minutes(6), true)).ok());
  // The agency does not end early: verdicts at the window's end.
  for (const Bidder& b : bidders_) {
    const v1::BidVerdict v = VerdictFor(b, CustodianReleases({0, 2}));
    ASSERT_EQ(v.status(), v1::BID_STATUS_DECRYPTED) << v.reason();
    EXPECT_EQ(std::vector<uint32_t>(v.not_released().begin(), v.not_released().end()),
              std::vector<uint32_t>{2});
    ASSERT_TRUE(Apply(Verdict(v, kWindowEnd)).ok());
  }
  ASSERT_TRUE(Apply(Ended(kWindowEnd, /*early=*/false)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_ANNOUNCING);
  EXPECT_FALSE(Lot().opening().ended_early());
  EXPECT_EQ(Lot().opening().decrypted(), 3u);
  EXPECT_EQ(BidOf(bidders_[2]).opening().values(0).value(), "1002.00");
  EXPECT_EQ(std::vector<uint32_t>(BidOf(bidders_[1]).opening().not_released().begin(),
                                  BidOf(bidders_[1]).opening().not_released().end()),
            std::vector<uint32_t>{2});
  ExpectReplayGivesTheState();
}

// ANY: a bidder that lost its key is opened by the quorum; the others by
// their own release. Every bid opened and every custodian released, so the
// agency ends early.
TEST_F(FoldOpeningTest, AnAnyLotOpensEachBidByWhicheverPathWorks) {
  Begin(v1::OPENING_POLICY_ANY, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(4);
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t)).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], t, true)).ok());
  ASSERT_TRUE(Apply(BidderRelease(bidders_[2], t)).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[2], t, true)).ok());
  ASSERT_TRUE(Apply(CustodianRelease(0, t + absl::Minutes(1))).ok());
  ASSERT_TRUE(Apply(CustodianRelease(1, t + absl::Minutes(2))).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[1], t + absl::Minutes(2), true)).ok());
  const absl::Time end = t + absl::Minutes(3);
  // An early end needs every custodian's release too (a release could still reveal a bad share).
  EXPECT_FALSE(Apply(Verdict(VerdictFor(bidders_[0], CustodianReleases({0, 1})), end)).ok());
  ASSERT_TRUE(Apply(CustodianRelease(2, t + absl::Minutes(2))).ok());
  for (int i = 0; i < 3; ++i) {
    seal::Releases r = CustodianReleases({0, 1, 2});
    if (i != 1) r.bidder_secret = crypto::Secret(bidders_[i].bid.bidder_release);
    const v1::BidVerdict v = VerdictFor(bidders_[i], r);
    ASSERT_EQ(v.status(), v1::BID_STATUS_DECRYPTED) << v.reason();
    ASSERT_TRUE(Apply(Verdict(v, end)).ok());
  }
  ASSERT_TRUE(Apply(Ended(end, /*early=*/true)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_ANNOUNCING);
  EXPECT_EQ(Lot().opening().decrypted(), 3u);
  EXPECT_FALSE(BidOf(bidders_[1]).opening().bidder_released());
  EXPECT_EQ(BidOf(bidders_[1]).opening().values(0).value(), "1001.00");
  ExpectReplayGivesTheState();
}

// BOTH: a bidder that does not release its part fails through its own fault
// (treated as revoked); the opening of the others goes on.
TEST_F(FoldOpeningTest, UnderBothABidderWithoutItsPartIsRevokedAndTheOthersGoOn) {
  Begin(v1::OPENING_POLICY_BOTH, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  // The bidders' parts in the first half of the window, the custodians' keys after.
  const absl::Time t = kStart + absl::Minutes(4);
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
  const absl::Time turn = kStart + (kWindowEnd - kStart) / 2 + kReplicaClockSlack;
  ASSERT_TRUE(Apply(CustodianRelease(1, turn)).ok());
  ASSERT_TRUE(Apply(CustodianRelease(2, turn)).ok());
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(Apply(Decrypted(bidders_[i], turn + absl::Minutes(1), true)).ok());
  EXPECT_TRUE(StatusIs(Apply(Ended(turn + absl::Minutes(2), true)), kLoss,
                       {"decryption ended without one verdict per bid"}));
  for (int i = 0; i < 3; ++i) {
    seal::Releases r = CustodianReleases({1, 2});
    if (i < 2) r.bidder_secret = crypto::Secret(bidders_[i].bid.bidder_release);
    ASSERT_TRUE(Apply(Verdict(VerdictFor(bidders_[i], r), kWindowEnd)).ok()) << i;
  }
  ASSERT_TRUE(Apply(Ended(kWindowEnd, /*early=*/false)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_ANNOUNCING);
  EXPECT_EQ(Lot().opening().decrypted(), 2u);
  EXPECT_EQ(Lot().opening().decrypt_failed(), 1u);
  const fold::Bid& without = BidOf(bidders_[2]);
  EXPECT_EQ(without.status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(without.opening().fault(), v1::FAULT_BIDDER);
  EXPECT_EQ(without.opening().consequence(), v1::CONSEQUENCE_REVOKED);
  EXPECT_TRUE(absl::StrContains(without.opening().verdict(),
                                "policy BOTH needs the bidder's secret; the bidder has not "
                                "released it"))
      << without.opening().verdict();
  EXPECT_EQ(BidOf(bidders_[0]).status(), v1::BID_STATUS_DECRYPTED);
  EXPECT_EQ(BidOf(bidders_[0]).opening().values(0).value(), "1000.00");
  ExpectReplayGivesTheState();
}

// BOTH: the bidders release in the first half of the window, the custodians
// in the second, so no bid can be read (by anyone holding every release, the
// operator included) before every bidder has made its choice. A log with a
// custodian's key before the turn or a bidder's part at or after it does not
// fold.
TEST_F(FoldOpeningTest, UnderBothTheBiddersReleaseFirstAndTheCustodiansAfter) {
  Begin(v1::OPENING_POLICY_BOTH, 3);
  Open();
  const absl::Time turn = kStart + (kWindowEnd - kStart) / 2;
  EXPECT_EQ(BiddersEnd(Lot().spec(), Lot().opening()), turn);
  const absl::Time custodians = turn + kReplicaClockSlack;  // review 8 V4
  EXPECT_EQ(CustodiansBegin(Lot().spec(), Lot().opening()), custodians);
  EXPECT_TRUE(StatusIs(Apply(CustodianRelease(0, custodians - absl::Microseconds(1))), kLoss,
                       {"under policy BOTH the custodians of lot 1", "release after the bidders"}));
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], turn - absl::Microseconds(1))).ok());
  EXPECT_TRUE(StatusIs(Apply(BidderRelease(bidders_[1], turn)), kLoss,
                       {"under policy BOTH the bidders of lot 1",
                        "release their parts in the first half of the window"}));
  ASSERT_TRUE(Apply(CustodianRelease(0, custodians)).ok());
  ASSERT_TRUE(Apply(CustodianRelease(1, custodians)).ok());
  EXPECT_TRUE(Lot().opening().custodians(1).accepted());
}

// Other policies have one phase: the custodians from the start, the bidders to the end.
TEST_F(FoldOpeningTest, UnderAnyEveryoneReleasesInTheWholeWindow) {
  Begin(v1::OPENING_POLICY_ANY, 3);
  Open();
  EXPECT_EQ(BiddersEnd(Lot().spec(), Lot().opening()), kWindowEnd);
  ASSERT_TRUE(Apply(CustodianRelease(0, kStart)).ok());
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], kWindowEnd - absl::Microseconds(1))).ok());
}

// A lost release no longer makes any verdict the platform's (review 3 F8:
// the operator would choose which bids fail after reading the values). The
// opener gives no verdict while an accepted release's bytes are missing (its
// releaser re-supplies them); a custodian's lost *failed* attempt (a wrong
// key, which opens no share) is named as the log says. Under BOTH a bidder
// that released nothing is at fault, the custodians named as the log says
// (custodian 3 tried a wrong key, whose bytes are lost); the fold accepts it,
// and refuses a platform failure the old rule gave for a lost custodian key.
TEST_F(FoldOpeningTest, ALostFailedAttemptIsNamedAsTheLogSaysAndNoLostReleaseBlamesThePlatform) {
  Begin(v1::OPENING_POLICY_BOTH, 2, [](v1::LotSpec* spec) { spec->set_min_valid_bids(1); });
  Open();
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], kStart + absl::Minutes(4))).ok());
  const absl::Time t = CustodiansBegin(Lot().spec(), Lot().opening());
  ASSERT_TRUE(Apply(CustodianRelease(0, t)).ok());
  ASSERT_TRUE(Apply(CustodianRelease(1, t)).ok());
  const v1::Event wrong = CustodianRelease(2, t, /*accepted=*/false);
  ASSERT_TRUE(Apply(wrong).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], t + absl::Minutes(1), true)).ok());
  // Bidder 1 released nothing; custodian 3's wrong key is lost.
  auto j = seal::JudgeReleases(bidders_[1].bid.header, lot_->lot_keys(), CustodianReleases({0, 1}));
  ASSERT_TRUE(j.ok()) << j.status();
  VerdictInput in;
  in.lot = 1;
  in.bid = bidders_[1].seq;
  in.judgement = *j;
  in.lost_attempts.push_back({.seq = wrong.seq(), .share_x = 3});
  const v1::BidVerdict nothing = DecideVerdict(in);
  EXPECT_EQ(nothing.fault(), v1::FAULT_BIDDER) << nothing.reason();
  EXPECT_EQ(nothing.consequence(), v1::CONSEQUENCE_REVOKED);
  EXPECT_EQ(nothing.not_released_size(), 0) << "custodian 3 released: the log says so";
  ASSERT_EQ(nothing.wrong_key_size(), 1);
  EXPECT_EQ(nothing.wrong_key(0), 3u);
  EXPECT_TRUE(absl::StrContains(nothing.reason(), "a wrong key opens no share"))
      << nothing.reason();
  // Bid 0 opened: the platform's fault for a "lost" custodian key (what the
  // old rule gave) does not fold.
  v1::BidVerdict platform = VerdictFor(bidders_[0], [&] {
    seal::Releases r = CustodianReleases({0, 1});
    r.bidder_secret = crypto::Secret(bidders_[0].bid.bidder_release);
    return r;
  }());
  ASSERT_EQ(platform.status(), v1::BID_STATUS_DECRYPTED);
  platform.set_status(v1::BID_STATUS_DECRYPT_FAILED);
  platform.set_fault(v1::FAULT_PLATFORM);
  platform.set_consequence(v1::CONSEQUENCE_WITHDRAWN);
  platform.clear_values();
  platform.clear_values_key();
  EXPECT_TRUE(StatusIs(Apply(Verdict(platform, kWindowEnd)), kLoss, {"fails a bid that opened"}));
  ASSERT_TRUE(Apply(Verdict(nothing, kWindowEnd)).ok());
  EXPECT_EQ(BidOf(bidders_[1]).opening().fault(), v1::FAULT_BIDDER);
  ExpectReplayGivesTheState();
}

// Review 3 F8, the PoC turned around: every bid opened (BidDecrypted), the
// operator has read the prices and wants bidder 1 (1000.00, the lowest) out
// by calling its release "lost". The rule gives no platform failure for a
// lost release any more (without the bidder's part it is the bidder's fault,
// which the fold refuses too: the bid opened and its release was accepted),
// and a platform failure written by hand does not fold: the bid must be
// DECRYPTED with its values.
TEST_F(FoldOpeningTest, AnOpenedBidCannotBeFailedAtWillAsAPlatformLoss) {
  Begin(v1::OPENING_POLICY_BOTH, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  const absl::Time t = kStart + absl::Minutes(4);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
  const absl::Time turn = kStart + (kWindowEnd - kStart) / 2 + kReplicaClockSlack;
  ASSERT_TRUE(Apply(CustodianRelease(1, turn)).ok());
  ASSERT_TRUE(Apply(CustodianRelease(2, turn)).ok());
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(Apply(Decrypted(bidders_[i], turn + absl::Minutes(1), true)).ok());
  // What the attack made the rule say: judged without s_b ("lost").
  auto j = seal::JudgeReleases(bidders_[0].bid.header, lot_->lot_keys(), CustodianReleases({1, 2}));
  ASSERT_TRUE(j.ok());
  VerdictInput in;
  in.lot = 1;
  in.bid = bidders_[0].seq;
  in.judgement = *j;
  const v1::BidVerdict without = DecideVerdict(in);
  EXPECT_NE(without.fault(), v1::FAULT_PLATFORM) << without.reason();
  EXPECT_TRUE(StatusIs(Apply(Verdict(without, kWindowEnd)), kLoss, {"fails a bid that opened"}));
  v1::BidVerdict platform = without;
  platform.set_fault(v1::FAULT_PLATFORM);
  platform.set_consequence(v1::CONSEQUENCE_WITHDRAWN);
  platform.set_reason("the server cannot produce the bytes of release(s) that the log shows");
  EXPECT_TRUE(StatusIs(Apply(Verdict(platform, kWindowEnd)), kLoss, {"fails a bid that opened"}));
  // With every release, each bid is DECRYPTED with its values.
  for (int i = 0; i < 3; ++i) {
    seal::Releases r = CustodianReleases({1, 2});
    r.bidder_secret = crypto::Secret(bidders_[i].bid.bidder_release);
    ASSERT_TRUE(Apply(Verdict(VerdictFor(bidders_[i], r), kWindowEnd)).ok()) << i;
  }
  ASSERT_TRUE(Apply(Ended(kWindowEnd, /*early=*/false)).ok());
  EXPECT_EQ(BidOf(bidders_[0]).status(), v1::BID_STATUS_DECRYPTED);
  EXPECT_EQ(BidOf(bidders_[0]).opening().values(0).value(), "1000.00");
  ExpectReplayGivesTheState();
}

TEST_F(FoldOpeningTest, FewerBidsDecryptedThanTheMinimumFailTheLot) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(5);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
    ASSERT_TRUE(Apply(Decrypted(bidders_[i], t, true)).ok());
  }
  // Bidder 3 tries a wrong secret once, and never the right one.
  ASSERT_TRUE(Apply(BidderRelease(bidders_[2], t, /*accepted=*/false)).ok());
  EXPECT_EQ(BidOf(bidders_[2]).opening().bidder_attempts(), 1u);
  EXPECT_FALSE(BidOf(bidders_[2]).opening().bidder_released());
  EXPECT_EQ(BidOf(bidders_[2]).opening().attempt_failure(),
            "the bidder's released secret does not match secret_commitment");
  // Not every bid opened: no verdict before the window's end.
  EXPECT_TRUE(StatusIs(Apply(Verdict(VerdictFor(bidders_[0], BidderReleases(bidders_[0])),
                                     kWindowEnd - absl::Seconds(1))),
                       kLoss, {"a verdict before decryption may end"}));
  EXPECT_TRUE(StatusIs(Apply(Ended(kWindowEnd - absl::Seconds(1), true)), kLoss,
                       {"decryption ended without one verdict per bid"}));
  for (int i = 0; i < 3; ++i) {
    const v1::BidVerdict v =
        VerdictFor(bidders_[i], i < 2 ? BidderReleases(bidders_[i]) : seal::Releases{});
    ASSERT_TRUE(Apply(Verdict(v, kWindowEnd)).ok()) << i;
  }
  const fold::Bid& lost = BidOf(bidders_[2]);
  EXPECT_EQ(lost.status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(lost.opening().fault(), v1::FAULT_BIDDER);
  EXPECT_EQ(lost.opening().consequence(), v1::CONSEQUENCE_REVOKED);
  EXPECT_TRUE(absl::StrContains(lost.opening().verdict(), "the bidder has not released it"))
      << lost.opening().verdict();
  EXPECT_EQ(lost.opening().values_size(), 0);

  v1::Event wrong_failure = Ended(kWindowEnd, false);
  wrong_failure.mutable_decryption_ended()->clear_failure();
  EXPECT_TRUE(
      StatusIs(Apply(wrong_failure), kLoss, {"its failure is not what the lot's minimum gives"}));
  v1::Event early = Ended(kWindowEnd, true);
  EXPECT_TRUE(StatusIs(Apply(early), kLoss, {"decryption ended before it may"}));
  ASSERT_TRUE(Apply(Ended(kWindowEnd, false)).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_FAILED);
  EXPECT_EQ(Lot().opening().decrypted(), 2u);
  EXPECT_EQ(Lot().opening().decrypt_failed(), 1u);
  EXPECT_EQ(Lot().opening().failure(),
            "2 bids decrypted, fewer than the lot's minimum of 3 (招标投标法实施条例 Art. 44): "
            "the lot failed (流标)");
  EXPECT_TRUE(
      StatusIs(Apply(BidderRelease(bidders_[2], kWindowEnd)), kLoss, {"lot 1 is not decrypting"}));
  ExpectReplayGivesTheState();
}

TEST_F(FoldOpeningTest, AStartWithTooFewLiveBidsFailsTheLotAndRevealsNothing) {
  Begin(v1::OPENING_POLICY_BIDDER, 2);
  const v1::Event start = Start();
  EXPECT_EQ(start.opening_started().failure(),
            "2 live bids, fewer than the lot's minimum of 3 (招标投标法实施条例 Art. 44): the "
            "lot failed (流标)");
  ASSERT_TRUE(Apply(start).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_FAILED);
  EXPECT_TRUE(StatusIs(Apply(Reveal(bidders_[0])), kLoss, {"lot 1 is not decrypting"}));
}

// The start's check of the stored files (BidRevealed.stored_matches): a file
// that matched then is never failed as the platform's (a file changed since
// holds the verdicts until restored, then opens); one that did not is never
// read, and fails as the platform's with the SHA-256 found then.
TEST_F(FoldOpeningTest, TheStartsCheckOfTheStoredFilesDecidesThePlatformsFault) {
  Begin(v1::OPENING_POLICY_BIDDER, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  ASSERT_TRUE(Apply(Start()).ok());
  const std::string altered(32, '\x42');
  // A check that contradicts the SHA-256 it names is refused.
  v1::Event bad = Reveal(bidders_[0]);
  bad.mutable_bid_revealed()->set_stored_matches(true);
  bad.mutable_bid_revealed()->set_stored_sha256(altered);
  EXPECT_TRUE(StatusIs(Apply(bad), kLoss, {"its start check does not agree"}));
  v1::Event matched = Reveal(bidders_[0]);
  matched.mutable_bid_revealed()->set_stored_matches(true);
  ASSERT_TRUE(Apply(matched).ok());
  v1::Event differed = Reveal(bidders_[1]);
  differed.mutable_bid_revealed()->set_stored_matches(false);
  differed.mutable_bid_revealed()->set_stored_sha256(altered);
  ASSERT_TRUE(Apply(differed).ok());
  // A reveal without the check does not fold (review 4 R4:
  // ARevealWithoutTheStartsCheckOfTheStoredFileDoesNotFold).
  v1::Event unchecked = Reveal(bidders_[2]);
  unchecked.mutable_bid_revealed()->clear_stored_matches();
  EXPECT_TRUE(StatusIs(Apply(unchecked), kLoss, {"stored_matches"}));
  ASSERT_TRUE(Apply(Reveal(bidders_[2])).ok());
  EXPECT_TRUE(BidOf(bidders_[0]).opening().stored_matched_at_start());
  EXPECT_FALSE(BidOf(bidders_[1]).opening().stored_matched_at_start());
  EXPECT_EQ(BidOf(bidders_[1]).opening().stored_sha256_at_start(), altered);
  EXPECT_TRUE(BidOf(bidders_[2]).opening().stored_matched_at_start());

  // After the re-supply period the altered file opens (5 min: review 6 T1).
  const absl::Time t = kStart + absl::Minutes(6);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
  // The file found altered at the start is never read.
  EXPECT_TRUE(
      StatusIs(Apply(Decrypted(bidders_[1], t, true)), kLoss, {"did not match at the start"}));
  // The file that matched at the start is altered after the release: the read
  // fails, and no platform failure can follow from it.
  v1::Event changed = Decrypted(bidders_[0], t + absl::Seconds(1), false, "does not open");
  changed.mutable_bid_decrypted()->set_stored_sha256(std::string(32, '\x43'));
  ASSERT_TRUE(Apply(changed).ok());
  ASSERT_TRUE(Apply(Decrypted(bidders_[2], t + absl::Seconds(1), true)).ok());
  v1::BidVerdict platform;
  platform.set_lot(1);
  platform.set_bid(bidders_[0].seq);
  platform.set_status(v1::BID_STATUS_DECRYPT_FAILED);
  platform.set_fault(v1::FAULT_PLATFORM);
  platform.set_consequence(v1::CONSEQUENCE_WITHDRAWN);
  platform.set_reason("the stored file is not the one the bidder signed");
  platform.set_stored_sha256(std::string(32, '\x43'));
  EXPECT_TRUE(StatusIs(Apply(Verdict(platform, kWindowEnd)), kLoss, {"matched at the start"}));
  platform.clear_stored_sha256();
  EXPECT_TRUE(StatusIs(Apply(Verdict(platform, kWindowEnd)), kLoss, {"matched at the start"}));
  // Restored, it is read again and opens: DECRYPTED.
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], kWindowEnd, true)).ok());
  ASSERT_TRUE(
      Apply(Verdict(VerdictFor(bidders_[0], BidderReleases(bidders_[0])), kWindowEnd)).ok());

  // The one altered at the start: the platform's, with the SHA-256 found then.
  VerdictInput in = JudgedInput(bidders_[1], BidderReleases(bidders_[1]));
  in.matched_at_start = false;
  in.stored_sha256_at_start = altered;
  const v1::BidVerdict v = DecideVerdict(in);
  EXPECT_EQ(v.fault(), v1::FAULT_PLATFORM) << v.reason();
  v1::BidVerdict other = v;
  other.set_stored_sha256(std::string(32, '\x44'));
  EXPECT_TRUE(StatusIs(Apply(Verdict(other, kWindowEnd)), kLoss, {"than the start's check"}));
  ASSERT_TRUE(Apply(Verdict(v, kWindowEnd)).ok());
  ASSERT_TRUE(
      Apply(Verdict(VerdictFor(bidders_[2], BidderReleases(bidders_[2])), kWindowEnd)).ok());
  ASSERT_TRUE(Apply(Ended(kWindowEnd, /*early=*/false)).ok());
  EXPECT_EQ(BidOf(bidders_[0]).status(), v1::BID_STATUS_DECRYPTED);
  EXPECT_EQ(BidOf(bidders_[1]).opening().consequence(), v1::CONSEQUENCE_WITHDRAWN);
  EXPECT_EQ(BidOf(bidders_[1]).opening().stored_sha256(), altered);
  EXPECT_EQ(BidOf(bidders_[2]).status(), v1::BID_STATUS_DECRYPTED);
  ExpectReplayGivesTheState();
}

}  // namespace
}  // namespace bidopen::opening_test
