// Custodian-signed per-lot keys (seal/lot_key.h): the signing input against
// tests/vectors/lot_key_vector.txt (which the Python check reproduces), the
// key checks, and what a bidder checks before sealing to a lot's keys.
#include "core/seal/lot_key.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "core/crypto/certificate.h"
#include "core/crypto/sha256.h"
#include "core/crypto/signature.h"
#include "core/crypto/x25519.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen::seal {
namespace {

using ::bidopen::testing::MakeCertificate;
using ::bidopen::testing::NewP256Key;
using ::bidopen::testing::PemOf;
using ::bidopen::testing::StatusIs;

std::map<std::string, std::string> LotKeyVector() {
  std::ifstream in(BIDOPEN_SOURCE_DIR "/tests/vectors/lot_key_vector.txt");
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> parts = absl::StrSplit(line, ' ');
    if (parts.size() == 2 && parts[0] != "vector") out[parts[0]] = parts[1];
  }
  return out;
}

TEST(LotKeyTest, TheSigningInputIsTheVectors) {
  auto v = LotKeyVector();
  ASSERT_EQ(v.count("signing_input"), 1u);
  const std::string pub =
      *crypto::X25519PublicFromPrivate(absl::HexStringToBytes(v["private_key"]));
  EXPECT_EQ(crypto::Hex(pub), v["public_key"]);
  EXPECT_EQ(crypto::Hex(LotKeySigningInput(absl::HexStringToBytes(v["fingerprint"]), pub)),
            v["signing_input"]);
}

// A CA, custodians it issued, and a lot naming them with their signed keys.
class SignedLotTest : public ::testing::Test {
 protected:
  SignedLotTest() : ca_key_(NewP256Key()) {
    ca_ = MakeCertificate(ca_key_.get(), "test CA", nullptr, ca_key_.get(), true, 1);
    for (int i = 0; i < 3; ++i) AddCustodian(i, "custodian");
  }

  void AddCustodian(int i, const char* role) {
    keys_.push_back(NewP256Key());
    certs_.push_back(PemOf(MakeCertificate(keys_.back().get(), "custodian", ca_.get(),
                                           ca_key_.get(), false, 10 + i, role)
                               .get()));
    const std::string fp = crypto::PartyFromPem(certs_.back())->fingerprint();
    const std::string key = crypto::GenerateX25519()->public_key;
    spec_.add_custodians(fp);
    spec_.add_custodian_keys(key);
    *spec_.add_custodian_key_signatures() =
        *crypto::Sign(keys_.back().get(), LotKeySigningInput(fp, key));
    spec_.add_custodian_certificates(certs_.back());
  }
  absl::Status Check() const { return CheckLotKeysSigned(spec_, PemOf(ca_.get())); }

  crypto::PkeyPtr ca_key_;
  crypto::X509Ptr ca_;
  std::vector<crypto::PkeyPtr> keys_;
  std::vector<std::string> certs_;
  v1::LotSpec spec_;
};

TEST_F(SignedLotTest, KeysSignedByTheLotsCustodiansPass) { EXPECT_TRUE(Check().ok()) << Check(); }

// The operator serves the keys: one it minted has no custodian's signature.
TEST_F(SignedLotTest, AKeyTheServerSwappedInIsRefusedNamingTheCustodian) {
  spec_.set_custodian_keys(1, crypto::GenerateX25519()->public_key);
  EXPECT_TRUE(StatusIs(Check(), absl::StatusCode::kFailedPrecondition,
                       {"custodian_keys[1] of custodian " + spec_.custodians(1),
                        "not the custodian's over this key", "nothing was sealed"}));
}

TEST_F(SignedLotTest, AnUnsignedKeyIsRefused) {
  spec_.set_custodian_key_signatures(2, "");
  EXPECT_TRUE(StatusIs(Check(), absl::StatusCode::kFailedPrecondition,
                       {"custodian_keys[2]", "not signed by its custodian"}));
  spec_.clear_custodian_key_signatures();
  EXPECT_TRUE(StatusIs(Check(), absl::StatusCode::kFailedPrecondition,
                       {"3 custodians but has 3 keys, 0 key signatures"}));
}

// The operator signs a key with a certificate of its own: from another CA,
// for another party, or not a custodian's.
TEST_F(SignedLotTest, TheSigningCertificateMustBeTheNamedCustodiansFromTheCa) {
  crypto::PkeyPtr other_ca_key = NewP256Key();
  crypto::X509Ptr other_ca =
      MakeCertificate(other_ca_key.get(), "test CA", nullptr, other_ca_key.get(), true, 1);
  v1::LotSpec good = spec_;
  spec_.set_custodian_certificates(
      0, PemOf(MakeCertificate(keys_[0].get(), "custodian", other_ca.get(), other_ca_key.get(),
                               false, 10, "custodian")
                   .get()));
  EXPECT_TRUE(StatusIs(Check(), absl::StatusCode::kFailedPrecondition,
                       {"custodian_keys[0]", "its certificate:"}));
  spec_ = good;
  spec_.set_custodian_certificates(0, certs_[1]);
  EXPECT_TRUE(StatusIs(Check(), absl::StatusCode::kFailedPrecondition,
                       {"custodian_keys[0]", "its certificate is " + spec_.custodians(1)}));
  spec_ = good;
  AddCustodian(3, "bidder");
  EXPECT_TRUE(StatusIs(Check(), absl::StatusCode::kFailedPrecondition,
                       {"custodian_keys[3]", "not a custodian's"}));
}

TEST_F(SignedLotTest, TwoCustodiansOnOneKeyAreRefused) {
  spec_.set_custodian_keys(2, spec_.custodian_keys(0));
  *spec_.mutable_custodian_key_signatures(2) = *crypto::Sign(
      keys_[2].get(), LotKeySigningInput(spec_.custodians(2), spec_.custodian_keys(0)));
  EXPECT_TRUE(StatusIs(Check(), absl::StatusCode::kFailedPrecondition,
                       {"custodian_keys[2]", "another custodian of the lot has the same key"}));
}

}  // namespace
}  // namespace bidopen::seal
