// The tree heads a tender's releases cite (review 4 R1), as `audit fetch` puts
// them in a bundle and `audit verify` checks them: each must be a real head
// of this log, its root the log's root at its size. A head signed for a size
// the log had not reached (any root: the operator holds the log key) would
// otherwise let an event appended after a custodian's release pass as
// appended before it, voiding the BOTH turn.
#ifndef BIDOPEN_CLIENT_CITED_HEADS_H_
#define BIDOPEN_CLIENT_CITED_HEADS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"
#include "bidopen/v1/events.pb.h"
#include "client/command.h"

namespace bidopen::client {

// Adds to `b` (a tender's bundle: entries fetched, head set) one
// CitedHeadProof per distinct head its KeyReleased events cite, with the
// server's consistency proof from that head to the bundle's head. Nothing
// for a whole-log bundle. A cited head that does not parse is left out
// (`audit verify` names it).
absl::Status AddCitedHeads(const Session& s, v1::AuditBundle* b);

// Every KeyReleased in `events` (verified against b.head()) cites a head of
// this log: for a whole-log bundle its root is the root recomputed from the
// first `size` leaves; for a tender's bundle b.cited_heads holds the proof
// that b.head() extends it. DATA_LOSS naming the release's seq, its releaser
// and the cited size otherwise. Returns how many releases were checked.
absl::StatusOr<int> CheckCitedHeads(const v1::AuditBundle& b, const std::vector<v1::Event>& events);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_CITED_HEADS_H_
