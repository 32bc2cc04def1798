// core/bid: when a lot takes bids, the bidder's statement and the commitment
// that stands for the bidder in the log.
#include "core/bid/bid_rules.h"

#include <gtest/gtest.h>

#include "core/bid/statement.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/opening/time_text.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen::testing {
namespace {

const absl::Time kDeadline = absl::FromUnixSeconds(1800000000);

fold::Tender OneLotTender() {
  fold::Tender t;
  t.set_id("T-0000000001");
  t.set_time_zone("Asia/Shanghai");
  fold::Lot* lot = t.add_lots();
  lot->set_number(1);
  lot->set_status(v1::LOT_STATUS_SCHEDULED);
  *lot->mutable_spec()->mutable_submission_deadline() = ToProto(kDeadline);
  return t;
}

TEST(LotTakingBidsTest, OneMillisecondBeforeTheDeadlineIsAccepted) {
  const fold::Tender tender = OneLotTender();  // the lot points into it
  auto lot = bid::LotTakingBids(tender, 1, kDeadline - absl::Milliseconds(1), "x");
  ASSERT_TRUE(lot.ok()) << lot.status();
  EXPECT_EQ((*lot)->number(), 1);
}

TEST(LotTakingBidsTest, OneMillisecondAfterTheDeadlineIsRefusedSayingHowLate) {
  auto lot = bid::LotTakingBids(OneLotTender(), 1, kDeadline + absl::Milliseconds(1),
                                "the bid was not accepted");
  EXPECT_TRUE(StatusIs(lot.status(), absl::StatusCode::kFailedPrecondition,
                       {"lot 1 of tender T-0000000001", "2027-01-15T16:00:00+08:00",
                        "passed 0.001 s ago", "the bid was not accepted"}));
}

TEST(LotTakingBidsTest, AtTheDeadlineItselfIsTooLate) {
  EXPECT_TRUE(StatusIs(bid::LotTakingBids(OneLotTender(), 1, kDeadline, "x").status(),
                       absl::StatusCode::kFailedPrecondition, {"passed 0.000 s ago"}));
}

TEST(LotTakingBidsTest, UnknownLotIsNotFound) {
  EXPECT_TRUE(StatusIs(bid::LotTakingBids(OneLotTender(), 2, kDeadline, "x").status(),
                       absl::StatusCode::kNotFound, {"has no lot 2", "lots 1..1"}));
}

TEST(LotTakingBidsTest, CancelledLotOrTenderTakesNoBids) {
  fold::Tender lot_cancelled = OneLotTender();
  lot_cancelled.mutable_lots(0)->set_status(v1::LOT_STATUS_CANCELLED);
  fold::Tender tender_cancelled = OneLotTender();
  tender_cancelled.set_cancelled(true);
  for (const auto& t : {lot_cancelled, tender_cancelled})
    EXPECT_TRUE(StatusIs(bid::LotTakingBids(t, 1, kDeadline - absl::Hours(1), "no bids").status(),
                         absl::StatusCode::kFailedPrecondition, {"is cancelled; no bids"}));
}

v1::BidStatement Statement() {
  v1::BidStatement s;
  s.set_purpose(std::string(bid::kSubmitPurpose));
  s.set_tender_id("T-0000000001");
  s.set_lot(1);
  s.set_bidder("fp-bidder");
  s.set_header_sha256(std::string(32, 'h'));
  s.set_ciphertext_sha256(std::string(32, 'c'));
  s.set_size(4096);
  s.set_client_nonce(std::string(16, 'r'));
  return s;
}

TEST(StatementTest, EncodedStatementDecodes) {
  auto s = bid::DecodeStatement(bid::EncodeStatement(Statement()), bid::kSubmitPurpose, "f");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->size(), 4096u);
}

