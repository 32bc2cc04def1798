// What auditors ask of the log: heads, entries, proofs.
#ifndef BIDOPEN_SERVER_APP_AUDIT_APP_H_
#define BIDOPEN_SERVER_APP_AUDIT_APP_H_

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"
#include "server/audit/audit_log.h"
#include "server/store/pool.h"

namespace bidopen::app {

class AuditApp {
 public:
  static constexpr int kMaxEntries = 1000;  // per GetEvents page

  AuditApp(store::Pool& pool, audit::AuditLog& log) : pool_(pool), log_(log) {}

  absl::StatusOr<v1::SignedTreeHead> Head() { return log_.Head(); }
  absl::StatusOr<v1::GetEventsResponse> Events(const v1::GetEventsRequest& req);
  absl::StatusOr<v1::InclusionProof> Inclusion(const v1::GetInclusionProofRequest& req);
  absl::StatusOr<v1::ConsistencyProof> Consistency(const v1::GetConsistencyProofRequest& req);

 private:
  store::Pool& pool_;
  audit::AuditLog& log_;
};

}  // namespace bidopen::app

#endif  // BIDOPEN_SERVER_APP_AUDIT_APP_H_
