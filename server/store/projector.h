// Keeps the query tables (tenders, party_keys) equal to the fold of the log.
// Apply runs in the transaction of the event it applies.
#ifndef BIDOPEN_SERVER_STORE_PROJECTOR_H_
#define BIDOPEN_SERVER_STORE_PROJECTOR_H_

#include "absl/status/statusor.h"
#include "bidopen/v1/events.pb.h"
#include "server/store/pg.h"

namespace bidopen::store {

class Projector {
 public:
  // Bump when the shape of the query tables changes: start-up then rebuilds them.
  static constexpr int kVersion = 1;

  static absl::Status Apply(Conn& conn, const v1::Event& event);

  // Records that the query tables cover the first `size` events.
  static absl::Status MarkApplied(Conn& conn, uint64_t size);

  // Empties the query tables and folds every event again, in one transaction.
  static absl::Status Rebuild(Conn& conn);

  // At start-up: rebuilds if the version or the applied size differs from the
  // log. Returns whether it rebuilt.
  static absl::StatusOr<bool> EnsureCurrent(Conn& conn);
};

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_PROJECTOR_H_
