#include "server/auth/tls.h"

#include <grpcpp/security/auth_metadata_processor.h>

#include "platform/files.h"
#include "server/auth/identity.h"

namespace bidopen::auth {
namespace {

// Refuses every call whose TLS peer has no usable certificate.
class RequireCertificate final : public grpc::AuthMetadataProcessor {
 public:
  bool IsBlocking() const override { return false; }
  grpc::Status Process(const InputMetadata&, grpc::AuthContext* ctx, OutputMetadata*,
                       OutputMetadata*) override {
    auto party = PartyFromAuthContext(*ctx);
    if (party.ok()) return grpc::Status::OK;
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        std::string(party.status().message()));
  }
};

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const TlsFiles& files) {
  auto cert = ReadFileBytes(files.cert, "--tls-cert");
  if (!cert.ok()) return cert.status();
  auto key = ReadFileBytes(files.key, "--tls-key");
  if (!key.ok()) return key.status();
  auto ca = ReadFileBytes(files.client_ca, "--client-ca");
  if (!ca.ok()) return ca.status();
  grpc::SslServerCredentialsOptions opts(
      GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  opts.pem_root_certs = *ca;
  opts.pem_key_cert_pairs.push_back({*key, *cert});
  auto creds = grpc::SslServerCredentials(opts);
  creds->SetAuthMetadataProcessor(std::make_shared<RequireCertificate>());
  return creds;
}

}  // namespace bidopen::auth
