// bidopend refuses to start with a log certificate that could serve TLS (or
// lacks the "bidopen log signing" usage): a TLS certificate cannot sign heads.
#include "absl/strings/match.h"
#include "tests/e2e/e2e_fixture.h"

namespace bidopen::testing {
namespace {

class LogCertTest : public E2eTest {
 protected:
  void SetUp() override {}  // no server: each test starts its own

  CommandResult StartWithLogCert(const std::string& name) {
    CommandResult migrated =
        RunCommand({BIDOPEND_PATH, "--migrate-only", "--database", db_.owner_conninfo()});
    EXPECT_EQ(migrated.exit_code, 0) << migrated.err;
    return RunCommand(
        {BIDOPEND_PATH, "--listen", "127.0.0.1:0", "--tls-cert", pki_ + "/server.crt", "--tls-key",
         pki_ + "/server.key", "--client-ca", pki_ + "/ca.crt", "--log-key",
         pki_ + "/" + name + ".key", "--log-cert", pki_ + "/" + name + ".crt", "--release-key",
         pki_ + "/release.key", "--database", db_.app_conninfo()},
        {});
  }
};

TEST_F(LogCertTest, ATlsServerCertificateAsTheLogCertificateStopsTheStart) {
  CommandResult r = StartWithLogCert("server");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(r.err,
                                "bidopend: --log-cert: the log certificate allows "
                                "serverAuth, so it could serve TLS"))
      << r.err;
}

TEST_F(LogCertTest, AClientCertificateAsTheLogCertificateStopsTheStart) {
  CommandResult r = StartWithLogCert("auditor1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(r.err, "allows clientAuth")) << r.err;
}

}  // namespace
}  // namespace bidopen::testing
