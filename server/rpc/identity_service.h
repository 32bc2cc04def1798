// IdentityService: who am I, and key registration.
#ifndef BIDOPEN_SERVER_RPC_IDENTITY_SERVICE_H_
#define BIDOPEN_SERVER_RPC_IDENTITY_SERVICE_H_

#include "bidopen/v1/identity.grpc.pb.h"
#include "server/app/identity_app.h"
#include "server/auth/call_limits.h"
#include "server/auth/policy.h"

namespace bidopen::rpc {

class IdentityService final : public v1::IdentityService::Service {
 public:
  IdentityService(app::IdentityApp& app, const auth::Authorizer& auth, auth::CallLimits& limits)
      : app_(app), auth_(auth), limits_(limits) {}

  grpc::Status WhoAmI(grpc::ServerContext* ctx, const v1::WhoAmIRequest* req,
                      v1::Party* out) override;
  grpc::Status RegisterKey(grpc::ServerContext* ctx, const v1::RegisterKeyRequest* req,
                           v1::RegisteredKey* out) override;
  grpc::Status RevokeCertificate(grpc::ServerContext* ctx, const v1::RevokeCertificateRequest* req,
                                 v1::Revocation* out) override;
  grpc::Status ListKeys(grpc::ServerContext* ctx, const v1::ListKeysRequest* req,
                        v1::ListKeysResponse* out) override;

 private:
  app::IdentityApp& app_;
  const auth::Authorizer& auth_;
  auth::CallLimits& limits_;
};

}  // namespace bidopen::rpc

#endif  // BIDOPEN_SERVER_RPC_IDENTITY_SERVICE_H_
