// The revealed statement's signature (CheckRevealSignature): by the revealed
// certificate, which the platform CA issued with the revealed fingerprint.
// An auditor with the CA runs it on every BidRevealed (the fold cannot: it
// has no CA).
#include <gtest/gtest.h>

#include <string>

#include "absl/time/clock.h"
#include "core/crypto/certificate.h"
#include "core/crypto/signature.h"
#include "core/opening/reveal_check.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen {
namespace {

using ::bidopen::testing::StatusIs;

struct Issued {
  std::string pem;
  crypto::PkeyPtr key;
};

class RevealSignatureTest : public ::testing::Test {
 protected:
  RevealSignatureTest() : ca_key_(testing::NewP256Key()) {
    ca_ = testing::MakeCertificate(ca_key_.get(), testing::kTestCaName, nullptr, ca_key_.get(),
                                   /*is_ca=*/true, 1);
  }

  Issued Bidder(long serial, X509* ca, EVP_PKEY* ca_key) {
    Issued out{"", testing::NewP256Key()};
    crypto::X509Ptr cert = testing::MakeCertificate(out.key.get(), "Builder One", ca, ca_key,
                                                    /*is_ca=*/false, serial, "bidder");
    out.pem = testing::PemOf(cert.get());
    return out;
  }

  // A reveal of bid 5 by `cert`, its statement signed with `key`.
  static v1::BidRevealed Reveal(const Issued& cert, EVP_PKEY* key) {
    v1::BidRevealed r;
    r.set_lot(1);
    r.set_bid(5);
    auto party = crypto::PartyFromPem(cert.pem);
    EXPECT_TRUE(party.ok()) << party.status();
    if (party.ok()) *r.mutable_bidder() = *party;
    r.set_statement("the statement bytes");
    auto sig = crypto::Sign(key, r.statement());
    EXPECT_TRUE(sig.ok()) << sig.status();
    if (sig.ok()) r.set_statement_signature(*sig);
    r.set_bidder_certificate_pem(cert.pem);
    return r;
  }

  std::string CaPem() const { return testing::PemOf(ca_.get()); }

  crypto::PkeyPtr ca_key_;
  crypto::X509Ptr ca_;
};

TEST_F(RevealSignatureTest, TheBiddersSignatureByItsCertificateFromTheCaChecks) {
  const Issued bidder = Bidder(2, ca_.get(), ca_key_.get());
  EXPECT_TRUE(CheckRevealSignature(Reveal(bidder, bidder.key.get()), CaPem(), absl::Now()).ok());
}

// The certificate is checked as it was when the statement was signed (its
// BidSubmitted time), so an audit years later, after it expired, still
// verifies; a time outside its validity is refused.
TEST_F(RevealSignatureTest, TheCertificateIsCheckedAsItWasWhenTheStatementWasSigned) {
  const Issued bidder = Bidder(2, ca_.get(), ca_key_.get());  // valid 10 years back, 5 ahead
  const v1::BidRevealed r = Reveal(bidder, bidder.key.get());
  EXPECT_TRUE(CheckRevealSignature(r, CaPem(), absl::Now() + absl::Hours(4 * 365 * 24)).ok());
  EXPECT_TRUE(StatusIs(CheckRevealSignature(r, CaPem(), absl::Now() + absl::Hours(6 * 365 * 24)),
                       absl::StatusCode::kDataLoss,
                       {"bid 5: the revealed certificate: ", "expired"}));
  EXPECT_TRUE(StatusIs(CheckRevealSignature(r, CaPem(), absl::Now() - absl::Hours(11 * 365 * 24)),
                       absl::StatusCode::kDataLoss, {"not yet valid"}));
}

TEST_F(RevealSignatureTest, ACertificateFromAnotherCaIsRefused) {
  crypto::PkeyPtr other_key = testing::NewP256Key();
  crypto::X509Ptr other = testing::MakeCertificate(other_key.get(), testing::kTestCaName, nullptr,
                                                   other_key.get(), /*is_ca=*/true, 1);
  const Issued forged = Bidder(2, other.get(), other_key.get());
  EXPECT_TRUE(StatusIs(CheckRevealSignature(Reveal(forged, forged.key.get()), CaPem(), absl::Now()),
                       absl::StatusCode::kDataLoss, {"bid 5: the revealed certificate: "}));
}

TEST_F(RevealSignatureTest, AnotherBiddersCertificateIsRefused) {
  const Issued bidder = Bidder(2, ca_.get(), ca_key_.get());
  const Issued other = Bidder(3, ca_.get(), ca_key_.get());
  v1::BidRevealed r = Reveal(bidder, bidder.key.get());
  r.set_bidder_certificate_pem(other.pem);
  r.set_statement_signature(*crypto::Sign(other.key.get(), r.statement()));
  EXPECT_TRUE(StatusIs(CheckRevealSignature(r, CaPem(), absl::Now()), absl::StatusCode::kDataLoss,
                       {"bid 5: the revealed certificate is not the revealed bidder's"}));
}

TEST_F(RevealSignatureTest, ASignatureByAnotherKeyOrOverOtherBytesIsRefused) {
  const Issued bidder = Bidder(2, ca_.get(), ca_key_.get());
  crypto::PkeyPtr stranger = testing::NewP256Key();
  EXPECT_TRUE(StatusIs(CheckRevealSignature(Reveal(bidder, stranger.get()), CaPem(), absl::Now()),
                       absl::StatusCode::kDataLoss, {"bid 5: the statement's signature: "}));
  v1::BidRevealed changed = Reveal(bidder, bidder.key.get());
  changed.set_statement("other statement bytes");
  EXPECT_TRUE(StatusIs(CheckRevealSignature(changed, CaPem(), absl::Now()),
                       absl::StatusCode::kDataLoss, {"bid 5: the statement's signature: "}));
}

}  // namespace
}  // namespace bidopen
