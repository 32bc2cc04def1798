// Benchmark (b) of issue 4: one large sealed bid uploaded through TLS to a
// real bidopend until its receipt, against the raw libpq INSERT of the same
// chunks into the same PostgreSQL in the same run (bench/raw_chunks.h).
#ifndef BIDOPEN_BENCH_BID_INGEST_H_
#define BIDOPEN_BENCH_BID_INGEST_H_

#include "bench/bid_options.h"

namespace bidopen::bench {

void RunIngestBench(const BidOptions& o);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_BID_INGEST_H_
