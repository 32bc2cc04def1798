// Benchmark (c) of issue 4: a deadline surge. N bidders (each its own
// certificate, registered key and really sealed bid) start their uploads
// within `spread` seconds against one bidopend; counts receipts, the
// commit-to-receipt latency and the server's threads and peak RSS.
#ifndef BIDOPEN_BENCH_BID_SURGE_H_
#define BIDOPEN_BENCH_BID_SURGE_H_

#include "bench/bid_options.h"

namespace bidopen::bench {

void RunSurgeBench(const BidOptions& o);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_BID_SURGE_H_
