// Only mutual TLS with a certificate from the configured CA gets in; the
// role in the certificate decides what the caller may do.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "bidopen/v1/identity.grpc.pb.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace bidopen::testing {
namespace {

grpc::Status WhoAmI(const std::shared_ptr<grpc::ChannelCredentials>& creds,
                    const std::string& server) {
  auto stub = v1::IdentityService::NewStub(grpc::CreateChannel(server, creds));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::Party out;
  return stub->WhoAmI(&ctx, {}, &out);
}

TEST_F(E2eTest, PlaintextConnectionIsRefused) {
  grpc::Status st = WhoAmI(grpc::InsecureChannelCredentials(), server());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
}

TEST_F(E2eTest, TlsWithoutClientCertificateIsUnauthenticated) {
  grpc::SslCredentialsOptions opts;
  opts.pem_root_certs = ReadWholeFile(pki_ + "/ca.crt");
  grpc::Status st = WhoAmI(grpc::SslCredentials(opts), server());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(st.error_message().find("no client certificate"), std::string::npos)
      << st.error_message();
}

TEST_F(E2eTest, CertificateFromAnotherCaIsRefused) {
  CommandResult r = Bidctl("foreignbidder", {"identity", "whoami"}, foreign_pki_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("UNAVAILABLE"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("issued by the server's CA"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(E2eTest, WhoAmIShowsTheCertificatesParty) {
  CommandResult r = Bidctl("bidder1", {"identity", "whoami"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Alpha Construction Co"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bidder"), std::string::npos) << r.out;
}

TEST_F(E2eTest, BidderCannotCreateATender) {
  CommandResult r =
      Bidctl("bidder1", {"tender", "create", "--title", "x", "--deadline", "2031-01-10 09:30",
                         "--field", "price:decimal", "--policy", "BIDDER"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("PERMISSION_DENIED: role agency is needed to create a tender"),
            std::string::npos)
      << r.err;
}

TEST_F(E2eTest, AgencyCannotRegisterAKeyWrappingKey) {
  CommandResult r = Bidctl("agency1", {"identity", "register-key"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("PERMISSION_DENIED: role bidder or custodian is needed"), std::string::npos)
      << r.err;
}

TEST_F(E2eTest, RpcOfALaterIssueAnswersUnimplemented) {
  grpc::SslCredentialsOptions opts;
  opts.pem_root_certs = ReadWholeFile(pki_ + "/ca.crt");
  opts.pem_cert_chain = ReadWholeFile(Cert("agency1"));
  opts.pem_private_key = ReadWholeFile(Key("agency1"));
  auto stub =
      v1::OpeningService::NewStub(grpc::CreateChannel(server(), grpc::SslCredentials(opts)));
  grpc::ClientContext ctx;
  v1::OpeningState out;
  grpc::Status st = stub->Rate(&ctx, {}, &out);  // the evaluation's (issue 13)
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNIMPLEMENTED) << st.error_message();
}

}  // namespace
}  // namespace bidopen::testing
