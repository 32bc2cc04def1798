// The platform operator revokes a certificate by an event in the log; its
// next call is refused, here and after a restart, and the log still verifies.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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

// Found by a try-out: the application role may delete a query-table row, and
// the revoked set used to be loaded from that table. It is the log's now.
TEST_F(RevokeTest, ADeletedQueryTableRowDoesNotUndoARevocation) {
  const std::string fp = Fingerprint("bidder1");
  ASSERT_EQ(Revoke("operator1", fp).exit_code, 0);
  Stop(server_, SIGTERM);
  Sql("DELETE FROM revoked_certificates");
  StartServer();
  CommandResult refused = Bidctl("bidder1", {"identity", "whoami"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(Has(refused.err, "UNAUTHENTICATED: certificate " + fp + " was revoked"))
      << refused.err;
  // Revoking again is still refused: no second event, so the log keeps folding.
  CommandResult again = Revoke("operator1", fp);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(Has(again.err, "ALREADY_EXISTS")) << again.err;
}

// Found by a try-out: a revoked custodian could still be named in a new
// lot, and bidders would wrap shares to its keys.
TEST_F(RevokeTest, ARevokedCustodianCannotBeNamedInANewLot) {
  for (const char* c : {"custodian1", "custodian2", "custodian3"})
    ASSERT_EQ(Bidctl(c, {"identity", "register-key"}).exit_code, 0) << c;
  const std::string fp = Fingerprint("custodian3");
  ASSERT_EQ(Revoke("operator1", fp).exit_code, 0);
  CommandResult r =
      Bidctl("agency1", {"tender", "create", "--title", "Roads", "--deadline", InDays(30),
                         "--field", "price:decimal:CNY", "--custodian", "Custodian One",
                         "--custodian", "Custodian Three", "--threshold", "2"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err,
                  "FAILED_PRECONDITION: lots[0].custodians[1]: the custodian's "
                  "certificate " +
                      fp + " was revoked at "))
      << r.err;
  EXPECT_TRUE(Has(r.err, "; name another custodian")) << r.err;
  // Without the revoked custodian the revocation check passes (the PKI has
  // no fourth custodian, and 2 of 2 is refused for another reason: n >= 2k - 1).
  CommandResult other =
      Bidctl("agency1", {"tender", "create", "--title", "Roads", "--deadline", InDays(30),
                         "--field", "price:decimal:CNY", "--custodian", "Custodian One",
                         "--custodian", "Custodian Two", "--threshold", "2"});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_FALSE(Has(other.err, "revoked")) << other.err;
  EXPECT_TRUE(Has(other.err, "2 of 2 custodians lets 1 custodian")) << other.err;
}

// openssl x509 -fingerprint -sha256 prints "SHA256 Fingerprint=F2:41:…".
TEST_F(RevokeTest, OpensslsFingerprintFormIsTaken) {
  const std::string fp = Fingerprint("bidder2");
  std::string colons;
  for (size_t i = 0; i < fp.size(); i += 2)
    absl::StrAppend(&colons, i == 0 ? "" : ":", absl::AsciiStrToUpper(fp.substr(i, 2)));
  CommandResult r = Revoke("operator1", "SHA256 Fingerprint=" + colons);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "revoked certificate " + fp)) << r.out;
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
