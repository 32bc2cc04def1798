// A call that makes a person's action the log keeps signed
// (core/opening/signed_action.h; docs/protocol.md "Signed actions"): the
// request, in the deterministic encoding, is signed with the profile's
// certificate key, and the signature rides in the call's metadata.
#ifndef BIDOPEN_CLIENT_SIGNED_CALL_H_
#define BIDOPEN_CLIENT_SIGNED_CALL_H_

#include <google/protobuf/message.h>
#include <grpcpp/client_context.h>

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/profile.h"

namespace bidopen::client {

// CallContext() carrying the signature of `request` for `method` (the RPC's
// full name, "/bidopen.v1.TenderService/AmendLot") made now.
absl::StatusOr<std::unique_ptr<grpc::ClientContext>> SignedContext(
    const Profile& profile, absl::string_view method, const google::protobuf::Message& request);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_SIGNED_CALL_H_
