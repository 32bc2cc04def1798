// What auditors ask of the log: heads, entries, proofs.
#ifndef BIDOPEN_SERVER_APP_AUDIT_APP_H_
#define BIDOPEN_SERVER_APP_AUDIT_APP_H_

#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"
#include "core/opening/limits.h"
#include "core/status_macros.h"
#include "server/audit/audit_log.h"
#include "server/store/event_log.h"
#include "server/store/pool.h"

namespace bidopen::app {

class AuditApp {
 public:
  static constexpr int kMaxEntries = 1000;  // per GetEvents page

  // `response_bytes`: the most bytes of entries in one GetEvents response
  // (one entry always fits; the log takes none above limits::kMaxEventBytes).
  // `events`, if given, is caught up with other replicas' appends before a
  // head is answered (store::EventLog::CatchUpWithOthers).
  AuditApp(store::Pool& pool, audit::AuditLog& log,
           size_t response_bytes = limits::kDefaultResponseBytes, store::EventLog* events = nullptr)
      : pool_(pool), log_(log), response_bytes_(response_bytes), events_(events) {}

  absl::StatusOr<v1::SignedTreeHead> Head() {
    if (events_ != nullptr) BO_RETURN_IF_ERROR(events_->CatchUpWithOthers());
    return log_.Head();
  }
  absl::StatusOr<v1::GetEventsResponse> Events(const v1::GetEventsRequest& req);
  absl::StatusOr<v1::InclusionProof> Inclusion(const v1::GetInclusionProofRequest& req);
  absl::StatusOr<v1::ConsistencyProof> Consistency(const v1::GetConsistencyProofRequest& req);

 private:
  v1::GetEventsResponse Page(std::vector<v1::LogEntry> entries, uint64_t end) const;

  store::Pool& pool_;
  audit::AuditLog& log_;
  size_t response_bytes_;
  store::EventLog* events_;
};

}  // namespace bidopen::app

#endif  // BIDOPEN_SERVER_APP_AUDIT_APP_H_
