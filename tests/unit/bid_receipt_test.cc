// Receipts checked with only the CA, and the header check of an upload.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/bid/header_scan.h"
#include "core/bid/receipt.h"
#include "core/bid/statement.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/crypto/x25519.h"
#include "core/opening/time_text.h"
#include "core/seal/seal_bid.h"
#include "platform/file_env.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen::testing {
namespace {

class ReceiptTest : public ::testing::Test {
 protected:
  ReceiptTest() : pki_(MakeLogPki()) {
    statement_.set_purpose(std::string(bid::kSubmitPurpose));
    statement_.set_tender_id("T-1");
    statement_.set_lot(2);
    statement_.set_bidder(std::string(64, 'b'));
    statement_.set_header_sha256(std::string(32, 'h'));
    statement_.set_ciphertext_sha256(std::string(32, 'c'));
    statement_.set_size(5000);
  }

  v1::Event SubmittedEvent(const std::string& statement_bytes) {
    v1::Event e;
    e.set_seq(7);
    *e.mutable_time() = ToProto(absl::FromUnixSeconds(1800000000));
    e.set_tender_id("T-1");
    e.set_tender_prev(4);
    v1::BidSubmitted* b = e.mutable_bid_submitted();
    b->set_lot(2);
    b->set_bidder_commitment(bid::BidderCommitment(statement_.bidder(), nonce_));
    b->set_statement_sha256(crypto::Sha256(statement_bytes));
    b->set_size(5000);
    return e;
  }

  v1::Receipt Sign(const v1::ReceiptBody& body) {
    v1::Receipt r;
    r.set_body(bid::EncodeReceiptBody(body));
    r.set_server_signature(*crypto::Sign(pki_.key.get(), bid::ReceiptSigningInput(r.body())));
    r.set_log_certificate_pem(pki_.cert_pem);
    return r;
  }

  v1::ReceiptBody Body() {
    const std::string bytes = bid::EncodeStatement(statement_);
    return bid::MakeReceiptBody(v1::RECEIPT_KIND_SUBMITTED, bytes, "bidder-signature",
                                SubmittedEvent(bytes), nonce_, "test-log");
  }

  LogPki pki_;
  v1::BidStatement statement_;
  std::string nonce_ = std::string(16, 'n');
};

TEST_F(ReceiptTest, AReceiptTheLogKeySignedVerifies) {
  auto v = bid::VerifyReceipt(Sign(Body()), pki_.ca_pem);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->body.seq(), 7u);
  EXPECT_EQ(v->statement.lot(), 2);
  EXPECT_EQ(v->event.tender_id(), "T-1");
}

TEST_F(ReceiptTest, AFlippedByteAnywhereIsDataLoss) {
  v1::Receipt good = Sign(Body());
  v1::Receipt body = good;
  body.mutable_body()->at(body.body().size() / 2) ^= 1;
  v1::Receipt sig = good;
  sig.mutable_server_signature()->back() ^= 1;
  for (const auto& r : {body, sig})
    EXPECT_TRUE(StatusIs(bid::VerifyReceipt(r, pki_.ca_pem).status(), absl::StatusCode::kDataLoss,
                         {"the server's signature does not verify"}));
}

TEST_F(ReceiptTest, ALogCertificateFromAnotherCaIsDataLoss) {
  EXPECT_TRUE(StatusIs(bid::VerifyReceipt(Sign(Body()), MakeLogPki().ca_pem).status(),
                       absl::StatusCode::kDataLoss, {"receipt: log certificate"}));
}

TEST_F(ReceiptTest, SignedButInconsistentBodiesAreDataLoss) {
  v1::ReceiptBody wrong_nonce = Body();
  wrong_nonce.set_bidder_nonce(std::string(16, 'x'));
  v1::ReceiptBody wrong_leaf = Body();
  wrong_leaf.mutable_leaf_hash()->at(0) ^= 1;
  v1::ReceiptBody wrong_seq = Body();
  wrong_seq.set_seq(8);
  v1::ReceiptBody other_statement = Body();
  statement_.set_size(5001);
  other_statement.set_statement(bid::EncodeStatement(statement_));
  v1::ReceiptBody wrong_time = Body();
  *wrong_time.mutable_received() = ToProto(absl::FromUnixSeconds(1));
  const std::pair<v1::ReceiptBody, const char*> cases[] = {
      {wrong_nonce, "the nonce does not open the event's bidder commitment"},
      {wrong_leaf, "the leaf hash is not the hash of the event"},
      {wrong_seq, "seq"},
      {other_statement, "the event records another statement"},
      {wrong_time, "the receive time is not the event's time"}};
  for (const auto& [body, message] : cases)
    EXPECT_TRUE(StatusIs(bid::VerifyReceipt(Sign(body), pki_.ca_pem).status(),
                         absl::StatusCode::kDataLoss, {message}));
}

TEST_F(ReceiptTest, AWithdrawalReceiptVerifies) {
  statement_.set_purpose(std::string(bid::kWithdrawPurpose));
  const std::string bytes = bid::EncodeStatement(statement_);
  v1::Event e = SubmittedEvent(bytes);
  e.mutable_bid_withdrawn()->set_lot(2);
  e.mutable_bid_withdrawn()->set_withdraws(3);
  e.mutable_bid_withdrawn()->set_statement_sha256(crypto::Sha256(bytes));
  auto v = bid::VerifyReceipt(
      Sign(bid::MakeReceiptBody(v1::RECEIPT_KIND_WITHDRAWN, bytes, "s", e, "", "test-log")),
      pki_.ca_pem);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->event.bid_withdrawn().withdraws(), 3u);
}

