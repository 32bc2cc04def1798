// TenderService: protobuf in, TenderApp, protobuf out. No rules here.
#ifndef BIDOPEN_SERVER_RPC_TENDER_SERVICE_H_
#define BIDOPEN_SERVER_RPC_TENDER_SERVICE_H_

#include "bidopen/v1/tender.grpc.pb.h"
#include "server/app/tender_app.h"
#include "server/auth/call_limits.h"
#include "server/auth/policy.h"

namespace bidopen::rpc {

class TenderService final : public v1::TenderService::Service {
 public:
  TenderService(app::TenderApp& app, const auth::Authorizer& auth, auth::CallLimits& limits)
      : app_(app), auth_(auth), limits_(limits) {}

  grpc::Status CreateTender(grpc::ServerContext* ctx, const v1::CreateTenderRequest* req,
                            v1::Tender* out) override;
  grpc::Status ListTenders(grpc::ServerContext* ctx, const v1::ListTendersRequest* req,
                           v1::ListTendersResponse* out) override;
  grpc::Status GetTender(grpc::ServerContext* ctx, const v1::GetTenderRequest* req,
                         v1::Tender* out) override;
  grpc::Status AmendLot(grpc::ServerContext* ctx, const v1::AmendLotRequest* req,
                        v1::Tender* out) override;
  grpc::Status CancelTender(grpc::ServerContext* ctx, const v1::CancelTenderRequest* req,
                            v1::Tender* out) override;

 private:
  app::TenderApp& app_;
  const auth::Authorizer& auth_;
  auth::CallLimits& limits_;
};

}  // namespace bidopen::rpc

#endif  // BIDOPEN_SERVER_RPC_TENDER_SERVICE_H_
