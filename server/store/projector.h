// Keeps the query tables (tenders, bid_states, party_keys, revoked_certificates) equal to the fold
// of the log (core/opening/fold.h). Apply runs in the transaction of the event it applies and folds
// it once.
#ifndef BIDOPEN_SERVER_STORE_PROJECTOR_H_
#define BIDOPEN_SERVER_STORE_PROJECTOR_H_

#include "absl/status/statusor.h"
#include "bidopen/v1/events.pb.h"
#include "core/opening/state.h"
#include "server/store/pg.h"

namespace bidopen::store {

class Projector {
 public:
  // Bump when the shape of the query tables changes: start-up then rebuilds them.
  // 2: fold::Tender rows and bid_states (migration 0006); 3: bid_statements
  // (0007); 4: custodians' per-lot keys in party_keys; 5: their signatures,
  // unsigned keys skipped by tender creation (rows of a build between); 6:
  // lot_schedule and the opening (0010); 7: releases' seq and material_sha256
  // in the opening rows.
  // 9: lot_schedule follows the hall (announced, closed).
  // 10: bid rows hold BidFileRestored (restored_seq) and a verdict's revoked_seq.
  // 11: tender rows hold the lot's re-supply period (LotOpening.resupply_end).
  static constexpr int kVersion = 11;

  // Folds `event` into `state` — the command's own state of the event's
  // tender, or (nullptr) one read here — and writes the rows it changed. The
  // bids the event names are read if `state` does not hold them.
  static absl::Status Apply(Conn& conn, const v1::Event& event, TenderState* state);

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
