// SHA-256, X25519 and the party a client certificate names.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "core/crypto/certificate.h"
#include "core/crypto/ossl.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "tests/unit/assertions.h"

namespace bidopen::crypto {
namespace {

using ::bidopen::testing::StatusIs;

TEST(Sha256Test, KnownAnswerForAbc) {
  // FIPS 180-2, appendix B.1.
  const std::string digest = Sha256("abc");
  EXPECT_EQ(digest.size(), 32u);
  EXPECT_EQ(Hex(digest), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, KnownAnswerForEmptyInput) {
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HexTest, LowerCaseTwoDigitsPerByte) {
  EXPECT_EQ(Hex(std::string("\x00\x0f\xa0\xff", 4)), "000fa0ff");
  EXPECT_EQ(Hex(""), "");
}

TEST(X25519Test, GeneratedPairIs32BytesAndConsistent) {
  auto pair = GenerateX25519();
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(pair->private_key.size(), kX25519KeySize);
  EXPECT_EQ(pair->public_key.size(), kX25519KeySize);
  auto pub = X25519PublicFromPrivate(pair->private_key);
  ASSERT_TRUE(pub.ok()) << pub.status();
  EXPECT_EQ(*pub, pair->public_key);
}

TEST(X25519Test, TwoGeneratedPairsDiffer) {
  auto a = GenerateX25519();
  auto b = GenerateX25519();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->private_key, b->private_key);
  EXPECT_NE(a->public_key, b->public_key);
}

TEST(X25519Test, Rfc7748AlicePublicKey) {
  // RFC 7748 §6.1.
  const std::string alice_private =
      absl::HexStringToBytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  auto pub = X25519PublicFromPrivate(alice_private);
  ASSERT_TRUE(pub.ok()) << pub.status();
  EXPECT_EQ(Hex(*pub), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
}

TEST(X25519Test, Rfc7748BobPublicKey) {
  const std::string bob_private =
      absl::HexStringToBytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  auto pub = X25519PublicFromPrivate(bob_private);
  ASSERT_TRUE(pub.ok()) << pub.status();
  EXPECT_EQ(Hex(*pub), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
}

TEST(X25519Test, WrongLengthPrivateKeyIsRefused) {
  EXPECT_TRUE(StatusIs(X25519PublicFromPrivate(std::string(31, '\x01')),
                       absl::StatusCode::kInvalidArgument, {"must be 32 bytes, got 31"}));
  EXPECT_TRUE(StatusIs(X25519PublicFromPrivate(""), absl::StatusCode::kInvalidArgument,
                       {"must be 32 bytes, got 0"}));
}

// --- Certificates, made here with the OpenSSL C API. ---

using X509NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;

struct TestCert {
  std::string pem;
  std::string der;
};

using Entries = std::vector<std::pair<const char*, std::string>>;

// A self-signed EC P-256 certificate whose subject has `entries`, in order (UTF-8).
TestCert MakeCertWith(const Entries& entries) {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  EXPECT_TRUE(key != nullptr);
  X509Ptr cert(X509_new());
  EXPECT_TRUE(cert != nullptr);
  if (!key || !cert) return {};
  EXPECT_EQ(X509_set_version(cert.get(), X509_VERSION_3), 1);
  EXPECT_EQ(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1), 1);
  EXPECT_NE(X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0), nullptr);
  EXPECT_NE(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600), nullptr);
  EXPECT_EQ(X509_set_pubkey(cert.get(), key.get()), 1);

  X509NamePtr name(X509_NAME_new());
  for (const auto& [field, v] : entries) {
    EXPECT_EQ(
        X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(v.c_str()), -1, -1, 0),
        1)
        << field;
  }
  EXPECT_EQ(X509_set_subject_name(cert.get(), name.get()), 1);
  EXPECT_EQ(X509_set_issuer_name(cert.get(), name.get()), 1);
  EXPECT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);

  TestCert out;
  BioPtr bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(PEM_write_bio_X509(bio.get(), cert.get()), 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  out.pem.assign(data, static_cast<size_t>(len));

  int der_len = i2d_X509(cert.get(), nullptr);
  EXPECT_GT(der_len, 0);
  out.der.resize(static_cast<size_t>(der_len));
  auto* p = reinterpret_cast<unsigned char*>(out.der.data());
  EXPECT_EQ(i2d_X509(cert.get(), &p), der_len);
  return out;
}

// A self-signed EC P-256 certificate for O=`org`, OU=`ou`, CN=`cn` (UTF-8).
TestCert MakeCert(absl::string_view org, absl::string_view ou, absl::string_view cn) {
  return MakeCertWith({{"O", std::string(org)}, {"OU", std::string(ou)}, {"CN", std::string(cn)}});
}

