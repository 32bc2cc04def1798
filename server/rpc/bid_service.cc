#include "server/rpc/bid_service.h"

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "server/app/chunk_writer.h"
#include "server/auth/identity.h"
#include "server/rpc/status.h"

namespace bidopen::rpc {
namespace {

absl::StatusOr<app::Bidder> BidderOf(const auth::Authorizer& auth, const grpc::ServerContext& ctx,
                                     absl::string_view method) {
  app::Bidder b;
  BO_ASSIGN_OR_RETURN(b.party, auth.Authorize(ctx, method));
  BO_ASSIGN_OR_RETURN(b.cert_pem, auth::CertificatePem(ctx));
  return b;
}

// Reads the next message; the watchdog's idle clock runs while it waits.
bool Read(UploadStreams::Ticket& ticket, grpc::ServerReader<v1::UploadRequest>* reader,
          v1::UploadRequest* msg) {
  ticket.Waiting();
  const bool ok = reader->Read(msg);
  ticket.Received();
  return ok;
}

}  // namespace

absl::StatusOr<v1::Receipt> BidService::RunUpload(grpc::ServerContext* ctx,
                                                  const app::Bidder& bidder,
                                                  grpc::ServerReader<v1::UploadRequest>* reader) {
  BO_ASSIGN_OR_RETURN(auto ticket, streams_.Enter(ctx, bidder.party.fingerprint()));
  v1::UploadRequest msg;
  if (!Read(*ticket, reader, &msg) || !msg.has_start())
    return absl::InvalidArgumentError("start: the first message of an upload must be `start`");
  BO_RETURN_IF_ERROR(CheckRequest(msg));
  BO_ASSIGN_OR_RETURN(std::unique_ptr<app::Upload> upload, app_.Begin(bidder, msg.start()));
  app::ChunkWriter writer(app_, *upload);
  while (Read(*ticket, reader, &msg)) {
    BO_RETURN_IF_ERROR(CheckRequest(msg));
    switch (msg.part_case()) {
      case v1::UploadRequest::kChunk:
        BO_RETURN_IF_ERROR(writer.Submit(std::move(*msg.mutable_chunk())));
        break;
      case v1::UploadRequest::kCommit: {
        BO_RETURN_IF_ERROR(writer.Drain());
        // A certificate revoked while its stream ran commits nothing.
        BO_RETURN_IF_ERROR(auth_.CheckNotRevoked(bidder.party.fingerprint()));
        // The commit appends (a stream that only resumes bytes spends nothing).
        BO_RETURN_IF_ERROR(limits_.Admit(bidder.party, "/bidopen.v1.BidService/Upload"));
        // The commit ends the upload; anything the client sends after it is not read.
        return app_.Commit(*upload, msg.commit());
      }
      case v1::UploadRequest::kStart:
        return absl::InvalidArgumentError("start: only the first message of an upload");
      default:
        return absl::InvalidArgumentError("part: an empty message");
    }
  }
  BO_RETURN_IF_ERROR(writer.Drain());
  return absl::CancelledError(absl::StrCat("the stream ended without a commit; ",
                                           upload->row().received, " of ", upload->row().size,
                                           " bytes are stored and the upload can resume"));
}

grpc::Status BidService::Upload(grpc::ServerContext* ctx,
                                grpc::ServerReader<v1::UploadRequest>* reader, v1::Receipt* out) {
  return ReplyAs(
      BidderOf(auth_, *ctx, "/bidopen.v1.BidService/Upload"),
      [&](const app::Bidder& b) { return RunUpload(ctx, b, reader); }, out);
}

grpc::Status BidService::GetUploadOffset(grpc::ServerContext* ctx, const v1::UploadStart* req,
                                         v1::UploadOffset* out) {
  return ReplyAs(
      BidderOf(auth_, *ctx, "/bidopen.v1.BidService/GetUploadOffset"), *req,
      [&](const app::Bidder& b) { return app_.Offset(b, *req); }, out);
}

grpc::Status BidService::Withdraw(grpc::ServerContext* ctx, const v1::WithdrawRequest* req,
                                  v1::Receipt* out) {
  return ReplyAs(
      BidderOf(auth_, *ctx, "/bidopen.v1.BidService/Withdraw"), *req,
      [&](const app::Bidder& b) -> absl::StatusOr<v1::Receipt> {
        BO_RETURN_IF_ERROR(limits_.Admit(b.party, "/bidopen.v1.BidService/Withdraw"));
        return app_.Withdraw(b, *req);
      },
      out);
}

grpc::Status BidService::ListMyBids(grpc::ServerContext* ctx, const v1::ListMyBidsRequest* req,
                                    v1::ListMyBidsResponse* out) {
  return ReplyAs(
      BidderOf(auth_, *ctx, "/bidopen.v1.BidService/ListMyBids"), *req,
      [&](const app::Bidder& b) { return app_.List(b, *req); }, out);
}

}  // namespace bidopen::rpc
