#include "server/rpc/tender_service.h"

#include "server/rpc/status.h"

namespace bidopen::rpc {

grpc::Status TenderService::CreateTender(grpc::ServerContext* ctx,
                                         const v1::CreateTenderRequest* req, v1::Tender* out) {
  return ServeSigned(
      auth_, limits_, *ctx, "/bidopen.v1.TenderService/CreateTender", *req,
      [&](const v1::Party& p, const v1::SignedAction& sa) { return app_.Create(p, *req, sa); },
      out);
}

grpc::Status TenderService::ListTenders(grpc::ServerContext* ctx, const v1::ListTendersRequest* req,
                                        v1::ListTendersResponse* out) {
  return Serve(
      auth_, *ctx, "/bidopen.v1.TenderService/ListTenders", *req,
      [&](const v1::Party&) { return app_.List(*req); }, out);
}

grpc::Status TenderService::GetTender(grpc::ServerContext* ctx, const v1::GetTenderRequest* req,
                                      v1::Tender* out) {
  return Serve(
      auth_, *ctx, "/bidopen.v1.TenderService/GetTender", *req,
      [&](const v1::Party&) { return app_.Get(req->tender_id()); }, out);
}

grpc::Status TenderService::AmendLot(grpc::ServerContext* ctx, const v1::AmendLotRequest* req,
                                     v1::Tender* out) {
  return ServeSigned(
      auth_, limits_, *ctx, "/bidopen.v1.TenderService/AmendLot", *req,
      [&](const v1::Party& p, const v1::SignedAction& sa) { return app_.Amend(p, *req, sa); }, out);
}

grpc::Status TenderService::CancelTender(grpc::ServerContext* ctx,
                                         const v1::CancelTenderRequest* req, v1::Tender* out) {
  return ServeSigned(
      auth_, limits_, *ctx, "/bidopen.v1.TenderService/CancelTender", *req,
      [&](const v1::Party& p, const v1::SignedAction& sa) { return app_.Cancel(p, *req, sa); },
      out);
}

}  // namespace bidopen::rpc
