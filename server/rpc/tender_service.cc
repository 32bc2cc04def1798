#include "server/rpc/tender_service.h"

#include "server/auth/policy.h"
#include "server/rpc/status.h"

namespace bidopen::rpc {

using auth::Action;

grpc::Status TenderService::CreateTender(grpc::ServerContext* ctx,
                                         const v1::CreateTenderRequest* req,
                                         v1::Tender* out) {
  auto party = auth::Authorize(*ctx, Action::kCreateTender);
  if (!party.ok()) return ToGrpc(party.status());
  return Reply(app_.Create(*party, *req), out);
}

grpc::Status TenderService::ListTenders(grpc::ServerContext* ctx,
                                        const v1::ListTendersRequest* req,
                                        v1::ListTendersResponse* out) {
  auto party = auth::Authorize(*ctx, Action::kReadTenders);
  if (!party.ok()) return ToGrpc(party.status());
  return Reply(app_.List(*req), out);
}

grpc::Status TenderService::GetTender(grpc::ServerContext* ctx,
                                      const v1::GetTenderRequest* req, v1::Tender* out) {
  auto party = auth::Authorize(*ctx, Action::kReadTenders);
  if (!party.ok()) return ToGrpc(party.status());
  return Reply(app_.Get(req->tender_id()), out);
}

grpc::Status TenderService::AmendLot(grpc::ServerContext* ctx,
                                     const v1::AmendLotRequest* req, v1::Tender* out) {
  auto party = auth::Authorize(*ctx, Action::kAmendLot);
  if (!party.ok()) return ToGrpc(party.status());
  return Reply(app_.Amend(*party, *req), out);
}

grpc::Status TenderService::CancelTender(grpc::ServerContext* ctx,
                                         const v1::CancelTenderRequest* req,
                                         v1::Tender* out) {
  auto party = auth::Authorize(*ctx, Action::kCancelTender);
  if (!party.ok()) return ToGrpc(party.status());
  return Reply(app_.Cancel(*party, *req), out);
}

}  // namespace bidopen::rpc
