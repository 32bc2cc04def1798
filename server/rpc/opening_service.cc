#include "server/rpc/opening_service.h"

#include "core/status_macros.h"
#include "server/app/watch_access.h"
#include "server/auth/identity.h"
#include "server/rpc/status.h"
#include "server/rpc/watch_reactor.h"

namespace bidopen::rpc {
namespace {

// A server stream: authorize and check the request, then let `fn` write.
template <typename Fn>
grpc::Status ServeStream(const auth::Authorizer& auth, const grpc::ServerContext& ctx,
                         absl::string_view method, const google::protobuf::Message& request,
                         Fn fn) {
  absl::StatusOr<v1::Party> caller = auth.Authorize(ctx, method);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status st = CheckRequest(request); !st.ok()) return ToGrpc(st);
  return ToGrpc(fn(*caller));
}

}  // namespace

grpc::Status OpeningService::StartOpening(grpc::ServerContext* ctx, const v1::LotRef* req,
                                          v1::OpeningStatus* out) {
  return ServeSigned(
      auth_, limits_, *ctx, "/bidopen.v1.OpeningService/StartOpening", *req,
      [&](const v1::Party& p, const v1::SignedAction& sa) { return app_.Start(p, *req, sa); }, out);
}

grpc::Status OpeningService::GetOpening(grpc::ServerContext* ctx, const v1::LotRef* req,
                                        v1::OpeningStatus* out) {
  return Serve(
      auth_, *ctx, "/bidopen.v1.OpeningService/GetOpening", *req,
      [&](const v1::Party&) { return app_.Status(*req); }, out);
}

grpc::Status OpeningService::GetMyBid(grpc::ServerContext* ctx, const v1::LotRef* req,
                                      v1::MyBid* out) {
  return Serve(
      auth_, *ctx, "/bidopen.v1.OpeningService/GetMyBid", *req,
      [&](const v1::Party& p) { return app_.MyBid(p, *req); }, out);
}

grpc::Status OpeningService::ReleaseKey(grpc::ServerContext* ctx, const v1::ReleaseKeyRequest* req,
                                        v1::ReleaseResult* out) {
  return ServeLimited(
      auth_, limits_, *ctx, "/bidopen.v1.OpeningService/ReleaseKey", *req,
      [&](const v1::Party& p) -> absl::StatusOr<v1::ReleaseResult> {
        BO_ASSIGN_OR_RETURN(std::string cert_pem, auth::CertificatePem(*ctx));
        return app_.ReleaseBidder(p, cert_pem, *req);
      },
      out);
}

// Review 4 R5: the first message names the bid; every message passes
// CheckRequest before its bytes are stored.
grpc::Status OpeningService::ResupplyBid(grpc::ServerContext* ctx,
                                         grpc::ServerReader<v1::ResupplyRequest>* reader,
                                         v1::ResupplyResult* out) {
  constexpr absl::string_view kMethod = "/bidopen.v1.OpeningService/ResupplyBid";
  return ReplyAs(
      auth_.Authorize(*ctx, kMethod),
      [&](const v1::Party& p) -> absl::StatusOr<v1::ResupplyResult> {
        v1::ResupplyRequest msg;
        if (!reader->Read(&msg) || !msg.has_bid())
          return absl::InvalidArgumentError(
              "bid: the first message of a re-supply must name the bid");
        BO_RETURN_IF_ERROR(CheckRequest(msg));
        BO_RETURN_IF_ERROR(limits_.Admit(p, kMethod));
        const v1::BidRef ref = msg.bid();
        // At the end, as for Upload's commit: a certificate revoked while
        // the stream ran commits nothing.
        auto next = [&](std::string* data) -> absl::StatusOr<bool> {
          if (!reader->Read(&msg)) {
            BO_RETURN_IF_ERROR(auth_.CheckNotRevoked(p.fingerprint()));
            return false;
          }
          BO_RETURN_IF_ERROR(CheckRequest(msg));
          if (msg.has_bid())
            return absl::InvalidArgumentError("bid: only the first message names the bid");
          *data = std::move(*msg.mutable_data());
          return true;
        };
        return app_.ResupplyFile(p, ref, std::move(*msg.mutable_data()), next);
      },
      out);
}

grpc::Status OpeningService::EndDecryption(grpc::ServerContext* ctx, const v1::LotRef* req,
                                           v1::OpeningStatus* out) {
  return ServeLimited(
      auth_, limits_, *ctx, "/bidopen.v1.OpeningService/EndDecryption", *req,
      [&](const v1::Party& p) { return app_.End(p, *req); }, out);
}

