// (c) Full verify of an options.leaves-event audit bundle with
// log::VerifyBundle, from memory and (optionally) from its JSON file form, for
// the whole log (root recomputed from every leaf) and for one tender (one
// inclusion proof per entry). Baseline in the same run: raw SHA-256 of every
// event's bytes (the least any verifier must do).
#ifndef BIDOPEN_BENCH_BUNDLE_BENCH_H_
#define BIDOPEN_BENCH_BUNDLE_BENCH_H_

#include "bench/bench_util.h"

namespace bidopen::bench {

void RunBundleBench(const Options& options);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_BUNDLE_BENCH_H_
