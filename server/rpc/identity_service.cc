#include "server/rpc/identity_service.h"

#include "core/status_macros.h"
#include "server/auth/identity.h"
#include "server/rpc/status.h"

namespace bidopen::rpc {

grpc::Status IdentityService::WhoAmI(grpc::ServerContext* ctx, const v1::WhoAmIRequest* req,
                                     v1::Party* out) {
  return Serve(
      auth_, *ctx, "/bidopen.v1.IdentityService/WhoAmI", *req,
      [](const v1::Party& p) { return absl::StatusOr<v1::Party>(p); }, out);
}

grpc::Status IdentityService::RegisterKey(grpc::ServerContext* ctx,
                                          const v1::RegisterKeyRequest* req,
                                          v1::RegisteredKey* out) {
  return ServeLimited(
      auth_, limits_, *ctx, "/bidopen.v1.IdentityService/RegisterKey", *req,
      [&](const v1::Party& p) -> absl::StatusOr<v1::RegisteredKey> {
        BO_ASSIGN_OR_RETURN(std::string cert_pem, auth::CertificatePem(*ctx));
        return app_.RegisterKey(p, cert_pem, *req);
      },
      out);
}

grpc::Status IdentityService::ListKeys(grpc::ServerContext* ctx, const v1::ListKeysRequest* req,
                                       v1::ListKeysResponse* out) {
  return Serve(
      auth_, *ctx, "/bidopen.v1.IdentityService/ListKeys", *req,
      [&](const v1::Party&) { return app_.ListKeys(*req); }, out);
}

grpc::Status IdentityService::RevokeCertificate(grpc::ServerContext* ctx,
                                                const v1::RevokeCertificateRequest* req,
                                                v1::Revocation* out) {
  return ServeLimited(
      auth_, limits_, *ctx, "/bidopen.v1.IdentityService/RevokeCertificate", *req,
      [&](const v1::Party& p) { return app_.Revoke(p, *req); }, out);
}

}  // namespace bidopen::rpc
