// AES-256-GCM, HKDF-SHA256, X25519 shared secrets and random bytes, against published
// known answers (McGrew–Viega GCM spec, RFC 5869, RFC 7748).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "core/crypto/aead.h"
#include "core/crypto/kdf.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "tests/unit/assertions.h"

namespace bidopen::crypto {
namespace {

using ::bidopen::testing::StatusIs;

std::string H(absl::string_view hex) { return absl::HexStringToBytes(hex); }

// Bytes lo, lo+1, ..., hi-1.
std::string Range(int lo, int hi) {
  std::string out;
  for (int b = lo; b < hi; ++b) out.push_back(static_cast<char>(b));
  return out;
}

// --- AES-256-GCM ---

struct GcmCase {
  const char* name;
  std::string key, nonce, plaintext, ad, ciphertext_hex, tag_hex;
};

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 13-16 (256-bit key).
std::vector<GcmCase> GcmSpecCases() {
  const std::string k15 = H("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  const std::string iv15 = H("cafebabefacedbaddecaf888");
  const std::string p15 =
      H("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255");
  return {
      {"13", std::string(32, '\0'), std::string(12, '\0'), "", "", "",
       "530f8afbc74536b9a963b4f1c4cb738b"},
      {"14", std::string(32, '\0'), std::string(12, '\0'), std::string(16, '\0'), "",
       "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
      {"15", k15, iv15, p15, "",
       "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
       "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
       "b094dac5d93471bdec1a502270e3cc6c"},
      {"16", k15, iv15, p15.substr(0, 60), H("feedfacedeadbeeffeedfacedeadbeefabaddad2"),
       "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
       "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
       "76fc6ece0f4e1768cddf8853bb2d551b"},
  };
}

TEST(AesGcmTest, McGrewViegaTestCases13To16Seal) {
  for (const GcmCase& c : GcmSpecCases()) {
    auto sealed = AesGcmSeal(c.key, c.nonce, c.ad, c.plaintext);
    ASSERT_TRUE(sealed.ok()) << c.name << ": " << sealed.status();
    EXPECT_EQ(Hex(*sealed), std::string(c.ciphertext_hex) + c.tag_hex) << "test case " << c.name;
  }
}

TEST(AesGcmTest, McGrewViegaTestCases13To16Open) {
  for (const GcmCase& c : GcmSpecCases()) {
    auto opened = AesGcmOpen(c.key, c.nonce, c.ad, H(c.ciphertext_hex + c.tag_hex));
    ASSERT_TRUE(opened.ok()) << c.name << ": " << opened.status();
    EXPECT_EQ(Hex(*opened), Hex(c.plaintext)) << "test case " << c.name;
  }
}

TEST(AesGcmTest, RoundTripsAtManySizes) {
  const std::string key = RandomBytes(kAesKeySize);
  const std::string nonce = RandomBytes(kGcmNonceSize);
  for (size_t size : {0u, 1u, 15u, 16u, 17u, 255u, 4096u, 65537u}) {
    const std::string plaintext = RandomBytes(size);
    auto sealed = AesGcmSeal(key, nonce, "header", plaintext);
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    EXPECT_EQ(sealed->size(), size + kGcmTagSize);
    if (size >= 16) {
      EXPECT_NE(sealed->substr(0, size), plaintext);
    }
    auto opened = AesGcmOpen(key, nonce, "header", *sealed);
    ASSERT_TRUE(opened.ok()) << size << ": " << opened.status();
    EXPECT_EQ(*opened, plaintext) << size;
  }
}

TEST(AesGcmTest, ToVariantsAppendAndMatchTheOthers) {
  const std::string key = RandomBytes(kAesKeySize);
  const std::string nonce = RandomBytes(kGcmNonceSize);
  auto sealed = AesGcmSeal(key, nonce, "ad", "chunk of a bid");
  ASSERT_TRUE(sealed.ok()) << sealed.status();

  std::string out = "prefix";
  ASSERT_TRUE(AesGcmSealTo(key, nonce, "ad", "chunk of a bid", &out).ok());
  EXPECT_EQ(out, "prefix" + *sealed);

  std::string plain = "earlier chunks|";
  ASSERT_TRUE(AesGcmOpenTo(key, nonce, "ad", *sealed, &plain).ok());
  EXPECT_EQ(plain, "earlier chunks|chunk of a bid");
}

TEST(AesGcmTest, OneSealerForManyNoncesMatchesSealingEachAlone) {
  const std::string key = RandomBytes(kAesKeySize);
  auto sealer = AesGcmSealer::Create(key);
  ASSERT_TRUE(sealer.ok()) << sealer.status();
  for (size_t size : {0, 1, 16, 1000, 65536}) {
    const std::string nonce = RandomBytes(kGcmNonceSize);
    const std::string plaintext = RandomBytes(size);
    std::string out(size + kGcmTagSize, '\0');
    ASSERT_TRUE(sealer->SealInto(nonce, "header hash", plaintext, out.data()).ok()) << size;
    EXPECT_EQ(out, *AesGcmSeal(key, nonce, "header hash", plaintext)) << size;
  }
  std::string out(kGcmTagSize, '\0');
  EXPECT_TRUE(StatusIs(sealer->SealInto("short", "", "", out.data()),
                       absl::StatusCode::kInvalidArgument, {"nonce must be 12 bytes"}));
  EXPECT_TRUE(StatusIs(AesGcmSealer::Create("short").status(), absl::StatusCode::kInvalidArgument,
                       {"key must be 32 bytes"}));
}

class AesGcmTamperTest : public ::testing::Test {
 protected:
  const std::string key_ = RandomBytes(kAesKeySize);
  const std::string nonce_ = RandomBytes(kGcmNonceSize);
  const std::string ad_ = "tender 7 lot 2 chunk 0";
  const std::string plaintext_ = "bid price: 1,234,567.89 CNY";
  std::string sealed_ = *AesGcmSeal(key_, nonce_, ad_, plaintext_);

  static ::testing::AssertionResult AuthFails(const absl::StatusOr<std::string>& r) {
    return StatusIs(r, absl::StatusCode::kDataLoss, {"authentication failed"});
  }
};

TEST_F(AesGcmTamperTest, UntamperedOpens) {
  auto opened = AesGcmOpen(key_, nonce_, ad_, sealed_);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, plaintext_);
}

TEST_F(AesGcmTamperTest, EveryFlippedCiphertextOrTagBitFails) {
  ASSERT_EQ(sealed_.size(), plaintext_.size() + kGcmTagSize);
  for (size_t bit = 0; bit < sealed_.size() * 8; ++bit) {
    std::string altered = sealed_;
    altered[bit / 8] = static_cast<char>(altered[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_TRUE(AuthFails(AesGcmOpen(key_, nonce_, ad_, altered)))
        << "bit " << bit << (bit / 8 < plaintext_.size() ? " (ciphertext)" : " (tag)");
  }
}

TEST_F(AesGcmTamperTest, OtherAssociatedDataFails) {
  EXPECT_TRUE(AuthFails(AesGcmOpen(key_, nonce_, "tender 7 lot 2 chunk 1", sealed_)));
  EXPECT_TRUE(AuthFails(AesGcmOpen(key_, nonce_, "", sealed_)));
}

TEST_F(AesGcmTamperTest, OtherNonceFails) {
  std::string nonce = nonce_;
  nonce[11] = static_cast<char>(nonce[11] ^ 1);
  EXPECT_TRUE(AuthFails(AesGcmOpen(key_, nonce, ad_, sealed_)));
}

TEST_F(AesGcmTamperTest, OtherKeyFails) {
  std::string key = key_;
  key[0] = static_cast<char>(key[0] ^ 0x80);
  EXPECT_TRUE(AuthFails(AesGcmOpen(key, nonce_, ad_, sealed_)));
}

TEST_F(AesGcmTamperTest, TruncatedOrExtendedFails) {
  EXPECT_TRUE(AuthFails(AesGcmOpen(key_, nonce_, ad_, sealed_.substr(0, sealed_.size() - 1))));
  EXPECT_TRUE(AuthFails(AesGcmOpen(key_, nonce_, ad_, sealed_ + '\0')));
  EXPECT_TRUE(AuthFails(AesGcmOpen(key_, nonce_, ad_, sealed_.substr(1))));
  EXPECT_TRUE(AuthFails(AesGcmOpen(key_, nonce_, ad_, sealed_.substr(0, kGcmTagSize - 1))));
  EXPECT_TRUE(AuthFails(AesGcmOpen(key_, nonce_, ad_, "")));
}

TEST_F(AesGcmTamperTest, FailedOpenToLeavesOutputUntouched) {
  std::string altered = sealed_;
  altered[0] = static_cast<char>(altered[0] ^ 1);
  std::string out = "kept";
  EXPECT_EQ(AesGcmOpenTo(key_, nonce_, ad_, altered, &out).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(out, "kept");
}

TEST(AesGcmTest, WrongKeySizeIsInvalidArgument) {
  const std::string nonce(kGcmNonceSize, '\0');
  for (size_t size : {0u, 16u, 24u, 31u, 33u}) {
    const std::string key(size, 'k');
    const std::string got = "got " + std::to_string(size);
    EXPECT_TRUE(StatusIs(AesGcmSeal(key, nonce, "", "x"), absl::StatusCode::kInvalidArgument,
                         {"key must be 32 bytes", got}));
    EXPECT_TRUE(StatusIs(AesGcmOpen(key, nonce, "", std::string(17, 'x')),
                         absl::StatusCode::kInvalidArgument, {"key must be 32 bytes", got}));
    std::string out = "kept";
    EXPECT_EQ(AesGcmSealTo(key, nonce, "", "x", &out).code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(out, "kept");
  }
}

TEST(AesGcmTest, WrongNonceSizeIsInvalidArgument) {
  const std::string key(kAesKeySize, '\0');
  for (size_t size : {0u, 8u, 11u, 13u, 16u}) {
    const std::string nonce(size, 'n');
    const std::string got = "got " + std::to_string(size);
    EXPECT_TRUE(StatusIs(AesGcmSeal(key, nonce, "", "x"), absl::StatusCode::kInvalidArgument,
                         {"nonce must be 12 bytes", got}));
    EXPECT_TRUE(StatusIs(AesGcmOpen(key, nonce, "", std::string(17, 'x')),
                         absl::StatusCode::kInvalidArgument, {"nonce must be 12 bytes", got}));
  }
}

// --- HKDF-SHA256 (RFC 5869, appendix A) ---

TEST(HkdfSha256Test, Rfc5869TestCase1) {
  auto okm = HkdfSha256(std::string(22, '\x0b'), Range(0x00, 0x0d), Range(0xf0, 0xfa), 42);
  ASSERT_TRUE(okm.ok()) << okm.status();
  EXPECT_EQ(Hex(*okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(HkdfSha256Test, Rfc5869TestCase2LongInputs) {
  auto okm = HkdfSha256(Range(0x00, 0x50), Range(0x60, 0xb0), Range(0xb0, 0x100), 82);
  ASSERT_TRUE(okm.ok()) << okm.status();
  EXPECT_EQ(Hex(*okm),
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
            "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
            "cc30c58179ec3e87c14c01d5c1f3434f1d87");
}

TEST(HkdfSha256Test, Rfc5869TestCase3EmptySaltAndInfo) {
  auto okm = HkdfSha256(std::string(22, '\x0b'), "", "", 42);
  ASSERT_TRUE(okm.ok()) << okm.status();
  EXPECT_EQ(Hex(*okm),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(HkdfSha256Test, EmptyInputKeyMaterial) {
  // Computed independently with pyca/cryptography's HKDF.
  auto okm = HkdfSha256("", "salt", "info", 32);
  ASSERT_TRUE(okm.ok()) << okm.status();
  EXPECT_EQ(Hex(*okm), "7aac7b8120501c2c8e1ee50e6cde135361e99ceb9d8d406ac528b9e9175614c0");
}

TEST(HkdfSha256Test, OutputIsAPrefixOfALongerOutput) {
  auto short_okm = HkdfSha256("ikm", "salt", "info", 10);
  auto long_okm = HkdfSha256("ikm", "salt", "info", 255 * 32);
  ASSERT_TRUE(short_okm.ok() && long_okm.ok());
  EXPECT_EQ(long_okm->size(), 255u * 32);
  EXPECT_EQ(long_okm->substr(0, 10), *short_okm);
}

TEST(HkdfSha256Test, LengthOutOfRangeIsInvalidArgument) {
  EXPECT_TRUE(StatusIs(HkdfSha256("ikm", "", "", 0), absl::StatusCode::kInvalidArgument,
                       {"1..8160", "got 0"}));
  EXPECT_TRUE(StatusIs(HkdfSha256("ikm", "", "", 8161), absl::StatusCode::kInvalidArgument,
                       {"1..8160", "got 8161"}));
}

// --- X25519 shared secrets (RFC 7748 §6.1) ---

constexpr absl::string_view kAlicePrivate =
    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
constexpr absl::string_view kAlicePublic =
    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
constexpr absl::string_view kBobPrivate =
    "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
constexpr absl::string_view kBobPublic =
    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
constexpr absl::string_view kRfcShared =
    "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

TEST(X25519SharedTest, Rfc7748AliceWithBobsPublicKey) {
  auto shared = X25519Shared(H(kAlicePrivate), H(kBobPublic));
  ASSERT_TRUE(shared.ok()) << shared.status();
  EXPECT_EQ(Hex(*shared), kRfcShared);
}

TEST(X25519SharedTest, Rfc7748BobWithAlicesPublicKey) {
  auto shared = X25519Shared(H(kBobPrivate), H(kAlicePublic));
  ASSERT_TRUE(shared.ok()) << shared.status();
  EXPECT_EQ(Hex(*shared), kRfcShared);
}

TEST(X25519SharedTest, GeneratedPairsAgreeBothWays) {
  auto a = GenerateX25519();
  auto b = GenerateX25519();
  ASSERT_TRUE(a.ok() && b.ok());
  auto ab = X25519Shared(a->private_key, b->public_key);
  auto ba = X25519Shared(b->private_key, a->public_key);
  ASSERT_TRUE(ab.ok()) << ab.status();
  ASSERT_TRUE(ba.ok()) << ba.status();
  EXPECT_EQ(*ab, *ba);
  EXPECT_EQ(ab->size(), kX25519KeySize);
}

TEST(X25519SharedTest, LowOrderPeerKeysAreDataLoss) {
  // u = 0 and u = 1 are low-order points: every clamped scalar maps them to all-zero.
  std::string one(32, '\0');
  one[0] = 1;
  for (const std::string& peer : {std::string(32, '\0'), one}) {
    EXPECT_TRUE(StatusIs(X25519Shared(H(kAlicePrivate), peer), absl::StatusCode::kDataLoss,
                         {"all-zero", "low-order"}))
        << Hex(peer);
  }
}

TEST(X25519SharedTest, WrongSizesAreInvalidArgument) {
  EXPECT_TRUE(StatusIs(X25519Shared(std::string(31, '\x01'), H(kBobPublic)),
                       absl::StatusCode::kInvalidArgument, {"32 bytes", "got 31 and 32"}));
  EXPECT_TRUE(StatusIs(X25519Shared(H(kAlicePrivate), std::string(33, '\x01')),
                       absl::StatusCode::kInvalidArgument, {"32 bytes", "got 32 and 33"}));
  EXPECT_TRUE(StatusIs(X25519Shared("", ""), absl::StatusCode::kInvalidArgument, {"got 0 and 0"}));
}

// --- Random bytes ---

TEST(RandomBytesTest, HasTheAskedLengthAndDiffersEachCall) {
  EXPECT_EQ(RandomBytes(0), "");
  EXPECT_EQ(RandomBytes(1000).size(), 1000u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

}  // namespace
}  // namespace bidopen::crypto
