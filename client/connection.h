// A mutual-TLS channel to bidopend, and the calls' common client context.
#ifndef BIDOPEN_CLIENT_CONNECTION_H_
#define BIDOPEN_CLIENT_CONNECTION_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "client/profile.h"

namespace bidopen::client {

absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(const Profile& profile);

// A context with a deadline, for one call.
std::unique_ptr<grpc::ClientContext> CallContext(int seconds = 30);

// What gRPC 1.51's synchronous server answers, with RESOURCE_EXHAUSTED, when
// every thread of its pool (bidopend --max-threads) is busy: the call did not run.
inline constexpr char kServerBusy[] = "Server Threadpool Exhausted";

// Makes one unary call with a fresh CallContext(), and again while the server
// is busy (kServerBusy): after 0.5 s, 1 s, ... up to 8 s between tries, 12
// retries (71.5 s, longer than bidopend's default 60 s idle-stream limit),
// each noted on stderr. Returns the last answer.
grpc::Status RetryWhileBusy(const std::function<grpc::Status(grpc::ClientContext*)>& call);

// The server's status as an absl::Status, with a hint for connection failures.
absl::Status FromGrpc(const grpc::Status& st, const Profile& profile);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_CONNECTION_H_
