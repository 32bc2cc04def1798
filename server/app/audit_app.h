// What auditors ask of the log: heads, entries, proofs.
#ifndef BIDOPEN_SERVER_APP_AUDIT_APP_H_
#define BIDOPEN_SERVER_APP_AUDIT_APP_H_

#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"
#include "core/opening/limits.h"
#include "server/audit/audit_log.h"
#include "server/store/pool.h"

namespace bidopen::app {

class AuditApp {
 public:
  static constexpr int kMaxEntries = 1000;  // per GetEvents page

  // `response_bytes`: the most bytes of entries in one GetEvents response
  // (one entry always fits; the log takes none above limits::kMaxEventBytes).
  AuditApp(store::Pool& pool, audit::AuditLog& log,
           size_t response_bytes = limits::kDefaultResponseBytes)
      : pool_(pool), log_(log), response_bytes_(response_bytes) {}

  absl::StatusOr<v1::SignedTreeHead> Head() { return log_.Head(); }
  absl::StatusOr<v1::GetEventsResponse> Events(const v1::GetEventsRequest& req);
  absl::StatusOr<v1::InclusionProof> Inclusion(const v1::GetInclusionProofRequest& req);
  absl::StatusOr<v1::ConsistencyProof> Consistency(const v1::GetConsistencyProofRequest& req);

 private:
  v1::GetEventsResponse Page(std::vector<v1::LogEntry> entries, uint64_t end) const;

  store::Pool& pool_;
  audit::AuditLog& log_;
  size_t response_bytes_;
};

}  // namespace bidopen::app

#endif  // BIDOPEN_SERVER_APP_AUDIT_APP_H_
