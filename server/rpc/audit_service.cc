#include "server/rpc/audit_service.h"

#include "server/auth/policy.h"
#include "server/rpc/status.h"

namespace bidopen::rpc {

using auth::Action;

grpc::Status AuditService::GetTreeHead(grpc::ServerContext* ctx, const v1::GetTreeHeadRequest*,
                                       v1::SignedTreeHead* out) {
  auto party = auth::Authorize(*ctx, Action::kReadLog);
  if (!party.ok()) return ToGrpc(party.status());
  return Reply(app_.Head(), out);
}

grpc::Status AuditService::GetEvents(grpc::ServerContext* ctx, const v1::GetEventsRequest* req,
                                     v1::GetEventsResponse* out) {
  auto party = auth::Authorize(*ctx, Action::kReadLog);
  if (!party.ok()) return ToGrpc(party.status());
  return Reply(app_.Events(*req), out);
}

grpc::Status AuditService::GetInclusionProof(grpc::ServerContext* ctx,
                                             const v1::GetInclusionProofRequest* req,
                                             v1::InclusionProof* out) {
  auto party = auth::Authorize(*ctx, Action::kReadLog);
  if (!party.ok()) return ToGrpc(party.status());
  return Reply(app_.Inclusion(*req), out);
}

grpc::Status AuditService::GetConsistencyProof(grpc::ServerContext* ctx,
                                               const v1::GetConsistencyProofRequest* req,
                                               v1::ConsistencyProof* out) {
  auto party = auth::Authorize(*ctx, Action::kReadLog);
  if (!party.ok()) return ToGrpc(party.status());
  return Reply(app_.Consistency(*req), out);
}

}  // namespace bidopen::rpc
