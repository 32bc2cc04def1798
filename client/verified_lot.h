// A tender as its verified log folds it — never the server's query view,
// whose rows the operator can edit, nor GetOpening's lot, which the server
// writes as it likes. The bundle is verified as `audit verify` verifies it
// (the signed head against the trusted CA, every entry, the head this user
// saw last, the server's own events and the reveals) and folded by core's
// one fold. Used by `audit check-bid` and by the release gate (release_wait.h).
#ifndef BIDOPEN_CLIENT_VERIFIED_LOT_H_
#define BIDOPEN_CLIENT_VERIFIED_LOT_H_

#include <cstdint>
#include <map>
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
  v1::Lot lot;                     // the lot as the fold of the verified events gives it
  std::string time_zone;           // the tender's
  log::Checkpoint head;            // the verified signed head the events lead to
  v1::SignedTreeHead signed_head;  // the same head as the server signed it (remembered)
  std::map<uint64_t, std::string> revealed_headers;  // the lot's revealed bids: seq -> header
};

// Fetches the tender's bundle now (proofs against the server's current
// signed head), verifies and folds it. NOT_FOUND for a lot the tender lacks.
absl::StatusOr<VerifiedLot> FetchVerifiedLot(const Globals& g, const Session& s,
                                             const LotName& lot);

// The bid a bidder releases for is the one the verified log revealed for it
// in this lot (review 4 R6): `bid` and `header` (GetMyBid's answer, the
// server's word) must be that bid's seq and sealed header bytes. Otherwise
// the server could hand back the header of the bidder's withdrawn or replaced
// bid in the lot, sealed to the same key, and draw that bid's secret.
// NOT_FOUND if the log reveals no bid of `fingerprint` in the lot; DATA_LOSS
// naming both bids and their header hashes if they differ.
absl::Status CheckMyRevealedBid(const VerifiedLot& v, const LotName& lot,
                                const std::string& fingerprint, uint64_t bid,
                                const std::string& header);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_VERIFIED_LOT_H_
