// OpeningService and CustodyService: protobuf in, OpeningApp, protobuf out.
// Watch is a callback-API stream (watch_reactor.h) fed by the EventHub; Rate
// (issue 13) stays UNIMPLEMENTED.
#ifndef BIDOPEN_SERVER_RPC_OPENING_SERVICE_H_
#define BIDOPEN_SERVER_RPC_OPENING_SERVICE_H_

#include "bidopen/v1/custody.grpc.pb.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "server/app/opening_app.h"
#include "server/auth/call_limits.h"
#include "server/auth/policy.h"
#include "server/store/pool.h"
#include "server/watch/event_hub.h"

namespace bidopen::rpc {

class OpeningService final
    : public v1::OpeningService::WithCallbackMethod_Watch<v1::OpeningService::Service> {
 public:
  OpeningService(app::OpeningApp& app, const auth::Authorizer& auth, auth::CallLimits& limits,
                 store::Pool& pool, watch::EventHub& hub)
      : app_(app), auth_(auth), limits_(limits), pool_(pool), hub_(hub) {}

  grpc::Status StartOpening(grpc::ServerContext* ctx, const v1::LotRef* req,
                            v1::OpeningStatus* out) override;
  grpc::Status GetOpening(grpc::ServerContext* ctx, const v1::LotRef* req,
                          v1::OpeningStatus* out) override;
  grpc::Status GetMyBid(grpc::ServerContext* ctx, const v1::LotRef* req, v1::MyBid* out) override;
  grpc::Status ReleaseKey(grpc::ServerContext* ctx, const v1::ReleaseKeyRequest* req,
                          v1::ReleaseResult* out) override;
  grpc::Status EndDecryption(grpc::ServerContext* ctx, const v1::LotRef* req,
                             v1::OpeningStatus* out) override;
  grpc::Status ResupplyBid(grpc::ServerContext* ctx,
                           grpc::ServerReader<v1::ResupplyRequest>* reader,
                           v1::ResupplyResult* out) override;
  grpc::Status FetchBid(grpc::ServerContext* ctx, const v1::BidRef* req,
                        grpc::ServerWriter<v1::BidContent>* writer) override;
  grpc::Status GetBidEvidence(grpc::ServerContext* ctx, const v1::BidRef* req,
                              grpc::ServerWriter<v1::BidEvidence>* writer) override;
  grpc::Status SignIn(grpc::ServerContext* ctx, const v1::LotRef* req,
                      v1::HallResult* out) override;
  grpc::Status Confirm(grpc::ServerContext* ctx, const v1::ConfirmRequest* req,
                       v1::HallResult* out) override;
  grpc::Status Object(grpc::ServerContext* ctx, const v1::ObjectRequest* req,
                      v1::HallResult* out) override;
  grpc::Status AnswerObjection(grpc::ServerContext* ctx, const v1::AnswerObjectionRequest* req,
                               v1::HallResult* out) override;
  grpc::Status CloseOpening(grpc::ServerContext* ctx, const v1::LotRef* req,
                            v1::OpeningRecord* out) override;
  grpc::Status GetRecord(grpc::ServerContext* ctx, const v1::LotRef* req,
                         v1::OpeningRecord* out) override;
  grpc::ServerWriteReactor<v1::WatchUpdate>* Watch(grpc::CallbackServerContext* ctx,
                                                   const v1::WatchRequest* req) override;

 private:
  app::OpeningApp& app_;
  const auth::Authorizer& auth_;
  auth::CallLimits& limits_;
  store::Pool& pool_;
  watch::EventHub& hub_;
};

class CustodyService final : public v1::CustodyService::Service {
 public:
  CustodyService(app::OpeningApp& app, const auth::Authorizer& auth, auth::CallLimits& limits)
      : app_(app), auth_(auth), limits_(limits) {}

  grpc::Status ReleaseLotKey(grpc::ServerContext* ctx, const v1::ReleaseLotKeyRequest* req,
                             v1::ReleaseResult* out) override;

 private:
  app::OpeningApp& app_;
  const auth::Authorizer& auth_;
  auth::CallLimits& limits_;
};

}  // namespace bidopen::rpc

#endif  // BIDOPEN_SERVER_RPC_OPENING_SERVICE_H_
