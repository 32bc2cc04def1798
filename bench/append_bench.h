// (a) Append throughput with the Merkle tree maintained: store::EventLog::Run
// from N closed-loop client threads, against raw libpq INSERTs of the same
// bytes by the same number of threads in the same run.
#ifndef BIDOPEN_BENCH_APPEND_BENCH_H_
#define BIDOPEN_BENCH_APPEND_BENCH_H_

#include "bench/bench_util.h"

namespace bidopen::bench {

void RunAppendBench(const Options& options);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_APPEND_BENCH_H_