grpc::Status OpeningService::FetchBid(grpc::ServerContext* ctx, const v1::BidRef* req,
                                      grpc::ServerWriter<v1::BidContent>* writer) {
  return ServeStream(
      auth_, *ctx, "/bidopen.v1.OpeningService/FetchBid", *req, [&](const v1::Party& p) {
        return app_.Fetch(p, *req, [&](const v1::BidContent& c) { return writer->Write(c); });
      });
}

grpc::Status OpeningService::GetBidEvidence(grpc::ServerContext* ctx, const v1::BidRef* req,
                                            grpc::ServerWriter<v1::BidEvidence>* writer) {
  return ServeStream(
      auth_, *ctx, "/bidopen.v1.OpeningService/GetBidEvidence", *req, [&](const v1::Party&) {
        return app_.Evidence(*req, [&](const v1::BidEvidence& e) { return writer->Write(e); });
      });
}

grpc::Status OpeningService::SignIn(grpc::ServerContext* ctx, const v1::LotRef* req,
                                    v1::HallResult* out) {
  return ServeSigned(
      auth_, limits_, *ctx, "/bidopen.v1.OpeningService/SignIn", *req,
      [&](const v1::Party& p, const v1::SignedAction& sa) { return app_.SignIn(p, *req, sa); },
      out);
}

grpc::Status OpeningService::Confirm(grpc::ServerContext* ctx, const v1::ConfirmRequest* req,
                                     v1::HallResult* out) {
  return ServeLimited(
      auth_, limits_, *ctx, "/bidopen.v1.OpeningService/Confirm", *req,
      [&](const v1::Party& p) -> absl::StatusOr<v1::HallResult> {
        BO_ASSIGN_OR_RETURN(std::string cert_pem, auth::CertificatePem(*ctx));
        return app_.Confirm(p, cert_pem, *req);
      },
      out);
}

grpc::Status OpeningService::Object(grpc::ServerContext* ctx, const v1::ObjectRequest* req,
                                    v1::HallResult* out) {
  return ServeSigned(
      auth_, limits_, *ctx, "/bidopen.v1.OpeningService/Object", *req,
      [&](const v1::Party& p, const v1::SignedAction& sa) { return app_.Object(p, *req, sa); },
      out);
}

grpc::Status OpeningService::AnswerObjection(grpc::ServerContext* ctx,
                                             const v1::AnswerObjectionRequest* req,
                                             v1::HallResult* out) {
  return ServeSigned(
      auth_, limits_, *ctx, "/bidopen.v1.OpeningService/AnswerObjection", *req,
      [&](const v1::Party& p, const v1::SignedAction& sa) { return app_.Answer(p, *req, sa); },
      out);
}

grpc::Status OpeningService::CloseOpening(grpc::ServerContext* ctx, const v1::LotRef* req,
                                          v1::OpeningRecord* out) {
  return ServeSigned(
      auth_, limits_, *ctx, "/bidopen.v1.OpeningService/CloseOpening", *req,
      [&](const v1::Party& p, const v1::SignedAction& sa) { return app_.Close(p, *req, sa); }, out);
}

grpc::Status OpeningService::GetRecord(grpc::ServerContext* ctx, const v1::LotRef* req,
                                       v1::OpeningRecord* out) {
  return Serve(
      auth_, *ctx, "/bidopen.v1.OpeningService/GetRecord", *req,
      [&](const v1::Party&) { return app_.SignedRecord(*req); }, out);
}

grpc::Status CustodyService::ReleaseLotKey(grpc::ServerContext* ctx,
                                           const v1::ReleaseLotKeyRequest* req,
                                           v1::ReleaseResult* out) {
  return ServeLimited(
      auth_, limits_, *ctx, "/bidopen.v1.CustodyService/ReleaseLotKey", *req,
      [&](const v1::Party& p) -> absl::StatusOr<v1::ReleaseResult> {
        BO_ASSIGN_OR_RETURN(std::string cert_pem, auth::CertificatePem(*ctx));
        return app_.ReleaseCustodian(p, cert_pem, *req);
      },
      out);
}

grpc::ServerWriteReactor<v1::WatchUpdate>* OpeningService::Watch(grpc::CallbackServerContext* ctx,
                                                                 const v1::WatchRequest* req) {
  auto* reactor = new WatchReactor(hub_);
  absl::Status st = [&]() -> absl::Status {
    BO_ASSIGN_OR_RETURN(v1::Party caller,
                        auth_.Authorize(*ctx, "/bidopen.v1.OpeningService/Watch"));
    BO_RETURN_IF_ERROR(CheckRequest(*req));
    BO_RETURN_IF_ERROR(app::CheckWatchAccess(pool_, caller, req->lot()));
    return reactor->Begin(pool_, *req);
  }();
  if (!st.ok()) reactor->Fail(ToGrpc(st));
  return reactor;
}

}  // namespace bidopen::rpc
