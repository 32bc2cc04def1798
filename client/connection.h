// A mutual-TLS channel to bidopend, and the calls' common client context.
#ifndef BIDOPEN_CLIENT_CONNECTION_H_
#define BIDOPEN_CLIENT_CONNECTION_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <memory>

#include "absl/status/statusor.h"
#include "client/profile.h"

namespace bidopen::client {

absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(const Profile& profile);

// A context with a deadline, for one call.
std::unique_ptr<grpc::ClientContext> CallContext(int seconds = 30);

// The server's status as an absl::Status, with a hint for connection failures.
absl::Status FromGrpc(const grpc::Status& st, const Profile& profile);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_CONNECTION_H_
