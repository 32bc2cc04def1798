// What loading a tender's state to decide on costs the opener: the fold of the
// tender's events (store::FoldTenderFromLog, what it decides with) against
// reading the query rows (store::LoadTender + LoadLotBids, what it read
// before), alternated on one connection to the server's database.
#ifndef BIDOPEN_BENCH_OPENING_STATE_LOAD_H_
#define BIDOPEN_BENCH_OPENING_STATE_LOAD_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace bidopen::bench {

struct StateLoadTimes {
  double fold_ms = 0;  // median of FoldTenderFromLog
  double rows_ms = 0;  // median of LoadTender + LoadLotBids (the raw baseline)
  size_t events = 0;   // the tender's events folded
  size_t bids = 0;     // its bids
};

absl::StatusOr<StateLoadTimes> TimeStateLoads(const std::string& conninfo,
                                              const std::string& tender_id, int lot, int rounds);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_OPENING_STATE_LOAD_H_
