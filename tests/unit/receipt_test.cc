// Receipts checked with only the CA: the log key's signature, the event they
// record, the bid it replaces or withdraws, and the bidder's own signature.
#include "core/bid/receipt.h"

#include <gtest/gtest.h>

#include "core/bid/statement.h"
#include "core/crypto/certificate.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/opening/time_text.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen::testing {
namespace {

// A bidder's key and certificate from a CA.
struct Bidder {
  crypto::PkeyPtr key;
  std::string cert_pem;
  std::string fingerprint;
};

class ReceiptTest : public ::testing::Test {
 protected:
  ReceiptTest() : pki_(MakeLogPki()), ca_key_(NewP256Key()) {
    ca_ = MakeCertificate(ca_key_.get(), kTestCaName, nullptr, ca_key_.get(), true, 1);
    pki_.ca_pem = PemOf(ca_.get());
    crypto::X509Ptr log_cert =
        MakeCertificate(pki_.key.get(), "bidopen log", ca_.get(), ca_key_.get(), false, 2, "",
                        ::bidopen::testing::kLogSigningUsage);
    pki_.cert_pem = PemOf(log_cert.get());
    bidder_ = MakeBidder(ca_.get(), ca_key_.get(), 3);
    statement_.set_purpose(std::string(bid::kSubmitPurpose));
    statement_.set_tender_id("T-0000000001");
    statement_.set_lot(2);
    statement_.set_bidder(bidder_.fingerprint);
    statement_.set_header_sha256(std::string(32, 'h'));
    statement_.set_ciphertext_sha256(std::string(32, 'c'));
    statement_.set_size(5000);
    statement_.set_client_nonce(std::string(16, 'r'));
  }

  // A certificate with OU `role` (bidopen's roles come from the OU).
  static Bidder MakeBidder(X509* ca, EVP_PKEY* ca_key, long serial, const char* role = "bidder") {
    Bidder b;
    b.key = NewP256Key();
    crypto::X509Ptr cert = MakeCertificate(b.key.get(), "bidder", ca, ca_key, false, serial, role);
    b.cert_pem = PemOf(cert.get());
    b.fingerprint = crypto::PartyFromPem(b.cert_pem)->fingerprint();
    return b;
  }

  v1::Event SubmittedEvent(const std::string& statement_bytes, std::optional<uint64_t> replaces) {
    v1::Event e;
    e.set_seq(7);
    *e.mutable_time() = ToProto(absl::FromUnixSeconds(1800000000));
    e.set_tender_id("T-0000000001");
    e.set_tender_prev(4);
    v1::BidSubmitted* b = e.mutable_bid_submitted();
    b->set_lot(2);
    b->set_bidder_commitment(bid::BidderCommitment(statement_.bidder(), nonce_));
    b->set_statement_sha256(crypto::Sha256(statement_bytes));
    b->set_size(5000);
    if (replaces) b->set_replaces(*replaces);
    return e;
  }

  v1::Receipt Sign(const v1::ReceiptBody& body) {
    v1::Receipt r;
    r.set_body(bid::EncodeReceiptBody(body));
    r.set_server_signature(*crypto::Sign(pki_.key.get(), bid::ReceiptSigningInput(r.body())));
    r.set_log_certificate_pem(pki_.cert_pem);
    return r;
  }

  // A submission receipt; the event replaces `replaces`.
  v1::ReceiptBody Body(std::optional<uint64_t> replaces = std::nullopt,
                       const Bidder* signer = nullptr) {
    const std::string bytes = bid::EncodeStatement(statement_);
    const Bidder& who = signer ? *signer : bidder_;
    bid::ReceiptInput in{v1::RECEIPT_KIND_SUBMITTED, bytes, *crypto::Sign(who.key.get(), bytes),
                         who.cert_pem, nonce_};
    return bid::MakeReceiptBody(in, SubmittedEvent(bytes, replaces), "test-log");
  }

