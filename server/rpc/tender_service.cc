#include "server/rpc/tender_service.h"

#include "server/rpc/status.h"

namespace bidopen::rpc {

using auth::Action;

grpc::Status TenderService::CreateTender(grpc::ServerContext* ctx,
                                         const v1::CreateTenderRequest* req, v1::Tender* out) {
  return ServeLimited(
      *ctx, Action::kCreateTender, "CreateTender", limits_, *req,
      [&](const v1::Party& p) { return app_.Create(p, *req); }, out);
}

grpc::Status TenderService::ListTenders(grpc::ServerContext* ctx, const v1::ListTendersRequest* req,
                                        v1::ListTendersResponse* out) {
  return Serve(
      *ctx, Action::kReadTenders, *req, [&](const v1::Party&) { return app_.List(*req); }, out);
}

grpc::Status TenderService::GetTender(grpc::ServerContext* ctx, const v1::GetTenderRequest* req,
                                      v1::Tender* out) {
  return Serve(
      *ctx, Action::kReadTenders, *req,
      [&](const v1::Party&) { return app_.Get(req->tender_id()); }, out);
}

grpc::Status TenderService::AmendLot(grpc::ServerContext* ctx, const v1::AmendLotRequest* req,
                                     v1::Tender* out) {
  return ServeLimited(
      *ctx, Action::kAmendLot, "AmendLot", limits_, *req,
      [&](const v1::Party& p) { return app_.Amend(p, *req); }, out);
}

grpc::Status TenderService::CancelTender(grpc::ServerContext* ctx,
                                         const v1::CancelTenderRequest* req, v1::Tender* out) {
  return ServeLimited(
      *ctx, Action::kCancelTender, "CancelTender", limits_, *req,
      [&](const v1::Party& p) { return app_.Cancel(p, *req); }, out);
}

}  // namespace bidopen::rpc
