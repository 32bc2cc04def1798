// Review 4 R5: a bidder puts back the sealed file the opening's start found
// altered (BidFileRestored), and the bid is then read and judged as one that
// matched. The fold accepts the restoration only from the bid's bidder, for a
// revealed bid whose start check did not match, while decryption is open, with
// the SHA-256 the bidder signed; the server refuses the same with precise
// errors (CheckResupply, CheckResuppliedFile).
#include "core/crypto/sha256.h"
#include "core/opening/opening_rules.h"
#include "core/opening/resupply_rules.h"
#include "tests/unit/fold_opening_fixture.h"

namespace bidopen::opening_test {
namespace {

using ::bidopen::testing::StatusIs;

class FoldResupplyTest : public FoldOpeningTest {
 protected:
  // BIDDER, three bids; bid 1's stored file found altered at the start.
  void OpenWithOneAltered() {
    Begin(v1::OPENING_POLICY_BIDDER, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
    ASSERT_TRUE(Apply(Start()).ok());
    for (int i = 0; i < 3; ++i) {
      v1::Event r = Reveal(bidders_[i]);
      if (i == 1) {
        r.mutable_bid_revealed()->set_stored_matches(false);
        r.mutable_bid_revealed()->set_stored_sha256(kAltered);
      }
      ASSERT_TRUE(Apply(r).ok());
    }
  }

  v1::Event Restored(const Bidder& b, absl::Time t, const v1::Party& by) {
    v1::Event e = At(t, by);
    v1::BidFileRestored* r = e.mutable_bid_file_restored();
    r->set_lot(1);
    r->set_bid(b.seq);
    r->set_sha256(crypto::Sha256(b.bid.file));
    return e;
  }
  v1::Event Restored(const Bidder& b, absl::Time t) { return Restored(b, t, b.party); }

  v1::BidVerdict PlatformAlteredAtStart(const Bidder& b) {
    VerdictInput in = JudgedInput(b, BidderReleases(b));
    in.matched_at_start = false;
    in.stored_sha256_at_start = kAltered;
    return DecideVerdict(in);
  }

  const std::string kAltered = std::string(32, '\x42');
  // The window is 30 min: the period is 5 min (the cap; window / 6 too).
  const absl::Time kResupplyEnd = kStart + absl::Minutes(5);
  // Keys from the period's end plus the replicas' clock slack (review 8 V4).
  const absl::Time kReleasesBegin = kResupplyEnd + kReplicaClockSlack;
};

TEST_F(FoldResupplyTest, TheBidderPutsBackTheAlteredFileAndTheBidOpens) {
  OpenWithOneAltered();
  const absl::Time t = kReleasesBegin + absl::Minutes(1);
  // Put back in the re-supply period, before any release (review 6 T1).
  ASSERT_TRUE(Apply(Restored(bidders_[1], kStart + absl::Minutes(2))).ok());
  EXPECT_EQ(BidOf(bidders_[1]).opening().restored_seq(), log_.back().seq());
  EXPECT_TRUE(StoredFileMatches(BidOf(bidders_[1]).opening()));
  // The platform's "altered at the start" no longer folds: the bidder put
  // the signed file back.
  EXPECT_TRUE(StatusIs(Apply(Verdict(PlatformAlteredAtStart(bidders_[1]), kWindowEnd)), kLoss,
                       {"put its signed file back"}));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Apply(BidderRelease(bidders_[i], t)).ok());
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(Apply(Decrypted(bidders_[i], t + absl::Minutes(2), true)).ok());
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(
        Apply(Verdict(VerdictFor(bidders_[i], BidderReleases(bidders_[i])), kWindowEnd)).ok());
  ASSERT_TRUE(Apply(Ended(kWindowEnd, /*early=*/false)).ok());
  EXPECT_EQ(BidOf(bidders_[1]).status(), v1::BID_STATUS_DECRYPTED);
  ASSERT_EQ(BidOf(bidders_[1]).opening().values_size(), 2);
  EXPECT_EQ(BidOf(bidders_[1]).opening().values(0).value(), "1001.00");
  ExpectReplayGivesTheState();
}

// The verdict rule: a restored file is judged as one that matched; one not
// put back stays the platform's, and the reason says its bidder could have.
TEST_F(FoldResupplyTest, TheVerdictRuleReadsARestoredFileAndNamesAMissedResupply) {
  OpenWithOneAltered();
  const v1::BidVerdict platform = PlatformAlteredAtStart(bidders_[1]);
  EXPECT_EQ(platform.fault(), v1::FAULT_PLATFORM);
  EXPECT_EQ(platform.consequence(), v1::CONSEQUENCE_WITHDRAWN);
  EXPECT_TRUE(absl::StrContains(platform.reason(), "could have put the signed file back"))
      << platform.reason();
  EXPECT_TRUE(absl::StrContains(platform.reason(), "bidctl opening resupply"));

  VerdictInput in = JudgedInput(bidders_[1], BidderReleases(bidders_[1]));
  in.matched_at_start = false;
  in.stored_sha256_at_start = kAltered;
  in.restored = true;
  const auto read = ReadWith(bidders_[1].bid.file, in.judgement.secret.bytes(), lot_->spec());
  in.decrypt = {.tried = true,
                .opened = read.opened,
                .reason = read.reason,
                .values = read.values,
                .values_key = read.values_key};
  const v1::BidVerdict v = DecideVerdict(in);
  EXPECT_EQ(v.status(), v1::BID_STATUS_DECRYPTED) << v.reason();
  // Restored, then changed again when read: no verdict (the lot waits).
  in.decrypt.opened = false;
  in.stored_file_matches = false;
  EXPECT_TRUE(StoredFileChanged(in));
}

TEST_F(FoldResupplyTest, ARestorationFoldsOnlyFromTheBiddersSignedFileWhileDecryptionIsOpen) {
  OpenWithOneAltered();
  const absl::Time t = kStart + absl::Minutes(3);
  // By another bidder.
  EXPECT_TRUE(StatusIs(Apply(Restored(bidders_[1], t, bidders_[0].party)), kLoss,
                       {"bid ", absl::StrCat(bidders_[1].seq), " is not yours"}));
  // For a bid whose stored file matched at the start.
  EXPECT_TRUE(StatusIs(Apply(Restored(bidders_[0], t)), kLoss, {"matched", "nothing to put back"}));
  // With another SHA-256 than the signed one.
  v1::Event wrong = Restored(bidders_[1], t);
  wrong.mutable_bid_file_restored()->set_sha256(std::string(32, '\x44'));
  EXPECT_TRUE(StatusIs(
      Apply(wrong), kLoss,
      {"4444", crypto::Hex(BidOf(bidders_[1]).ciphertext_sha256()), "not the sealed file"}));
  // For a bid that was not revealed in the lot.
  v1::Event unknown = Restored(bidders_[1], t);
  unknown.mutable_bid_file_restored()->set_bid(999);
  EXPECT_TRUE(StatusIs(Apply(unknown), kLoss, {"bid 999 was not revealed"}));
  // After the window.
  EXPECT_TRUE(StatusIs(Apply(Restored(bidders_[1], kWindowEnd)), kLoss, {"closed at"}));
  // Once.
  ASSERT_TRUE(Apply(Restored(bidders_[1], t)).ok());
  EXPECT_TRUE(StatusIs(
      Apply(Restored(bidders_[1], t + absl::Seconds(1))), kLoss,
      {"put back already", absl::StrCat("log #", BidOf(bidders_[1]).opening().restored_seq())}));
  ExpectReplayGivesTheState();
}

// The server's refusals, before it stores a byte and again in the commit.
TEST_F(FoldResupplyTest, TheServersRefusalsAreStatusesNamingTheBidAndTheHashes) {
  OpenWithOneAltered();
  const absl::Time t = kStart + absl::Minutes(3);
  const uint64_t altered = bidders_[1].seq;
  EXPECT_TRUE(CheckResupply(state_, 1, altered, bidders_[1].party, t).ok());
  EXPECT_TRUE(StatusIs(CheckResupply(state_, 1, 999, bidders_[1].party, t),
                       absl::StatusCode::kNotFound, {"bid: lot 1 has no revealed bid 999"}));
  EXPECT_TRUE(StatusIs(CheckResupply(state_, 1, altered, bidders_[0].party, t),
                       absl::StatusCode::kPermissionDenied, {"is not yours"}));
  EXPECT_TRUE(StatusIs(CheckResupply(state_, 1, bidders_[0].seq, bidders_[0].party, t),
                       absl::StatusCode::kFailedPrecondition, {"nothing to put back"}));
  EXPECT_TRUE(StatusIs(CheckResupply(state_, 1, altered, bidders_[1].party, kWindowEnd),
                       absl::StatusCode::kFailedPrecondition, {"decryption window", "closed at"}));
  const fold::Bid& bid = BidOf(bidders_[1]);
  EXPECT_TRUE(CheckResuppliedFile(bid, bid.size(), bid.ciphertext_sha256()).ok());
  EXPECT_TRUE(StatusIs(
      CheckResuppliedFile(bid, bid.size() - 1, bid.ciphertext_sha256()),
      absl::StatusCode::kInvalidArgument,
      {"data: ", absl::StrCat(bid.size() - 1, " bytes sent"), absl::StrCat("says ", bid.size())}));
  EXPECT_TRUE(
      StatusIs(CheckResuppliedFile(bid, bid.size(), std::string(32, '\x44')),
               absl::StatusCode::kInvalidArgument,
               {"data: the file sent has SHA-256 4444", crypto::Hex(bid.ciphertext_sha256())}));
  EXPECT_TRUE(CheckResupplyMessage(1024 * 1024).ok());
  EXPECT_TRUE(StatusIs(CheckResupplyMessage(1024 * 1024 + 1), absl::StatusCode::kInvalidArgument,
                       {"data: 1048577 bytes in one message", "limit of 1048576"}));
  ASSERT_TRUE(Apply(Restored(bidders_[1], t)).ok());
  EXPECT_TRUE(StatusIs(CheckResupply(state_, 1, altered, bidders_[1].party, t),
                       absl::StatusCode::kFailedPrecondition, {"put back already"}));
}

// Review 6 T1: once key material reached the server, values can be read; a
// file put back after that would let the operator (or a colluding bidder)
// choose, after the values, whether the altered bid opens. A restoration
// comes before the lot's first release or not at all; before it is put back
// the file is never read.
TEST_F(FoldResupplyTest, AFileIsPutBackOnlyBeforeTheFirstRelease) {
  OpenWithOneAltered();
  const absl::Time t = kReleasesBegin;
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t)).ok());
  const uint64_t first = log_.back().seq();
  EXPECT_TRUE(StatusIs(Apply(Decrypted(bidders_[1], t, true)), kLoss, {"was not put back"}));
  // Put back after the period: refused by time; and a restoration the
  // operator backdated into the period is still after the first release.
  EXPECT_TRUE(StatusIs(Apply(Restored(bidders_[1], t + absl::Minutes(1))), kLoss,
                       {"re-supply period of lot 1 ended", "can no longer be put back"}));
  EXPECT_TRUE(StatusIs(
      CheckResupply(state_, 1, bidders_[1].seq, bidders_[1].party, kResupplyEnd - absl::Seconds(1)),
      absl::StatusCode::kFailedPrecondition,
      {"releases of lot 1 began", absl::StrCat("log #", first)}));
}

