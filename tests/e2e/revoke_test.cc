// The platform operator revokes a certificate by an event in the log; its
// next call is refused, here and after a restart, and the log still verifies.
#include "absl/strings/match.h"
#include "core/crypto/certificate.h"
#include "tests/e2e/e2e_fixture.h"

namespace bidopen::testing {
namespace {

bool Has(const std::string& text, const std::string& part) { return absl::StrContains(text, part); }

class RevokeTest : public E2eTest {
 protected:
  std::string Fingerprint(const std::string& identity) const {
    return crypto::PartyFromPem(ReadWholeFile(Cert(identity)))->fingerprint();
  }
  CommandResult Revoke(const std::string& by, const std::string& fingerprint) {
    return Bidctl(by, {"identity", "revoke", fingerprint, "--reason", "key stolen 2026-12-04"});
  }
  std::string Bundle() const { return dir_.path() + "/all.json"; }
};

TEST_F(RevokeTest, ARevokedCertificateIsRefusedOnItsNextCall) {
  const std::string fp = Fingerprint("bidder1");
  ASSERT_EQ(Bidctl("bidder1", {"identity", "whoami"}).exit_code, 0);
  CommandResult revoked = Revoke("operator1", fp);
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_TRUE(Has(revoked.out, "revoked certificate " + fp)) << revoked.out;
  EXPECT_TRUE(Has(revoked.out, "by operator1 (bidopen Platform Operations)")) << revoked.out;

  CommandResult refused = Bidctl("bidder1", {"identity", "whoami"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(Has(refused.err, "UNAUTHENTICATED: certificate " + fp + " was revoked at 20"))
      << refused.err;
  EXPECT_TRUE(Has(refused.err,
                  "by operator operator1 of bidopen Platform Operations: key "
                  "stolen 2026-12-04"))
      << refused.err;
  EXPECT_EQ(Bidctl("bidder2", {"identity", "whoami"}).exit_code, 0);  // only that one
}

TEST_F(RevokeTest, ARevocationHoldsAfterARestartThatRebuildsTheQueryTables) {
  const std::string fp = Fingerprint("bidder1");
  ASSERT_EQ(Revoke("operator1", fp).exit_code, 0);
  Stop(server_, SIGTERM);
  Sql("UPDATE projection_state SET version = 0");  // the next start folds the log again
  StartServer();
  CommandResult refused = Bidctl("bidder1", {"tender", "list"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(Has(refused.err, "UNAUTHENTICATED: certificate " + fp + " was revoked"))
      << refused.err;
}

TEST_F(RevokeTest, OnlyAnOperatorRevokesOnceAndNotItsOwnCertificate) {
  const std::string fp = Fingerprint("bidder1");
  CommandResult agency = Revoke("agency1", fp);
  EXPECT_EQ(agency.exit_code, 1);
  EXPECT_TRUE(Has(agency.err, "PERMISSION_DENIED: role operator is needed to revoke a certificate"))
      << agency.err;
  CommandResult own = Revoke("operator1", Fingerprint("operator1"));
  EXPECT_EQ(own.exit_code, 1);
  EXPECT_TRUE(Has(own.err,
                  "FAILED_PRECONDITION: fingerprint: that is the certificate you are "
                  "calling with"))
      << own.err;
  CommandResult malformed = Revoke("operator1", "ABC");
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_TRUE(Has(malformed.err,
                  "INVALID_ARGUMENT: fingerprint: \"ABC\" is not a certificate "
                  "fingerprint (64 lower-case hex digits"))
      << malformed.err;
  ASSERT_EQ(Revoke("operator1", fp).exit_code, 0);
  CommandResult again = Revoke("operator1", fp);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(Has(again.err, "ALREADY_EXISTS: certificate " + fp + " was revoked already, at"))
      << again.err;
}

TEST_F(RevokeTest, TheLogWithARevocationStillVerifiesAndReplays) {
  CreateTender();
  ASSERT_EQ(Revoke("operator1", Fingerprint("bidder2")).exit_code, 0);
  CommandResult fetch = Bidctl("auditor1", {"audit", "fetch", "all", "-o", Bundle()});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  CommandResult verify = Bidctl("auditor1", {"audit", "verify", Bundle()});
  ASSERT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_TRUE(Has(verify.out, "OK: 2 events")) << verify.out;
  CommandResult replay = Bidctl("auditor1", {"audit", "replay", Bundle()});
  EXPECT_EQ(replay.exit_code, 0) << replay.err;
}

}  // namespace
}  // namespace bidopen::testing
