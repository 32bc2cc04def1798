#include "server/auth/identity.h"

#include "core/crypto/certificate.h"

namespace bidopen::auth {

absl::StatusOr<v1::Party> PartyFromAuthContext(const grpc::AuthContext& ctx) {
  auto pems = ctx.FindPropertyValues("x509_pem_cert");
  if (pems.empty())
    return absl::UnauthenticatedError(
        "no client certificate: bidopend accepts only TLS with a client certificate "
        "issued by its CA (bidctl --cert/--key, or a profile)");
  return crypto::PartyFromPem(absl::string_view(pems.front().data(), pems.front().size()));
}

absl::StatusOr<std::string> CertificatePem(const grpc::ServerContext& ctx) {
  auto auth = ctx.auth_context();
  if (!auth) return absl::UnauthenticatedError("no TLS peer");
  auto pems = auth->FindPropertyValues("x509_pem_cert");
  if (pems.empty()) return absl::UnauthenticatedError("no client certificate");
  return std::string(pems.front().data(), pems.front().size());
}

}  // namespace bidopen::auth
