// The log certificate must carry "bidopen log signing" and no TLS usage
// (bidopend refuses to start otherwise; bidctl refuses its heads and receipts).
#include "core/crypto/log_certificate.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "core/log/bundle.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen {
namespace {

using ::bidopen::testing::MakeCertificate;
using ::bidopen::testing::NewP256Key;
using ::bidopen::testing::PemOf;
using ::bidopen::testing::StatusIs;

// A CA and a log key certified by it with extended key usage `eku`.
testing::LogPki LogPkiWith(absl::string_view eku) {
  crypto::PkeyPtr ca_key = NewP256Key();
  crypto::X509Ptr ca = MakeCertificate(ca_key.get(), "CA", nullptr, ca_key.get(), true, 1);
  testing::LogPki pki;
  pki.key = NewP256Key();
  pki.ca_pem = PemOf(ca.get());
  pki.cert_pem =
      PemOf(MakeCertificate(pki.key.get(), "bidopen log", ca.get(), ca_key.get(), false, 2, "", eku)
                .get());
  return pki;
}

std::string LogCertificate(absl::string_view eku) { return LogPkiWith(eku).cert_pem; }

TEST(LogCertificateTest, TheLogSigningUsageAloneIsAccepted) {
  EXPECT_TRUE(crypto::CheckLogSigningUsage(LogCertificate(testing::kLogSigningUsage)).ok());
  EXPECT_TRUE(crypto::CheckLogSigningUsage(
                  LogCertificate(absl::StrCat(crypto::kLogSigningOid, ",codeSigning")))
                  .ok());
}

TEST(LogCertificateTest, NoUsageOrATlsUsageIsRefusedNamingIt) {
  EXPECT_TRUE(StatusIs(crypto::CheckLogSigningUsage(LogCertificate("")),
                       absl::StatusCode::kFailedPrecondition,
                       {"lacks bidopen log signing (2.25.1785"}));
  EXPECT_TRUE(StatusIs(crypto::CheckLogSigningUsage(LogCertificate("codeSigning")),
                       absl::StatusCode::kFailedPrecondition, {"lacks bidopen log signing"}));
  for (const char* tls : {"serverAuth", "clientAuth", "anyExtendedKeyUsage"})
    EXPECT_TRUE(StatusIs(crypto::CheckLogSigningUsage(
                             LogCertificate(absl::StrCat(testing::kLogSigningUsage, ",", tls))),
                         absl::StatusCode::kFailedPrecondition,
                         {absl::StrCat("allows ", tls, ", so it could serve TLS")}));
}

TEST(LogCertificateTest, AHeadSignedWithATlsCertificateIsRefused) {
  const log::Checkpoint c{"o", 0, {}, absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()))};
  testing::LogPki good = LogPkiWith(testing::kLogSigningUsage);
  EXPECT_TRUE(log::VerifyHead(testing::SignCheckpoint(good, c), good.ca_pem).ok());
  testing::LogPki tls = LogPkiWith("critical,serverAuth");
  EXPECT_TRUE(StatusIs(log::VerifyHead(testing::SignCheckpoint(tls, c), tls.ca_pem),
                       absl::StatusCode::kDataLoss,
                       {"tree head: log certificate: the log certificate allows serverAuth"}));
}

}  // namespace
}  // namespace bidopen
