// The pure fold of events into state (design.md §2): the server uses it to
// decide and to keep its query tables, `bidctl audit replay` to replay. One
// entry point, ApplyEvent, applies any event; every kind is handled by name
// (core builds with -Werror=switch, so a kind nobody handles fails the build).
#ifndef BIDOPEN_CORE_OPENING_FOLD_H_
#define BIDOPEN_CORE_OPENING_FOLD_H_

#include <map>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/events.pb.h"
#include "core/opening/state.h"

namespace bidopen {

// Where an event applies: the state of the event's tender (for events with a
// tender_id), the key registry and the revocations (for installation-wide
// events).
struct FoldTarget {
  TenderState* tender = nullptr;
  KeyRegistry* keys = nullptr;
  Revocations* revoked = nullptr;
};

// Seqs of the earlier bids the event reads (a replaced or withdrawn bid).
std::vector<uint64_t> BidsNamed(const v1::Event& event);
// Hashes of the statements the event uses (each must be unused so far).
std::vector<std::string> StatementsNamed(const v1::Event& event);
// Fingerprints of the key registry entries the event reads and changes: its
// actor's for a key event, the custodians given per-lot keys for a tender's
// creation.
std::vector<std::string> KeysNamed(const v1::Event& event);
// The fingerprint a revocation revokes (its entry must be loaded to refuse a
// second one).
std::vector<std::string> RevokedNamed(const v1::Event& event);

// Applies one event. REQUIRES: for an event of a tender, target.tender is that
// tender's state (empty before TenderCreated) holding the bids BidsNamed
// names and, if used before, the statements StatementsNamed names; for an installation-wide event,
// target.keys is set (and target.revoked, holding the entry RevokedNamed names,
// for a revocation). DATA_LOSS naming the seq if the event cannot follow the state (a corrupted or
// reordered log).
absl::StatusOr<Changes> ApplyEvent(const v1::Event& event, const FoldTarget& target);

// Folds a tender's events, in log order (events of other tenders and
// installation-wide events are skipped). NOT_FOUND if none creates it.
absl::StatusOr<TenderState> FoldTender(std::span<const v1::Event> events);

// The whole log, or any part of it in order: every tender and the keys.
struct LogState {
  std::map<std::string, TenderState> tenders;
  KeyRegistry keys;
  Revocations revoked;
};
absl::Status FoldInto(std::span<const v1::Event> events, LogState* state);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_FOLD_H_