class HeaderScanTest : public ::testing::Test {
 protected:
  HeaderScanTest() {
    const std::string doc = TempPath("header_scan_doc");
    std::ofstream(doc, std::ios::binary) << std::string(5000, 'd');
    params_.tender_id = "T-1";
    params_.lot.set_number(1);
    params_.lot.mutable_spec()->set_policy(v1::OPENING_POLICY_BIDDER);
    params_.keys.bidder_fingerprint = "fp-bidder";
    params_.keys.bidder_public = crypto::GenerateX25519()->public_key;
    params_.documents = {{"offer.pdf", doc}};
    params_.chunk_size = 1024;
    params_.env = &platform::DefaultFileEnv();
    std::ostringstream out;
    auto sealed = seal::SealBid(params_, out);
    EXPECT_TRUE(sealed.ok()) << sealed.status();
    header_hash_ = sealed->header_hash;
    file_ = out.str();
  }

  // Feeds file_ in pieces of `step` bytes; returns the first error.
  absl::Status FeedAll(bid::HeaderScan& scan, size_t step) {
    for (size_t at = 0; at < file_.size(); at += step)
      if (absl::Status st = scan.Feed(absl::string_view(file_).substr(at, step)); !st.ok())
        return st;
    return absl::OkStatus();
  }

  seal::SealParams params_;
  std::string file_;
  std::string header_hash_;
};

TEST_F(HeaderScanTest, TheHeaderIsCheckedWhateverTheChunking) {
  for (size_t step : {1, 7, 21, 4096, 1 << 20}) {
    bid::HeaderScan scan("T-1", params_.lot, "fp-bidder");
    ASSERT_TRUE(FeedAll(scan, step).ok()) << step;
    ASSERT_TRUE(scan.done()) << step;
    EXPECT_EQ(scan.header_hash(), header_hash_) << step;
  }
}

TEST_F(HeaderScanTest, NotYetDoneInsideTheHeader) {
  bid::HeaderScan scan("T-1", params_.lot, "fp-bidder");
  ASSERT_TRUE(scan.Feed(absl::string_view(file_).substr(0, 30)).ok());
  EXPECT_FALSE(scan.done());
}

TEST_F(HeaderScanTest, AFileThatIsNotASealedBidIsRefusedAtItsFirstBytes) {
  bid::HeaderScan scan("T-1", params_.lot, "fp-bidder");
  EXPECT_TRUE(StatusIs(scan.Feed("%PDF-1.7 this is a plain document"),
                       absl::StatusCode::kInvalidArgument, {"sealed bid"}));
}

TEST_F(HeaderScanTest, AnImpossibleHeaderLengthIsRefused) {
  std::string bad = file_.substr(0, 17) + std::string("\xff\xff\xff\xff", 4);
  bid::HeaderScan scan("T-1", params_.lot, "fp-bidder");
  EXPECT_TRUE(StatusIs(scan.Feed(bad), absl::StatusCode::kInvalidArgument,
                       {"header length", "outside 1..65536"}));
}

// A file cut or extended after sealing is refused at its first chunk: its
// declared size is not the length its header commits to.
TEST_F(HeaderScanTest, ADeclaredSizeOtherThanTheHeadersIsRefusedNamingBoth) {
  const uint64_t size = file_.size();
  bid::HeaderScan exact("T-1", params_.lot, "fp-bidder", size);
  EXPECT_TRUE(FeedAll(exact, 4096).ok());
  for (uint64_t wrong : {size - 1, size + 1}) {
    bid::HeaderScan scan("T-1", params_.lot, "fp-bidder", wrong);
    EXPECT_TRUE(StatusIs(scan.Feed(absl::string_view(file_).substr(0, 4096)),
                         absl::StatusCode::kInvalidArgument,
                         {"sealed bid: size: the file is", absl::StrCat(wrong, " bytes"),
                          absl::StrCat("makes it ", size, " bytes"), "seal the bid again"}));
  }
}

TEST_F(HeaderScanTest, AFileSealedForAnotherLotOrBidderFailsItsPrecondition) {
  v1::Lot other_lot = params_.lot;
  other_lot.set_number(2);
  bid::HeaderScan wrong_lot("T-1", other_lot, "fp-bidder");
  EXPECT_TRUE(StatusIs(FeedAll(wrong_lot, 4096), absl::StatusCode::kFailedPrecondition, {"lot"}));
  bid::HeaderScan wrong_bidder("T-1", params_.lot, "fp-someone-else");
  EXPECT_TRUE(
      StatusIs(FeedAll(wrong_bidder, 4096), absl::StatusCode::kFailedPrecondition, {"bidder"}));
  bid::HeaderScan wrong_tender("T-2", params_.lot, "fp-bidder");
  EXPECT_TRUE(
      StatusIs(FeedAll(wrong_tender, 4096), absl::StatusCode::kFailedPrecondition, {"tender"}));
}

}  // namespace
}  // namespace bidopen::testing