TEST(StatementTest, BytesThatAreNotAStatementNameTheField) {
  EXPECT_TRUE(InvalidField(
      bid::DecodeStatement("\xff\xff\xff", bid::kSubmitPurpose, "commit.statement").status(),
      "commit.statement", {"3 bytes that are not a BidStatement"}));
  EXPECT_TRUE(
      InvalidField(bid::DecodeStatement("", bid::kSubmitPurpose, "commit.statement").status(),
                   "commit.statement", {"0 bytes"}));
}

TEST(StatementTest, AWithdrawalIsNotASubmission) {
  v1::BidStatement s = Statement();
  s.set_purpose(std::string(bid::kWithdrawPurpose));
  EXPECT_TRUE(InvalidField(
      bid::DecodeStatement(bid::EncodeStatement(s), bid::kSubmitPurpose, "commit.statement")
          .status(),
      "commit.statement.purpose", {"\"bidopen/withdraw/v2\"", "expected \"bidopen/submit/v2\""}));
}

TEST(StatementTest, HashesMustBe32Bytes) {
  v1::BidStatement s = Statement();
  s.set_ciphertext_sha256("short");
  EXPECT_TRUE(InvalidField(
      bid::DecodeStatement(bid::EncodeStatement(s), bid::kSubmitPurpose, "st").status(), "st",
      {"must be 32 bytes", "got 32 and 5"}));
}

TEST(StatementTest, AStatementNamingAnotherBidderIsPermissionDenied) {
  EXPECT_TRUE(StatusIs(bid::CheckStatementBidder(Statement(), "fp-other", "commit.statement"),
                       absl::StatusCode::kPermissionDenied,
                       {"commit.statement.bidder: fp-bidder", "fp-other"}));
  EXPECT_TRUE(bid::CheckStatementBidder(Statement(), "fp-bidder", "s").ok());
}

TEST(StatementTest, OnlyTheCallersOwnKeySignsForIt) {
  LogPki mine = MakeLogPki();
  LogPki other = MakeLogPki();
  const std::string bytes = bid::EncodeStatement(Statement());
  auto signature = crypto::Sign(mine.key.get(), bytes);
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(bid::CheckStatementSignature(mine.cert_pem, bytes, *signature, "sig").ok());
  EXPECT_TRUE(InvalidField(
      bid::CheckStatementSignature(other.cert_pem, bytes, *signature, "commit.signature"),
      "commit.signature", {"does not verify with the key of the caller's certificate"}));
  std::string changed = bytes;
  changed.back() ^= 1;
  EXPECT_FALSE(bid::CheckStatementSignature(mine.cert_pem, changed, *signature, "sig").ok());
  EXPECT_FALSE(bid::CheckStatementSignature(mine.cert_pem, bytes, "", "sig").ok());
}

TEST(StatementTest, AStatementActsOnce) {
  TenderState state;
  EXPECT_TRUE(bid::CheckStatementUnused(state, "hash-1", "commit.statement").ok());
  state.statements["hash-1"] = 12;
  EXPECT_TRUE(
      StatusIs(bid::CheckStatementUnused(state, "hash-1", "commit.statement"),
               absl::StatusCode::kAlreadyExists,
               {"commit.statement: this signed statement was already used (log index 12)"}));
}

TEST(BidderCommitmentTest, KnownAnswerAndEveryInputMatters) {
  const std::string fp(64, 'a');
  std::string nonce;
  for (int i = 0; i < 16; ++i) nonce.push_back(static_cast<char>(i));
  // python3: sha256(b'bidopen/bidder\x00' + b'ab'*32 + bytes(range(16)))
  std::string ab;
  for (int i = 0; i < 32; ++i) ab += "ab";
  EXPECT_EQ(crypto::Hex(bid::BidderCommitment(ab, nonce)),
            "f491d695c0f0fcd1fad8c79d156ecc6e951314d381560ef94e3412f70754613b");
  EXPECT_NE(bid::BidderCommitment(fp, nonce), bid::BidderCommitment(ab, nonce));
  EXPECT_NE(bid::BidderCommitment(ab, nonce), bid::BidderCommitment(ab, nonce + "x"));
}

}  // namespace
}  // namespace bidopen::testing