  LogPki pki_;
  crypto::PkeyPtr ca_key_;
  crypto::X509Ptr ca_;
  Bidder bidder_;
  v1::BidStatement statement_;
  std::string nonce_ = std::string(16, 'n');
};

TEST_F(ReceiptTest, AReceiptTheLogKeyAndTheBidderSignedVerifies) {
  auto v = bid::VerifyReceipt(Sign(Body()), pki_.ca_pem);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->body.seq(), 7u);
  EXPECT_EQ(v->statement.lot(), 2);
  EXPECT_EQ(v->event.tender_id(), "T-0000000001");
}

TEST_F(ReceiptTest, AReplacementVerifiesWhenTheStatementNamesTheSameBid) {
  statement_.set_bid_seq(3);
  EXPECT_TRUE(bid::VerifyReceipt(Sign(Body(3)), pki_.ca_pem).ok());
}

TEST_F(ReceiptTest, AnEventThatReplacesAnotherBidThanTheSignedOneIsDataLoss) {
  statement_.set_bid_seq(3);
  const char* why = "the event replaces another bid than the bidder's statement names";
  EXPECT_TRUE(StatusIs(bid::VerifyReceipt(Sign(Body(4)), pki_.ca_pem).status(),
                       absl::StatusCode::kDataLoss, {why}));
  EXPECT_TRUE(StatusIs(bid::VerifyReceipt(Sign(Body()), pki_.ca_pem).status(),
                       absl::StatusCode::kDataLoss, {why}));
  statement_.clear_bid_seq();  // signed as a first bid, logged as a replacement
  EXPECT_TRUE(StatusIs(bid::VerifyReceipt(Sign(Body(3)), pki_.ca_pem).status(),
                       absl::StatusCode::kDataLoss, {why}));
}

TEST_F(ReceiptTest, TheBiddersSignatureIsChecked) {
  v1::ReceiptBody forged = Body();
  forged.mutable_statement_signature()->back() ^= 1;
  EXPECT_TRUE(StatusIs(bid::VerifyReceipt(Sign(forged), pki_.ca_pem).status(),
                       absl::StatusCode::kDataLoss,
                       {"the bidder's signature over the statement does not verify"}));
  v1::ReceiptBody missing = Body();
  missing.clear_bidder_certificate_pem();
  EXPECT_TRUE(StatusIs(bid::VerifyReceipt(Sign(missing), pki_.ca_pem).status(),
                       absl::StatusCode::kDataLoss, {"no bidder certificate"}));
}

TEST_F(ReceiptTest, ABidderCertificateOfAnotherPartyOrCaIsDataLoss) {
  const Bidder other = MakeBidder(ca_.get(), ca_key_.get(), 9);
  EXPECT_TRUE(StatusIs(bid::VerifyReceipt(Sign(Body(std::nullopt, &other)), pki_.ca_pem).status(),
                       absl::StatusCode::kDataLoss,
                       {"the bidder certificate is not the statement's bidder"}));
  crypto::PkeyPtr foreign_key = NewP256Key();
  crypto::X509Ptr foreign =
      MakeCertificate(foreign_key.get(), kTestCaName, nullptr, foreign_key.get(), true, 1);
  const Bidder stranger = MakeBidder(foreign.get(), foreign_key.get(), 3);
  statement_.set_bidder(stranger.fingerprint);
  EXPECT_TRUE(
      StatusIs(bid::VerifyReceipt(Sign(Body(std::nullopt, &stranger)), pki_.ca_pem).status(),
               absl::StatusCode::kDataLoss, {"bidder certificate"}));
}

