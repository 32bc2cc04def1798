// The one translation from absl::Status to grpc::Status, at the RPC edge.
#ifndef BIDOPEN_SERVER_RPC_STATUS_H_
#define BIDOPEN_SERVER_RPC_STATUS_H_

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include "absl/status/statusor.h"
#include "core/request_check.h"
#include "server/auth/call_limits.h"
#include "server/auth/policy.h"
#include "server/auth/signed_request.h"

namespace bidopen::rpc {

inline grpc::Status ToGrpc(const absl::Status& st) {
  if (st.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(st.code()), std::string(st.message()));
}

// Copies the value into *out on success.
template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* out) {
  if (!result.ok()) return ToGrpc(result.status());
  *out = *std::move(result);
  return grpc::Status::OK;
}

// Runs `fn(caller)` if the caller was established, and replies with its result.
template <typename Caller, typename T, typename Fn>
grpc::Status ReplyAs(absl::StatusOr<Caller> caller, Fn fn, T* out) {
  if (!caller.ok()) return ToGrpc(caller.status());
  return Reply(fn(*caller), out);
}

// The shape of every unary handler: authorize the caller for `method` (its
// full name, whose rule is in server/auth/policy.cc), run `fn(party)`
// (protobuf in, app call, protobuf out) and reply with its result.
template <typename T, typename Fn>
grpc::Status Serve(const auth::Authorizer& auth, const grpc::ServerContext& ctx,
                   absl::string_view method, Fn fn, T* out) {
  return ReplyAs(auth.Authorize(ctx, method), fn, out);
}

// The same for a caller with a request: once the caller is established, the
// request passes CheckRequest (no control characters, no unknown fields) or
// is refused before anything reads it.
template <typename Caller, typename T, typename Fn>
grpc::Status ReplyAs(absl::StatusOr<Caller> caller, const google::protobuf::Message& request, Fn fn,
                     T* out) {
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status st = CheckRequest(request); !st.ok()) return ToGrpc(st);
  return Reply(fn(*caller), out);
}

template <typename T, typename Fn>
grpc::Status Serve(const auth::Authorizer& auth, const grpc::ServerContext& ctx,
                   absl::string_view method, const google::protobuf::Message& request, Fn fn,
                   T* out) {
  return ReplyAs(auth.Authorize(ctx, method), request, fn, out);
}

// Serve for a call that appends to the log: once authorized and checked, the
// caller's rate limit (auth::CallLimits) admits it or it is refused with
// RESOURCE_EXHAUSTED naming the method and when to retry.
template <typename T, typename Fn>
grpc::Status ServeLimited(const auth::Authorizer& auth, auth::CallLimits& limits,
                          const grpc::ServerContext& ctx, absl::string_view method,
                          const google::protobuf::Message& request, Fn fn, T* out) {
  return Serve(
      auth, ctx, method, request,
      [&](const v1::Party& p) -> absl::StatusOr<T> {
        if (absl::Status st = limits.Admit(p, method); !st.ok()) return st;
        return fn(p);
      },
      out);
}

// ServeLimited for a person's action that the log keeps signed
// (core/opening/signed_action.h): the call's signed request is checked
// (auth::SignedActionOf) and handed on as `fn(party, signed_action)`.
template <typename T, typename Fn>
grpc::Status ServeSigned(const auth::Authorizer& auth, auth::CallLimits& limits,
                         const grpc::ServerContext& ctx, absl::string_view method,
                         const google::protobuf::Message& request, Fn fn, T* out) {
  return ServeLimited(
      auth, limits, ctx, method, request,
      [&](const v1::Party& p) -> absl::StatusOr<T> {
        absl::StatusOr<v1::SignedAction> signed_action =
            auth::SignedActionOf(ctx, method, p, request);
        if (!signed_action.ok()) return signed_action.status();
        return fn(p, *signed_action);
      },
      out);
}

}  // namespace bidopen::rpc

#endif  // BIDOPEN_SERVER_RPC_STATUS_H_
