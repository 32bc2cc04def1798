// (d) The cost of one bid append at the 10,000th bid event of a tender against
// the first (issue 9): the commit's log transaction as BidApp::Commit runs it
// (tender row, the bidder's newest bid, the deadline rule, Append with the
// command's state), one command per transaction, alternating between a fresh
// tender and one that already holds --bid_events bid events, so drift of the
// machine hits both alike.
#ifndef BIDOPEN_BENCH_BID_APPEND_BENCH_H_
#define BIDOPEN_BENCH_BID_APPEND_BENCH_H_

#include "bench/bench_util.h"

namespace bidopen::bench {

void RunBidAppendBench(const Options& options);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_BID_APPEND_BENCH_H_