TEST_F(ReceiptTest, AStatementSignedByACertificateThatIsNoBiddersIsDataLoss) {
  const Bidder agency = MakeBidder(ca_.get(), ca_key_.get(), 10, "agency");
  statement_.set_bidder(agency.fingerprint);
  EXPECT_TRUE(StatusIs(bid::VerifyReceipt(Sign(Body(std::nullopt, &agency)), pki_.ca_pem).status(),
                       absl::StatusCode::kDataLoss, {"the bidder certificate is not a bidder's"}));
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

TEST_F(ReceiptTest, AWithdrawalReceiptVerifiesOnlyForTheBidItsStatementNames) {
  statement_.set_purpose(std::string(bid::kWithdrawPurpose));
  statement_.set_bid_seq(3);
  const std::string bytes = bid::EncodeStatement(statement_);
  for (uint64_t withdraws : {3, 4}) {
    v1::Event e = SubmittedEvent(bytes, std::nullopt);
    e.mutable_bid_withdrawn()->set_lot(2);
    e.mutable_bid_withdrawn()->set_withdraws(withdraws);
    e.mutable_bid_withdrawn()->set_statement_sha256(crypto::Sha256(bytes));
    bid::ReceiptInput in{v1::RECEIPT_KIND_WITHDRAWN, bytes, *crypto::Sign(bidder_.key.get(), bytes),
                         bidder_.cert_pem, ""};
    auto v = bid::VerifyReceipt(Sign(bid::MakeReceiptBody(in, e, "test-log")), pki_.ca_pem);
    if (withdraws == 3) {
      ASSERT_TRUE(v.ok()) << v.status();
      EXPECT_EQ(v->event.bid_withdrawn().withdraws(), 3u);
    } else {
      EXPECT_TRUE(StatusIs(v.status(), absl::StatusCode::kDataLoss,
                           {"the event withdraws another bid than the bidder's statement names"}));
    }
  }
}

// --- Statements ------------------------------------------------------------

class StatementRulesTest : public ReceiptTest {};

TEST_F(StatementRulesTest, ANonceOfAnotherSizeIsRefused) {
  statement_.set_client_nonce("short");
  EXPECT_TRUE(InvalidField(bid::DecodeStatement(bid::EncodeStatement(statement_),
                                                bid::kSubmitPurpose, "commit.statement")
                               .status(),
                           "commit.statement.client_nonce", {"5 bytes", "16 fresh random bytes"}));
}

TEST_F(StatementRulesTest, AWithdrawalMustNameItsBid) {
  statement_.set_purpose(std::string(bid::kWithdrawPurpose));
  EXPECT_TRUE(InvalidField(
      bid::DecodeStatement(bid::EncodeStatement(statement_), bid::kWithdrawPurpose, "statement")
          .status(),
      "statement.bid_seq", {"required"}));
}

TEST_F(StatementRulesTest, AnOlderStatementPurposeIsRefused) {
  statement_.set_purpose("bidopen/submit/v1");
  EXPECT_TRUE(InvalidField(bid::DecodeStatement(bid::EncodeStatement(statement_),
                                                bid::kSubmitPurpose, "commit.statement")
                               .status(),
                           "commit.statement.purpose", {"bidopen/submit/v1", "bidopen/submit/v2"}));
}

TEST_F(StatementRulesTest, TheStatementMustNameTheLiveBid) {
  EXPECT_TRUE(bid::CheckStatementNamesLiveBid(statement_, std::nullopt, "s").ok());
  EXPECT_TRUE(StatusIs(bid::CheckStatementNamesLiveBid(statement_, 9, "commit.statement"),
                       absl::StatusCode::kFailedPrecondition,
                       {"commit.statement.bid_seq: the statement replaces no bid",
                        "your live bid in lot 2 is at log index 9", "sign a new statement"}));
  statement_.set_bid_seq(5);
  EXPECT_TRUE(bid::CheckStatementNamesLiveBid(statement_, 5, "s").ok());
  EXPECT_TRUE(StatusIs(bid::CheckStatementNamesLiveBid(statement_, std::nullopt, "s"),
                       absl::StatusCode::kFailedPrecondition,
                       {"replaces your bid at log index 5", "you have no live bid in lot 2"}));
  statement_.set_purpose(std::string(bid::kWithdrawPurpose));
  EXPECT_TRUE(StatusIs(bid::CheckStatementNamesLiveBid(statement_, 9, "statement"),
                       absl::StatusCode::kFailedPrecondition,
                       {"withdraws your bid at log index 5", "is at log index 9"}));
}

}  // namespace
}  // namespace bidopen::testing
