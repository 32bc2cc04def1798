#include "server/rpc/audit_service.h"

#include "server/rpc/status.h"

namespace bidopen::rpc {

grpc::Status AuditService::GetTreeHead(grpc::ServerContext* ctx, const v1::GetTreeHeadRequest* req,
                                       v1::SignedTreeHead* out) {
  return Serve(
      auth_, *ctx, "/bidopen.v1.AuditService/GetTreeHead", *req,
      [&](const v1::Party&) { return app_.Head(); }, out);
}

grpc::Status AuditService::GetEvents(grpc::ServerContext* ctx, const v1::GetEventsRequest* req,
                                     v1::GetEventsResponse* out) {
  return Serve(
      auth_, *ctx, "/bidopen.v1.AuditService/GetEvents", *req,
      [&](const v1::Party&) { return app_.Events(*req); }, out);
}

grpc::Status AuditService::GetInclusionProof(grpc::ServerContext* ctx,
                                             const v1::GetInclusionProofRequest* req,
                                             v1::InclusionProof* out) {
  return Serve(
      auth_, *ctx, "/bidopen.v1.AuditService/GetInclusionProof", *req,
      [&](const v1::Party&) { return app_.Inclusion(*req); }, out);
}

grpc::Status AuditService::GetConsistencyProof(grpc::ServerContext* ctx,
                                               const v1::GetConsistencyProofRequest* req,
                                               v1::ConsistencyProof* out) {
  return Serve(
      auth_, *ctx, "/bidopen.v1.AuditService/GetConsistencyProof", *req,
      [&](const v1::Party&) { return app_.Consistency(*req); }, out);
}

}  // namespace bidopen::rpc
