// A failed verdict about the stored file rests on what the log shows of it
// (review 4, R4 and R4b; docs/protocol.md "Verdicts"): every reveal carries
// the start's check of the stored file, and a verdict that fails a bid for a
// file that did not open needs a logged read (BidDecrypted) that did not open
// that very file. So the operator can no longer read a released bid without
// logging it, see the values, and then fail it as the platform's fault
// (视为撤回) or the honest bidder's (视为撤销).
#include "tests/unit/fold_opening_fixture.h"

namespace bidopen::opening_test {
namespace {

using ::bidopen::testing::StatusIs;

// Review 4 R4 (Review4PocLeavingOutTheStartCheckMakesThePlatformFaultSelectableAgain,
// turned around): a reveal without the start's check was "a log from before
// the check, judged as before", which let the operator call any file that
// "did not open" the platform's loss. Every reveal the server appends has it,
// so one without it does not fold, naming the event.
TEST_F(FoldOpeningTest, ARevealWithoutTheStartsCheckOfTheStoredFileDoesNotFold) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  ASSERT_TRUE(Apply(Start()).ok());
  v1::Event unchecked = Reveal(bidders_[0]);
  unchecked.mutable_bid_revealed()->clear_stored_matches();
  EXPECT_TRUE(StatusIs(Apply(unchecked), kLoss,
                       {absl::StrCat("event ", unchecked.seq(), " "),
                        absl::StrCat("bid ", bidders_[0].seq), "stored_matches"}));
  EXPECT_FALSE(BidOf(bidders_[0]).has_opening());
}

// With the start's check in the log (the file matched), the verdict the
// operator chose after reading the values -- "the server could not show the
// stored file is the one the bidder signed": the platform's -- is refused.
TEST_F(FoldOpeningTest, AMatchedBidReadWithoutALogCannotBeFailedAsThePlatformsLoss) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(3);
  for (const Bidder& b : bidders_) ASSERT_TRUE(Apply(BidderRelease(b, t)).ok());
  auto j =
      seal::JudgeReleases(bidders_[0].bid.header, lot_->lot_keys(), BidderReleases(bidders_[0]));
  ASSERT_TRUE(j.ok());
  VerdictInput in;
  in.lot = 1;
  in.bid = bidders_[0].seq;
  in.judgement = *j;
  in.decrypt.tried = true;
  in.decrypt.reason = "chunk 0: DATA_LOSS";
  const v1::BidVerdict v = DecideVerdict(in);  // without the start's check: the platform's
  ASSERT_EQ(v.fault(), v1::FAULT_PLATFORM);
  EXPECT_TRUE(StatusIs(Apply(Verdict(v, kWindowEnd)), kLoss, {"matched at the start"}));
  EXPECT_EQ(BidOf(bidders_[0]).opening().verdict_seq(), 0u);
}

// Review 4 R4b (Review4PocAnUnloggedReadLetsTheOperatorFailAnHonestBidAsTheBiddersFault,
// turned around): the operator reads bid 0 (it opens: 1000.00) without
// logging the read, and fails it as "the file is the one the bidder signed
// but does not open": the bidder's fault. Without a logged failed read of
// that file the verdict does not fold; with one that hashed other bytes
// neither. An honest failed read, logged, still gives the bidder's fault.
TEST_F(FoldOpeningTest, AnHonestBidCannotBeFailedAsTheBiddersFileWithoutALoggedFailedRead) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(3);
  for (const Bidder& b : bidders_) ASSERT_TRUE(Apply(BidderRelease(b, t)).ok());
  const auto read = ReadWith(bidders_[0].bid.file, bidders_[0].bid.bidder_release, lot_->spec());
  ASSERT_TRUE(read.opened);  // the operator saw the lowest price ...
  EXPECT_EQ(read.values[0].value(), "1000.00");
  for (int i = 1; i < 3; ++i) ASSERT_TRUE(Apply(Decrypted(bidders_[i], t, true)).ok());
  auto j =
      seal::JudgeReleases(bidders_[0].bid.header, lot_->lot_keys(), BidderReleases(bidders_[0]));
  ASSERT_TRUE(j.ok());
  VerdictInput in;
  in.lot = 1;
  in.bid = bidders_[0].seq;
  in.judgement = *j;
  in.matched_at_start = true;
  in.decrypt.tried = true;
  in.decrypt.reason = "chunk 3: DATA_LOSS: authentication failed";
  in.stored_file_matches = true;
  in.stored_sha256 = BidOf(bidders_[0]).ciphertext_sha256();
  const v1::BidVerdict v = DecideVerdict(in);
  ASSERT_EQ(v.fault(), v1::FAULT_BIDDER);
  ASSERT_EQ(v.consequence(), v1::CONSEQUENCE_REVOKED);
  // ... and blames the bidder's file with no read of it in the log.
  const std::string no_read = "no logged decryption attempt (BidDecrypted) failed to open";
  EXPECT_TRUE(StatusIs(Apply(Verdict(v, kWindowEnd)), kLoss,
                       {absl::StrCat("fails bid ", bidders_[0].seq), no_read}));
  // A logged failed read of other bytes does not carry it either.
  v1::Event other = Decrypted(bidders_[0], t, false, "does not open");
  other.mutable_bid_decrypted()->set_stored_sha256(std::string(32, '\x42'));
  ASSERT_TRUE(Apply(other).ok());
  EXPECT_TRUE(StatusIs(Apply(Verdict(v, kWindowEnd)), kLoss, {no_read}));
  // A logged read of the signed file that did not open does: the bidder's fault.
  ASSERT_TRUE(Apply(Decrypted(bidders_[0], t + absl::Seconds(1), false, "does not open")).ok());
  ASSERT_TRUE(Apply(Verdict(v, kWindowEnd)).ok());
  for (int i = 1; i < 3; ++i)
    ASSERT_TRUE(
        Apply(Verdict(VerdictFor(bidders_[i], BidderReleases(bidders_[i])), kWindowEnd)).ok());
  ASSERT_TRUE(Apply(Ended(kWindowEnd, false)).ok());
  EXPECT_EQ(BidOf(bidders_[0]).opening().consequence(), v1::CONSEQUENCE_REVOKED);
  ExpectReplayGivesTheState();
}

// A read that opened names no failed file.
TEST_F(FoldOpeningTest, AReadThatOpenedNamingAFailedFilesHashDoesNotFold) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const absl::Time t = kStart + absl::Minutes(3);
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t)).ok());
  v1::Event both = Decrypted(bidders_[0], t, true);
  both.mutable_bid_decrypted()->set_stored_sha256(std::string(32, '\x42'));
  EXPECT_TRUE(StatusIs(Apply(both), kLoss, {"that opened and names the SHA-256"}));
}

}  // namespace
}  // namespace bidopen::opening_test
