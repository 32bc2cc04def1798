// A tender with one lot an hour ahead, a sealed bid for it and a bidder with
// its certificate: BidApp through the real store with a fake clock.
#ifndef BIDOPEN_TESTS_PG_BID_APP_FIXTURE_H_
#define BIDOPEN_TESTS_PG_BID_APP_FIXTURE_H_

#include <fstream>
#include <optional>
#include <sstream>

#include "core/bid/receipt.h"
#include "core/bid/statement.h"
#include "core/crypto/certificate.h"
#include "core/crypto/kdf.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/crypto/x25519.h"
#include "core/opening/time_text.h"
#include "core/seal/seal_bid.h"
#include "platform/file_env.h"
#include "server/app/bid_app.h"
#include "server/app/tender_app.h"
#include "server/audit/head_signer.h"
#include "tests/pg/store_fixture.h"
#include "tests/support/process.h"

namespace bidopen::testing {

inline const absl::Duration kUntilDeadline = absl::Hours(1);

class BidAppTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    const std::string pki = RequireEnv("BIDOPEN_TEST_PKI");
    auto signer = audit::HeadSigner::Create("test-log", ReadWholeFile(pki + "/log.key"),
                                            ReadWholeFile(pki + "/log.crt"));
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_.emplace(*std::move(signer));
    ca_ = ReadWholeFile(pki + "/ca.crt");
    bidder_.cert_pem = ReadWholeFile(pki + "/bidder1.crt");
    bidder_.party = *crypto::PartyFromPem(bidder_.cert_pem);
    key_ = *crypto::PrivateKeyFromPem(ReadWholeFile(pki + "/bidder1.key"));
    tenders_ = std::make_unique<app::TenderApp>(*pool_, *log_);
    bids_ = std::make_unique<app::BidApp>(*pool_, *log_, *signer_,
                                          app::UploadLimits{uint64_t{1} << 30, uint64_t{1} << 40});
    tender_ = MakeTender();
    file_ = Seal();
  }

  v1::Tender MakeTender() {
    v1::CreateTenderRequest req;
    req.set_title("Road resurfacing");
    v1::LotSpec* lot = req.add_lots();
    lot->set_title("Section A");
    *lot->mutable_submission_deadline() = ToProto(clock_.Now() + kUntilDeadline);
    *lot->mutable_opening_time() = ToProto(clock_.Now() + kUntilDeadline);
    lot->set_policy(v1::OPENING_POLICY_BIDDER);
    v1::FormField* f = lot->add_form();
    f->set_name("price");
    f->set_type(v1::FIELD_TYPE_DECIMAL);
    v1::Party agency;
    agency.set_fingerprint("agency-fp");
    agency.set_role(v1::ROLE_AGENCY);
    auto t = tenders_->Create(agency, req);
    EXPECT_TRUE(t.ok()) << t.status();
    return *t;
  }

  std::string Seal() {
    const std::string doc = dir_.path() + "/offer.pdf";
    std::ofstream(doc, std::ios::binary) << std::string(300000, 'd');
    seal::SealParams p;
    p.tender_id = tender_.id();
    p.lot = tender_.lots(0);
    p.keys.bidder_fingerprint = bidder_.party.fingerprint();
    p.keys.bidder_public = crypto::GenerateX25519()->public_key;
    p.form = {{"price", "100.00"}};
    p.documents = {{"offer.pdf", doc}};
    p.env = &platform::DefaultFileEnv();
    std::ostringstream out;
    auto sealed = seal::SealBid(p, out);
    EXPECT_TRUE(sealed.ok()) << sealed.status();
    header_hash_ = sealed->header_hash;
    return out.str();
  }

  v1::UploadStart Start() const {
    v1::UploadStart start;
    start.set_tender_id(tender_.id());
    start.set_lot(1);
    start.set_size(file_.size());
    start.set_ciphertext_sha256(crypto::Sha256(file_));
    return start;
  }

  // Stores the file's first `n` bytes on a stream that then ends.
  void UploadFirst(size_t n) {
    auto up = bids_->Begin(bidder_, Start());
    ASSERT_TRUE(up.ok()) << up.status();
    v1::UploadChunk c;
    c.set_data(file_.substr(0, n));
    ASSERT_TRUE(bids_->Chunk(**up, c).ok());
  }

  // Uploads the whole file; returns the open upload, ready to commit.
  std::unique_ptr<app::Upload> Uploaded() {
    auto up = bids_->Begin(bidder_, Start());
    EXPECT_TRUE(up.ok()) << up.status();
    for (size_t at = 0; at < file_.size(); at += 65536) {
      v1::UploadChunk c;
      c.set_offset(at);
      c.set_data(file_.substr(at, 65536));
      EXPECT_TRUE(bids_->Chunk(**up, c).ok());
    }
    return *std::move(up);
  }

  v1::UploadCommit Commit() {
    v1::BidStatement s;
    s.set_purpose(std::string(bid::kSubmitPurpose));
    s.set_tender_id(tender_.id());
    s.set_lot(1);
    s.set_bidder(bidder_.party.fingerprint());
    s.set_header_sha256(header_hash_);
    s.set_ciphertext_sha256(crypto::Sha256(file_));
    s.set_size(file_.size());
    s.set_client_nonce(crypto::RandomBytes(bid::kClientNonceSize));
    v1::UploadCommit c;
    c.set_statement(bid::EncodeStatement(s));
    c.set_signature(*crypto::Sign(key_.get(), c.statement()));
    return c;
  }

  absl::Time Deadline() const { return FromProto(tender_.lots(0).spec().submission_deadline()); }

  TempDir dir_;
  std::optional<audit::HeadSigner> signer_;
  std::string ca_;
  app::Bidder bidder_;
  crypto::PkeyPtr key_;
  std::unique_ptr<app::TenderApp> tenders_;
  std::unique_ptr<app::BidApp> bids_;
  v1::Tender tender_;
  std::string file_;
  std::string header_hash_;
};

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_PG_BID_APP_FIXTURE_H_