// Review 6 T1, the rest: when the start found a file altered, no key is
// released before the re-supply period ends (start + min(5 min, window / 6)),
// by the release's time and by the time of the head it cites, and the file
// is put back only within the period.
TEST_F(FoldResupplyTest, NoKeyIsReleasedBeforeTheResupplyPeriodEnds) {
  OpenWithOneAltered();
  ASSERT_TRUE(Lot().opening().has_resupply_end());
  EXPECT_EQ(FromProto(Lot().opening().resupply_end()), kResupplyEnd);
  EXPECT_EQ(ReleasesBegin(Lot().opening()), kReleasesBegin);
  const absl::Time early = kReleasesBegin - absl::Seconds(1);
  EXPECT_TRUE(StatusIs(Apply(BidderRelease(bidders_[0], early)), kLoss,
                       {"found a stored file of lot 1", "no key is released before"}));
  EXPECT_TRUE(StatusIs(CheckReleasePhase(state_.tender, 1, v1::RELEASE_KIND_BIDDER, early),
                       absl::StatusCode::kFailedPrecondition,
                       {"its bidder may put it back until", "no key is released before"}));
  // A release at the begin citing a head signed before it: its releaser
  // decided before the period was over.
  v1::Event cites_early = BidderRelease(bidders_[0], kReleasesBegin);
  Cite(&cites_early, cites_early.seq(), early);
  EXPECT_TRUE(StatusIs(Apply(cites_early), kLoss,
                       {"before keys may be released in lot 1", "end of its re-supply period"}));
  EXPECT_TRUE(StatusIs(Apply(Restored(bidders_[1], kResupplyEnd)), kLoss,
                       {"re-supply period of lot 1 ended"}));
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], kReleasesBegin)).ok());
  ExpectReplayGivesTheState();
}

