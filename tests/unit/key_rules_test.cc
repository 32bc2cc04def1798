// DecideKeyRegistration: which events a key registration appends, and its
// refusals, including the custodian's signature over each per-lot key.
#include "core/opening/key_rules.h"

#include <gtest/gtest.h>

#include "core/crypto/kdf.h"
#include "core/crypto/signature.h"
#include "core/crypto/x25519.h"
#include "core/seal/lot_key.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen {
namespace {

using ::bidopen::testing::InvalidField;
using ::bidopen::testing::StatusIs;

v1::Party Custodian() {
  v1::Party p;
  p.set_fingerprint(std::string(64, 'c'));
  p.set_role(v1::ROLE_CUSTODIAN);
  return p;
}

class KeyRulesTest : public ::testing::Test {
 protected:
  KeyRulesTest()
      : key_(::bidopen::testing::NewP256Key()),
        cert_(::bidopen::testing::PemOf(::bidopen::testing::MakeCertificate(
                                            key_.get(), "custodian", nullptr, key_.get(), false, 7)
                                            .get())) {}

  // `lot_keys` fresh X25519 keys, each signed by the custodian's key.
  v1::RegisterKeyRequest Request(int lot_keys) {
    v1::RegisterKeyRequest r;
    r.set_x25519_public_key(std::string(32, 'k'));
    for (int i = 0; i < lot_keys; ++i) AddSigned(&r, crypto::GenerateX25519()->public_key);
    return r;
  }
  void AddSigned(v1::RegisterKeyRequest* r, const std::string& key) {
    r->add_lot_keys(key);
    *r->add_lot_key_signatures() =
        *crypto::Sign(key_.get(), seal::LotKeySigningInput(Custodian().fingerprint(), key));
  }
  absl::StatusOr<std::vector<v1::Event>> Decide(
      const v1::RegisterKeyRequest& r, const v1::Party& actor = Custodian(),
      const std::optional<v1::RegisteredKey>& existing = std::nullopt) {
    return DecideKeyRegistration(r, actor, cert_, existing);
  }

  crypto::PkeyPtr key_;
  std::string cert_;
};

TEST_F(KeyRulesTest, ANewKeyAndLotKeysAreTwoEventsAndTheSameKeyNone) {
  auto first = Decide(Request(2));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_TRUE((*first)[0].has_key_registered());
  const v1::LotKeysRegistered& lot = (*first)[1].lot_keys_registered();
  EXPECT_EQ(lot.public_keys_size(), 2);
  EXPECT_EQ(lot.signatures_size(), 2);
  EXPECT_EQ(lot.certificate_pem(), cert_);
  v1::RegisteredKey existing;
  existing.set_x25519_public_key(std::string(32, 'k'));
  auto again = Decide(Request(0), Custodian(), existing);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_F(KeyRulesTest, BadLotKeysAreRefusedNamingTheKey) {
  v1::RegisterKeyRequest shorter = Request(1);
  shorter.set_lot_keys(0, "short");
  EXPECT_TRUE(InvalidField(Decide(shorter).status(), "lot_keys[0]", {"must be 32 bytes, got 5"}));
  EXPECT_TRUE(
      InvalidField(Decide(Request(101)).status(), "lot_keys", {"101 keys; at most 100 per call"}));
  v1::RegisterKeyRequest twice = Request(1);
  AddSigned(&twice, twice.lot_keys(0));
  EXPECT_TRUE(InvalidField(Decide(twice).status(), "lot_keys[1]", {"registered before"}));
  v1::Party bidder = Custodian();
  bidder.set_role(v1::ROLE_BIDDER);
  EXPECT_TRUE(StatusIs(Decide(Request(1), bidder), absl::StatusCode::kPermissionDenied,
                       {"only custodians"}));
}

// A low-order point would make every seal for the lot fail (and two shares
// on one point read as one); a non-canonical u is another encoding of a key.
TEST_F(KeyRulesTest, LowOrderAndNonCanonicalLotKeysAreRefused) {
  std::string zero(32, '\0'), one(32, '\0'), p(32, '\xff');
  one[0] = 1;
  p[0] = '\xed';
  p[31] = '\x7f';  // 2^255 - 19 itself
  for (const std::string& key : {zero, one}) {
    v1::RegisterKeyRequest r = Request(0);
    AddSigned(&r, key);
    EXPECT_TRUE(InvalidField(Decide(r).status(), "lot_keys[0]", {"is a low-order X25519 point"}));
  }
  std::string top_bit(32, '\x11');
  top_bit[31] = '\x91';
  for (const std::string& key : {p, top_bit}) {
    v1::RegisterKeyRequest r = Request(0);
    AddSigned(&r, key);
    EXPECT_TRUE(InvalidField(Decide(r).status(), "lot_keys[0]", {"is not a canonical X25519"}));
  }
}

// u = 2 lies on the twist: a custodian registering it could never release a
// matching private key (a withholding fixed in advance). u = 9 is the base point.
TEST_F(KeyRulesTest, ALotKeyOnTheTwistIsRefused) {
  std::string twist(32, '\0'), base(32, '\0');
  twist[0] = 2;
  base[0] = 9;
  v1::RegisterKeyRequest r = Request(0);
  AddSigned(&r, twist);
  EXPECT_TRUE(InvalidField(Decide(r).status(), "lot_keys[0]", {"is not on Curve25519", "twist"}));
  v1::RegisterKeyRequest ok = Request(0);
  AddSigned(&ok, base);
  EXPECT_TRUE(Decide(ok).ok()) << Decide(ok).status();
  for (int i = 0; i < 20; ++i) {  // every real public key passes
    v1::RegisterKeyRequest real = Request(1);
    EXPECT_TRUE(Decide(real).ok()) << Decide(real).status();
  }
}

TEST_F(KeyRulesTest, EveryLotKeyMustBeSignedByTheCallersCertificate) {
  v1::RegisterKeyRequest unsigned_keys = Request(2);
  unsigned_keys.clear_lot_key_signatures();
  EXPECT_TRUE(InvalidField(Decide(unsigned_keys).status(), "lot_key_signatures",
                           {"0 signatures for 2 lot_keys"}));
  v1::RegisterKeyRequest swapped = Request(2);
  swapped.mutable_lot_key_signatures()->SwapElements(0, 1);
  EXPECT_TRUE(InvalidField(Decide(swapped).status(), "lot_key_signatures[0]",
                           {"not the custodian's over this key", "the certificate you called"}));
  crypto::PkeyPtr other = ::bidopen::testing::NewP256Key();
  v1::RegisterKeyRequest foreign = Request(0);
  const std::string k = crypto::GenerateX25519()->public_key;
  foreign.add_lot_keys(k);
  *foreign.add_lot_key_signatures() =
      *crypto::Sign(other.get(), seal::LotKeySigningInput(Custodian().fingerprint(), k));
  EXPECT_TRUE(InvalidField(Decide(foreign).status(), "lot_key_signatures[0]",
                           {"not the custodian's over this key"}));
}

}  // namespace
}  // namespace bidopen
