#include "server/rpc/identity_service.h"

#include "server/auth/policy.h"
#include "server/rpc/status.h"

namespace bidopen::rpc {

using auth::Action;

grpc::Status IdentityService::WhoAmI(grpc::ServerContext* ctx, const v1::WhoAmIRequest*,
                                     v1::Party* out) {
  return Reply(auth::Authorize(*ctx, Action::kWhoAmI), out);
}

grpc::Status IdentityService::RegisterKey(grpc::ServerContext* ctx,
                                          const v1::RegisterKeyRequest* req,
                                          v1::RegisteredKey* out) {
  auto party = auth::Authorize(*ctx, Action::kRegisterKey);
  if (!party.ok()) return ToGrpc(party.status());
  return Reply(app_.RegisterKey(*party, req->x25519_public_key()), out);
}

grpc::Status IdentityService::ListKeys(grpc::ServerContext* ctx,
                                       const v1::ListKeysRequest* req,
                                       v1::ListKeysResponse* out) {
  auto party = auth::Authorize(*ctx, Action::kListKeys);
  if (!party.ok()) return ToGrpc(party.status());
  return Reply(app_.ListKeys(req->role()), out);
}

}  // namespace bidopen::rpc
