// A tender as its verified log folds it — never the server's query view,
// whose rows the operator can edit, nor GetOpening's lot, which the server
// writes as it likes. The bundle is verified as `audit verify` verifies it
// (the signed head against the trusted CA, every entry, the head this user
// saw last, the server's own events and the reveals) and folded by core's
// one fold. Used by `audit check-bid` and by the release gate (release_wait.h).
#ifndef BIDOPEN_CLIENT_VERIFIED_LOT_H_
#define BIDOPEN_CLIENT_VERIFIED_LOT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "client/command.h"
#include "core/log/checkpoint.h"
#include "core/opening/lot_ref.h"

namespace bidopen::client {

// The tender's events from `b`, verified; the status of the failed check
// (DATA_LOSS for a log that does not verify) saying "the log of tender T-…
// does not verify: …"; NOT_FOUND if the tender is not in it.
absl::StatusOr<std::vector<v1::Event>> VerifiedEvents(const Globals& g, const v1::AuditBundle& b,
                                                      const LotName& lot);

struct VerifiedLot {
  v1::Lot lot;            // the lot as the fold of the verified events gives it
  std::string time_zone;  // the tender's
  log::Checkpoint head;   // the verified signed head the events lead to
};

// Fetches the tender's bundle now (proofs against the server's current
// signed head), verifies and folds it. NOT_FOUND for a lot the tender lacks.
absl::StatusOr<VerifiedLot> FetchVerifiedLot(const Globals& g, const Session& s,
                                             const LotName& lot);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_VERIFIED_LOT_H_
