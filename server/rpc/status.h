// The one translation from absl::Status to grpc::Status, at the RPC edge.
#ifndef BIDOPEN_SERVER_RPC_STATUS_H_
#define BIDOPEN_SERVER_RPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/statusor.h"

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

}  // namespace bidopen::rpc

#endif  // BIDOPEN_SERVER_RPC_STATUS_H_
