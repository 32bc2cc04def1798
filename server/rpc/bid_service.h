// BidService: protobuf in, BidApp, protobuf out. The Upload stream's order
// (start, chunks, commit) is checked here; every rule is in BidApp.
#ifndef BIDOPEN_SERVER_RPC_BID_SERVICE_H_
#define BIDOPEN_SERVER_RPC_BID_SERVICE_H_

#include "bidopen/v1/bid.grpc.pb.h"
#include "server/app/bid_app.h"
#include "server/auth/call_limits.h"
#include "server/auth/policy.h"
#include "server/rpc/upload_streams.h"

namespace bidopen::rpc {

class BidService final : public v1::BidService::Service {
 public:
  BidService(app::BidApp& app, const auth::Authorizer& auth, UploadStreams& streams,
             auth::CallLimits& limits)
      : app_(app), auth_(auth), streams_(streams), limits_(limits) {}

  grpc::Status Upload(grpc::ServerContext* ctx, grpc::ServerReader<v1::UploadRequest>* reader,
                      v1::Receipt* out) override;
  grpc::Status GetUploadOffset(grpc::ServerContext* ctx, const v1::UploadStart* req,
                               v1::UploadOffset* out) override;
  grpc::Status Withdraw(grpc::ServerContext* ctx, const v1::WithdrawRequest* req,
                        v1::Receipt* out) override;
  grpc::Status ListMyBids(grpc::ServerContext* ctx, const v1::ListMyBidsRequest* req,
                          v1::ListMyBidsResponse* out) override;

 private:
  absl::StatusOr<v1::Receipt> RunUpload(grpc::ServerContext* ctx, const app::Bidder& bidder,
                                        grpc::ServerReader<v1::UploadRequest>* reader);

  app::BidApp& app_;
  const auth::Authorizer& auth_;
  UploadStreams& streams_;
  auth::CallLimits& limits_;
};

}  // namespace bidopen::rpc

#endif  // BIDOPEN_SERVER_RPC_BID_SERVICE_H_
