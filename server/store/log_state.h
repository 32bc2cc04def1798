// A tender's state as the event log proves it: its events read from `events`
// in seq order and folded with the one fold (core/opening/fold.h), not loaded
// from the query rows the application role can write. What the opener decides
// with (docs/state.md "Deciding from the log").
#ifndef BIDOPEN_SERVER_STORE_LOG_STATE_H_
#define BIDOPEN_SERVER_STORE_LOG_STATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "core/opening/state.h"
#include "server/store/pg.h"

namespace bidopen::store {

// Every event of the tender, folded: the tender and all its bids and
// statements. NOT_FOUND naming the id if no event creates it; DATA_LOSS if its
// events do not fold. Inside a command (CommandTx), it sees the command's own
// appends, and `tx.Append(draft, &state)` folds the next event onto it.
absl::StatusOr<TenderState> FoldTenderFromLog(Conn& conn, const std::string& tender_id);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_LOG_STATE_H_
