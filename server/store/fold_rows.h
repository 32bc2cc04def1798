// The fold's state in the query tables (migration 0006): one `tenders` row per
// tender (fold::Tender: head, lots, bid counts) and one `bid_states` row per
// bid (fold::Bid), so an append rewrites only the rows its event changed.
#ifndef BIDOPEN_SERVER_STORE_FOLD_ROWS_H_
#define BIDOPEN_SERVER_STORE_FOLD_ROWS_H_

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/opening/state.h"
#include "server/store/pg.h"

namespace bidopen::store {

// The tender's row without its bids; NOT_FOUND naming the id.
absl::StatusOr<TenderState> LoadTender(Conn& conn, const std::string& id);
// Adds the bid rows `seqs` (those not loaded yet) to `state`.
absl::Status LoadBids(Conn& conn, std::span<const uint64_t> seqs, TenderState* state);
// Adds to `state` those of the statement hashes that were used before.
absl::Status LoadStatements(Conn& conn, std::span<const std::string> hashes, TenderState* state);
// Adds every bid row of one lot.
absl::Status LoadLotBids(Conn& conn, int lot, TenderState* state);
// Adds every bid row of the tender (for views, not for appends).
absl::Status LoadAllBids(Conn& conn, TenderState* state);
// The seq of the tender's newest event; nullopt for a tender not in the table.
absl::StatusOr<std::optional<uint64_t>> LastSeq(Conn& conn, const std::string& id);

// Writes the rows `changes` names.
absl::Status WriteChanges(Conn& conn, const TenderState& state, const Changes& changes);
absl::Status WriteKey(Conn& conn, const v1::RegisteredKey& key);
// The key registry entry of a party; nullopt if it registered nothing.
absl::StatusOr<std::optional<v1::RegisteredKey>> ReadKey(Conn& conn,
                                                         const std::string& fingerprint);

// Rebuild: the tender row and every bid row of `state`.
absl::Status WriteAll(Conn& conn, const TenderState& state);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_FOLD_ROWS_H_