// Review 7 on T1: times are the operator's to stamp (within the replicas'
// slack), so what settles it is the seq: every release cites a head past
// every file put back. One whose head precedes the restoration was sent
// before the file was back: the operator could read the values with it and
// then decide to put the file back. Refused, however the times look.
TEST_F(FoldResupplyTest, EveryReleaseCitesAHeadPastEveryFilePutBack) {
  OpenWithOneAltered();
  ASSERT_TRUE(Apply(Restored(bidders_[1], kResupplyEnd - absl::Seconds(2))).ok());
  const uint64_t restored = log_.back().seq();
  EXPECT_EQ(Lot().last_restored_seq(), restored);
  v1::Event sent_before = BidderRelease(bidders_[0], kReleasesBegin);
  Cite(&sent_before, restored, kReleasesBegin);  // size `restored`: the restoration not in it
  EXPECT_TRUE(
      StatusIs(Apply(sent_before), kLoss,
               {"does not hold the sealed file put back at log #", absl::StrCat(restored)}));
  EXPECT_TRUE(StatusIs(
      CheckCitedHeadFits(state_.tender, 1, v1::RELEASE_KIND_BIDDER, kReleasesBegin, restored),
      absl::StatusCode::kFailedPrecondition, {"fetch the opening again"}));
  EXPECT_TRUE(
      CheckCitedHeadFits(state_.tender, 1, v1::RELEASE_KIND_BIDDER, kReleasesBegin, restored + 1)
          .ok());
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], kReleasesBegin)).ok());
  ExpectReplayGivesTheState();
}

TEST_F(FoldResupplyTest, TheResupplyPeriodIsASixthOfTheWindowAtMostFiveMinutes) {
  v1::LotSpec spec;
  EXPECT_EQ(ResupplyPeriod(spec), absl::Minutes(5));  // the default window, 30 min
  *spec.mutable_decryption_window() = ToProto(absl::Seconds(60));
  EXPECT_EQ(ResupplyPeriod(spec), absl::Seconds(10));
  *spec.mutable_decryption_window() = ToProto(absl::Hours(2));
  EXPECT_EQ(ResupplyPeriod(spec), absl::Minutes(5));
}

// A lot whose files all matched at the start has no period: releases begin
// at the start.
TEST_F(FoldResupplyTest, ALotWhoseFilesMatchedHasNoResupplyPeriod) {
  Begin(v1::OPENING_POLICY_BIDDER, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  EXPECT_FALSE(Lot().opening().has_resupply_end());
  EXPECT_EQ(ReleasesBegin(Lot().opening()), kStart);
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], kStart + absl::Seconds(1))).ok());
}

}  // namespace
}  // namespace bidopen::opening_test
