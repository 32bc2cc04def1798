// Authorization in one place: which roles may call which RPC.
#ifndef BIDOPEN_SERVER_AUTH_POLICY_H_
#define BIDOPEN_SERVER_AUTH_POLICY_H_

#include <grpcpp/server_context.h>

#include <initializer_list>
#include <string_view>

#include "absl/status/statusor.h"
#include "bidopen/v1/common.pb.h"

namespace bidopen::auth {

enum class Action {
  kCreateTender,
  kAmendLot,
  kCancelTender,
  kReadTenders,
  kWhoAmI,
  kRegisterKey,
  kListKeys,
  kReadLog,
  kSubmitBid,
  kListOwnBids,
};

// The caller's party if its role may perform `action`; UNAUTHENTICATED
// without a usable certificate, PERMISSION_DENIED naming the role(s) needed.
absl::StatusOr<v1::Party> Authorize(const grpc::ServerContext& ctx, Action action);

// The policy table itself, for tests and docs.
bool Allowed(Action action, v1::Role role);

}  // namespace bidopen::auth

#endif  // BIDOPEN_SERVER_AUTH_POLICY_H_
