// AuditService: heads, entries and proofs of the audit log.
#ifndef BIDOPEN_SERVER_RPC_AUDIT_SERVICE_H_
#define BIDOPEN_SERVER_RPC_AUDIT_SERVICE_H_

#include "bidopen/v1/audit.grpc.pb.h"
#include "server/app/audit_app.h"
#include "server/auth/policy.h"

namespace bidopen::rpc {

class AuditService final : public v1::AuditService::Service {
 public:
  AuditService(app::AuditApp& app, const auth::Authorizer& auth) : app_(app), auth_(auth) {}

  grpc::Status GetTreeHead(grpc::ServerContext* ctx, const v1::GetTreeHeadRequest* req,
                           v1::SignedTreeHead* out) override;
  grpc::Status GetEvents(grpc::ServerContext* ctx, const v1::GetEventsRequest* req,
                         v1::GetEventsResponse* out) override;
  grpc::Status GetInclusionProof(grpc::ServerContext* ctx, const v1::GetInclusionProofRequest* req,
                                 v1::InclusionProof* out) override;
  grpc::Status GetConsistencyProof(grpc::ServerContext* ctx,
                                   const v1::GetConsistencyProofRequest* req,
                                   v1::ConsistencyProof* out) override;

 private:
  app::AuditApp& app_;
  const auth::Authorizer& auth_;
};

}  // namespace bidopen::rpc

#endif  // BIDOPEN_SERVER_RPC_AUDIT_SERVICE_H_