// SHA-256 in hex through EVP_Digest, independently of Sha256/Hex.
std::string EvpSha256Hex(absl::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr), 1);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(md), static_cast<size_t>(len)));
}

TEST(PartyFromPemTest, BidderCertificateNamesTheParty) {
  const TestCert cert = MakeCert("Acme", "bidder", "alice");
  ASSERT_TRUE(absl::StartsWith(cert.pem, "-----BEGIN CERTIFICATE-----"));
  auto party = PartyFromPem(cert.pem);
  ASSERT_TRUE(party.ok()) << party.status();
  EXPECT_EQ(party->organization(), "Acme");
  EXPECT_EQ(party->common_name(), "alice");
  EXPECT_EQ(party->role(), v1::ROLE_BIDDER);
  EXPECT_EQ(party->fingerprint().size(), 64u);
  EXPECT_EQ(party->fingerprint().find_first_not_of("0123456789abcdef"), std::string::npos)
      << party->fingerprint();
  EXPECT_EQ(party->fingerprint(), EvpSha256Hex(cert.der));
}

TEST(PartyFromPemTest, EveryRoleNameIsRecognised) {
  const std::pair<const char*, v1::Role> roles[] = {{"agency", v1::ROLE_AGENCY},
                                                    {"custodian", v1::ROLE_CUSTODIAN},
                                                    {"supervisor", v1::ROLE_SUPERVISOR},
                                                    {"auditor", v1::ROLE_AUDITOR}};
  for (const auto& [ou, role] : roles) {
    auto party = PartyFromPem(MakeCert("City Works Bureau", ou, "someone").pem);
    ASSERT_TRUE(party.ok()) << ou << ": " << party.status();
    EXPECT_EQ(party->role(), role) << ou;
  }
}

TEST(PartyFromPemTest, Utf8NamesAreKept) {
  auto party = PartyFromPem(MakeCert("市政工程局", "agency", "张三").pem);
  ASSERT_TRUE(party.ok()) << party.status();
  EXPECT_EQ(party->organization(), "市政工程局");
  EXPECT_EQ(party->common_name(), "张三");
}

TEST(PartyFromPemTest, DifferentCertificatesHaveDifferentFingerprints) {
  auto a = PartyFromPem(MakeCert("Acme", "bidder", "alice").pem);
  auto b = PartyFromPem(MakeCert("Acme", "bidder", "alice").pem);  // a new key
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->fingerprint(), b->fingerprint());
}

TEST(PartyFromPemTest, UnknownRoleIsUnauthenticated) {
  EXPECT_TRUE(StatusIs(PartyFromPem(MakeCert("Acme", "janitor", "bob").pem),
                       absl::StatusCode::kUnauthenticated,
                       {"OU \"janitor\"", "not a bidopen role"}));
}

// Issue 10: the role came from the first OU (OU=auditor, OU=agency was an
// auditor); a certificate naming two roles, or no party, is refused.
TEST(PartyFromPemTest, TwoRolesOrAMissingOrEmptyNameIsUnauthenticated) {
  EXPECT_TRUE(StatusIs(
      PartyFromPem(
          MakeCertWith({{"O", "Acme"}, {"OU", "auditor"}, {"OU", "agency"}, {"CN", "eve"}}).pem),
      absl::StatusCode::kUnauthenticated, {"2 OU entries", "exactly one O, one CN and one OU"}));
  EXPECT_TRUE(StatusIs(PartyFromPem(MakeCertWith({{"OU", "bidder"}, {"CN", "eve"}}).pem),
                       absl::StatusCode::kUnauthenticated, {"0 O entries"}));
  // (An empty O or CN is refused too; OpenSSL will not even make one.)
  EXPECT_TRUE(StatusIs(PartyFromPem(MakeCertWith({{"O", "Acme"}, {"OU", "bidder"}}).pem),
                       absl::StatusCode::kUnauthenticated, {"0 CN entries"}));
  EXPECT_TRUE(StatusIs(
      PartyFromPem(MakeCertWith({{"O", "Acme"}, {"OU", "bidder"}, {"CN", "a"}, {"CN", "b"}}).pem),
      absl::StatusCode::kUnauthenticated, {"2 CN entries"}));
}

TEST(PartyFromPemTest, GarbageIsUnauthenticated) {
  EXPECT_TRUE(StatusIs(PartyFromPem("-----BEGIN CERTIFICATE-----\nnot base64\n"),
                       absl::StatusCode::kUnauthenticated, {"does not parse"}));
  EXPECT_TRUE(StatusIs(PartyFromPem(""), absl::StatusCode::kUnauthenticated, {"does not parse"}));
}

}  // namespace
}  // namespace bidopen::crypto
