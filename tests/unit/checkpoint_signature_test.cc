// Checkpoint text (format and parse) and ECDSA P-256 signatures, keys and
// certificates (core/log/checkpoint.h, core/crypto/signature.h).
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "core/crypto/signature.h"
#include "core/log/checkpoint.h"
#include "core/log/merkle.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen {
namespace {

using ::bidopen::testing::StatusIs;
using log::Checkpoint;
using log::FormatCheckpoint;
using log::ParseCheckpoint;

Checkpoint SampleCheckpoint() {
  Checkpoint c;
  c.origin = "test-log";
  c.size = 42;
  for (size_t i = 0; i < c.root.size(); ++i) c.root[i] = static_cast<uint8_t>(i * 7 + 1);
  c.time = absl::FromUnixSeconds(1'790'000'000) + absl::Nanoseconds(259'139'094);
  return c;
}

// The four lines of SampleCheckpoint(), with their newlines.
std::string SampleText() { return FormatCheckpoint(SampleCheckpoint()); }

// --- FormatCheckpoint / ParseCheckpoint ---

TEST(CheckpointTest, FormatHasFourLinesInTheC2spShape) {
  const Checkpoint c = SampleCheckpoint();
  const std::string root(reinterpret_cast<const char*>(c.root.data()), c.root.size());
  EXPECT_EQ(FormatCheckpoint(c), absl::StrCat("test-log\n42\n", absl::Base64Escape(root),
                                              "\ntime 2026-09-21T14:13:20.259139094Z\n"));
}

TEST(CheckpointTest, RoundTripKeepsEveryField) {
  const Checkpoint c = SampleCheckpoint();
  auto parsed = ParseCheckpoint(FormatCheckpoint(c));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->origin, "test-log");
  EXPECT_EQ(parsed->size, 42u);
  EXPECT_EQ(parsed->root, c.root);
  EXPECT_EQ(parsed->time, c.time);
  EXPECT_EQ(absl::ToUnixNanos(parsed->time) % 1'000'000'000, 259'139'094);
}

TEST(CheckpointTest, RoundTripOfEmptyTreeAndWholeSeconds) {
  Checkpoint c;
  c.origin = "bidopen";
  c.size = 0;
  c.root = log::EmptyRoot();
  c.time = absl::FromUnixSeconds(0);
  const std::string text = FormatCheckpoint(c);
  EXPECT_TRUE(absl::StrContains(text, "time 1970-01-01T00:00:00.000000000Z\n")) << text;
  auto parsed = ParseCheckpoint(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->size, 0u);
  EXPECT_EQ(parsed->root, log::EmptyRoot());
  EXPECT_EQ(parsed->time, c.time);
}

TEST(CheckpointTest, LargeSizeRoundTrips) {
  Checkpoint c = SampleCheckpoint();
  c.size = 18'446'744'073'709'551'615u;
  auto parsed = ParseCheckpoint(FormatCheckpoint(c));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->size, c.size);
}

TEST(CheckpointTest, ThreeLinesAreRefused) {
  const std::string text = SampleText();
  const std::string three = text.substr(0, text.find("time "));  // origin, size, root
  EXPECT_TRUE(
      StatusIs(ParseCheckpoint(three), absl::StatusCode::kInvalidArgument, {"expected 4 lines"}));
}

TEST(CheckpointTest, MissingFinalNewlineIsRefused) {
  std::string text = SampleText();
  text.pop_back();
  EXPECT_TRUE(StatusIs(ParseCheckpoint(text), absl::StatusCode::kInvalidArgument,
                       {"expected 4 lines", "ending in a newline"}));
}

TEST(CheckpointTest, ExtraLineIsRefused) {
  EXPECT_TRUE(StatusIs(ParseCheckpoint(SampleText() + "extra\n"),
                       absl::StatusCode::kInvalidArgument, {"expected 4 lines"}));
}

TEST(CheckpointTest, EmptyOriginNamesLine1) {
  const std::string text = SampleText().substr(std::string("test-log").size());
  EXPECT_TRUE(StatusIs(ParseCheckpoint(text), absl::StatusCode::kInvalidArgument,
                       {"checkpoint line 1:", "empty origin"}));
}

TEST(CheckpointTest, NonNumericSizeNamesLine2) {
  const std::string text = absl::StrReplaceAll(SampleText(), {{"\n42\n", "\nforty-two\n"}});
  EXPECT_TRUE(StatusIs(ParseCheckpoint(text), absl::StatusCode::kInvalidArgument,
                       {"checkpoint line 2:", "not a number"}));
}

TEST(CheckpointTest, NegativeSizeNamesLine2) {
  const std::string text = absl::StrReplaceAll(SampleText(), {{"\n42\n", "\n-42\n"}});
  EXPECT_TRUE(
      StatusIs(ParseCheckpoint(text), absl::StatusCode::kInvalidArgument, {"checkpoint line 2:"}));
}

TEST(CheckpointTest, NonBase64RootNamesLine3) {
  const std::string text =
      absl::StrCat("test-log\n42\n!!not base64!!\ntime ", "2026-09-21T14:13:20.259139094Z\n");
  EXPECT_TRUE(StatusIs(ParseCheckpoint(text), absl::StatusCode::kInvalidArgument,
                       {"checkpoint line 3:", "not base64"}));
}

TEST(CheckpointTest, ShortRootNamesLine3) {
  const std::string text =
      absl::StrCat("test-log\n42\n", absl::Base64Escape(std::string(31, '\x5a')),
                   "\ntime 2026-09-21T14:13:20.259139094Z\n");
  EXPECT_TRUE(StatusIs(ParseCheckpoint(text), absl::StatusCode::kInvalidArgument,
                       {"checkpoint line 3:", "32 bytes, got 31"}));
}

TEST(CheckpointTest, MissingTimePrefixNamesLine4) {
  const std::string text = absl::StrReplaceAll(SampleText(), {{"\ntime ", "\n"}});
  EXPECT_TRUE(StatusIs(ParseCheckpoint(text), absl::StatusCode::kInvalidArgument,
                       {"checkpoint line 4:", "time"}));
}

TEST(CheckpointTest, UnparsableTimeNamesLine4) {
  const std::string text =
      absl::StrReplaceAll(SampleText(), {{"2026-09-21T14:13:20.259139094Z", "yesterday"}});
  EXPECT_TRUE(
      StatusIs(ParseCheckpoint(text), absl::StatusCode::kInvalidArgument, {"checkpoint line 4:"}));
}

// --- Signatures, keys and certificates ---

class SignatureTest : public ::testing::Test {
 protected:
  testing::LogPki pki_ = testing::MakeLogPki();
  const std::string message_ = SampleText();
};

TEST_F(SignatureTest, SignThenVerify) {
  auto sig = crypto::Sign(pki_.key.get(), message_);
  ASSERT_TRUE(sig.ok()) << sig.status();
  EXPECT_FALSE(sig->empty());
  EXPECT_EQ(static_cast<unsigned char>((*sig)[0]), 0x30);  // a DER SEQUENCE
  EXPECT_TRUE(crypto::VerifySignature(pki_.cert_pem, message_, *sig).ok());
}

TEST_F(SignatureTest, FlippedMessageByteIsDataLoss) {
  auto sig = crypto::Sign(pki_.key.get(), message_);
  ASSERT_TRUE(sig.ok()) << sig.status();
  std::string edited = message_;
  edited[10] ^= 0x01;
  EXPECT_TRUE(StatusIs(crypto::VerifySignature(pki_.cert_pem, edited, *sig),
                       absl::StatusCode::kDataLoss, {"signature does not verify"}));
}

TEST_F(SignatureTest, FlippedSignatureByteIsDataLoss) {
  auto sig = crypto::Sign(pki_.key.get(), message_);
  ASSERT_TRUE(sig.ok()) << sig.status();
  std::string edited = *sig;
  edited[edited.size() - 1] ^= 0x01;  // inside the S integer: still DER
  EXPECT_TRUE(StatusIs(crypto::VerifySignature(pki_.cert_pem, message_, edited),
                       absl::StatusCode::kDataLoss, {"signature does not verify"}));
  edited = *sig;
  edited[0] ^= 0x01;  // no longer DER
  EXPECT_TRUE(StatusIs(crypto::VerifySignature(pki_.cert_pem, message_, edited),
                       absl::StatusCode::kDataLoss, {"signature does not verify"}));
  EXPECT_TRUE(StatusIs(crypto::VerifySignature(pki_.cert_pem, message_, ""),
                       absl::StatusCode::kDataLoss, {"signature does not verify"}));
}

TEST_F(SignatureTest, SignatureOfAnotherKeyIsDataLoss) {
  testing::LogPki other = testing::MakeLogPki();
  auto sig = crypto::Sign(other.key.get(), message_);
  ASSERT_TRUE(sig.ok()) << sig.status();
  EXPECT_TRUE(StatusIs(crypto::VerifySignature(pki_.cert_pem, message_, *sig),
                       absl::StatusCode::kDataLoss, {"signature does not verify"}));
}

TEST_F(SignatureTest, VerifyWithGarbageCertificateIsInvalidArgument) {
  auto sig = crypto::Sign(pki_.key.get(), message_);
  ASSERT_TRUE(sig.ok()) << sig.status();
  EXPECT_TRUE(StatusIs(crypto::VerifySignature("not a certificate", message_, *sig),
                       absl::StatusCode::kInvalidArgument, {"does not parse"}));
}

TEST_F(SignatureTest, LogCertificateIsIssuedByItsCa) {
  EXPECT_TRUE(crypto::VerifyIssuedBy(pki_.cert_pem, pki_.ca_pem).ok());
  EXPECT_TRUE(crypto::VerifyIssuedBy(pki_.ca_pem, pki_.ca_pem).ok());  // the CA itself
}

TEST_F(SignatureTest, CertificateFromAnotherCaIsDataLoss) {
  // Same CA name, another CA key: only the issuing signature tells them apart.
  testing::LogPki other = testing::MakeLogPki();
  EXPECT_TRUE(StatusIs(crypto::VerifyIssuedBy(other.cert_pem, pki_.ca_pem),
                       absl::StatusCode::kDataLoss, {"not issued by the given CA"}));
  EXPECT_TRUE(StatusIs(crypto::VerifyIssuedBy(pki_.cert_pem, other.ca_pem),
                       absl::StatusCode::kDataLoss, {"not issued by the given CA"}));
}

TEST_F(SignatureTest, VerifyIssuedByRefusesGarbage) {
  EXPECT_TRUE(StatusIs(crypto::VerifyIssuedBy("garbage", pki_.ca_pem),
                       absl::StatusCode::kInvalidArgument, {"certificate does not parse"}));
  EXPECT_TRUE(StatusIs(crypto::VerifyIssuedBy(pki_.cert_pem, "garbage"),
                       absl::StatusCode::kInvalidArgument, {"CA certificate does not parse"}));
}

TEST_F(SignatureTest, KeyMatchesItsCertificateOnly) {
  EXPECT_TRUE(crypto::KeyMatchesCertificate(pki_.key.get(), pki_.cert_pem).ok());
  testing::LogPki other = testing::MakeLogPki();
  EXPECT_TRUE(StatusIs(crypto::KeyMatchesCertificate(other.key.get(), pki_.cert_pem),
                       absl::StatusCode::kInvalidArgument, {"does not belong"}));
  EXPECT_TRUE(StatusIs(crypto::KeyMatchesCertificate(pki_.key.get(), pki_.ca_pem),
                       absl::StatusCode::kInvalidArgument, {"does not belong"}));
}

TEST_F(SignatureTest, PrivateKeyFromPemRoundTrips) {
  auto key = crypto::PrivateKeyFromPem(pki_.key_pem);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(crypto::KeyMatchesCertificate(key->get(), pki_.cert_pem).ok());
  auto sig = crypto::Sign(key->get(), message_);
  ASSERT_TRUE(sig.ok()) << sig.status();
  EXPECT_TRUE(crypto::VerifySignature(pki_.cert_pem, message_, *sig).ok());
}

TEST_F(SignatureTest, PrivateKeyFromGarbageIsAnError) {
  auto key = crypto::PrivateKeyFromPem("-----BEGIN PRIVATE KEY-----\nnot a key\n");
  EXPECT_FALSE(key.ok());
  EXPECT_TRUE(absl::StrContains(key.status().message(), "private key does not parse"))
      << key.status();
  EXPECT_FALSE(crypto::PrivateKeyFromPem("").ok());
  EXPECT_FALSE(crypto::PrivateKeyFromPem(pki_.cert_pem).ok());  // a certificate, not a key
}

}  // namespace
}  // namespace bidopen
