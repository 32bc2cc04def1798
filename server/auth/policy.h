// Authorization in one place: the rule of every RPC method, by its full gRPC
// name, and which roles each rule allows. It fails closed: a method without a
// rule stops bidopend from starting (CheckEveryMethodHasARule), and a call to
// one is refused anyway.
#ifndef BIDOPEN_SERVER_AUTH_POLICY_H_
#define BIDOPEN_SERVER_AUTH_POLICY_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <map>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/common.pb.h"
#include "server/auth/revocations.h"

namespace bidopen::auth {

enum class Action {
  kCreateTender,
  kAmendLot,
  kCancelTender,
  kReadTenders,
  kWhoAmI,
  kRegisterKey,
  kListKeys,
  kRevokeCertificate,
  kReadLog,
  kSubmitBid,
  kListOwnBids,
  kStartOpening,   // agency
  kEndDecryption,  // agency
  kReadOpening,    // every role
  kReadOwnBid,     // bidder
  kReleaseKey,     // bidder
  kResupplyBid,    // bidder: puts back a sealed file the start found altered
  kReleaseLotKey,  // custodian
  kFetchBid,       // agency, supervisor
  kReadEvidence,   // auditor, supervisor
  kWatchLot,       // supervisor, auditor, agency, custodian, bidder; per lot: watch_rules.h
  kSignIn,         // bidder
  kRespond,        // bidder: confirm or object
  kAnswer,         // agency
  kCloseOpening,   // agency
  kReadRecord,     // every role, as the log it is computed from
  kNotBuilt,       // declared in the API, answered UNIMPLEMENTED: no role may call it
};

// Full method name ("/bidopen.v1.TenderService/CreateTender") -> its action.
using MethodRules = std::map<std::string, Action, std::less<>>;
const MethodRules& Rules();

// OK if every method of every service named (full names, e.g.
// "bidopen.v1.TenderService", looked up among the compiled-in protobuf
// descriptors) has a rule in `rules`; FAILED_PRECONDITION naming the first
// method without one, or the service that is not compiled in.
absl::Status CheckEveryMethodHasARule(std::span<const std::string> services,
                                      const MethodRules& rules = Rules());

// Whether a call of `action` appends to the log (and so spends its caller's
// rate limit, server/auth/call_limits.h).
bool AppendsToLog(Action action);

// Whether `role` may perform `action`.
bool Allowed(Action action, v1::Role role);

// Who is calling, checked on every call.
class Authorizer {
 public:
  explicit Authorizer(const RevocationList& revoked, const MethodRules& rules = Rules())
      : revoked_(revoked), rules_(rules) {}

  // The caller's party if its certificate is usable and not revoked and its
  // role may call `method` (a full method name). UNAUTHENTICATED without a
  // usable certificate or with a revoked one (when, by whom, why);
  // PERMISSION_DENIED naming the role(s) needed, or for a method without a rule.
  absl::StatusOr<v1::Party> Authorize(const grpc::ServerContextBase& ctx,
                                      absl::string_view method) const;
  // Again, within a long call (an upload stream's commit).
  absl::Status CheckNotRevoked(const std::string& fingerprint) const {
    return revoked_.Check(fingerprint);
  }

 private:
  const RevocationList& revoked_;
  const MethodRules& rules_;
};

}  // namespace bidopen::auth

#endif  // BIDOPEN_SERVER_AUTH_POLICY_H_
