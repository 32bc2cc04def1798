// The signed request of a person's action (core/opening/signed_action.h), at
// the RPC edge: the call's metadata kActionMetadata carries its signed_at and
// signature; the request is the one received, in the deterministic encoding
// (core/deterministic.h), and the certificate the TLS handshake's.
#ifndef BIDOPEN_SERVER_AUTH_SIGNED_REQUEST_H_
#define BIDOPEN_SERVER_AUTH_SIGNED_REQUEST_H_

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/common.pb.h"
#include "bidopen/v1/events.pb.h"

namespace bidopen::auth {

// The SignedAction to keep in the event, once its signature verifies with the
// caller's certificate key over ActionMessage(method, signed_at, request).
// INVALID_ARGUMENT naming the metadata and what is wrong otherwise (missing,
// not a SignedAction, not signed with the caller's key over this request).
absl::StatusOr<v1::SignedAction> SignedActionOf(const grpc::ServerContext& ctx,
                                                absl::string_view method, const v1::Party& caller,
                                                const google::protobuf::Message& request);

}  // namespace bidopen::auth

#endif  // BIDOPEN_SERVER_AUTH_SIGNED_REQUEST_H_
