// (b) Inclusion-proof latency at a tree of options.leaves leaves, in the
// server: store::MerkleTree::InclusionProof and app::AuditApp::Inclusion (what
// AuditService.GetInclusionProof calls). Baseline in the same run: the raw
// SHA-256 work of verifying such a proof (one 64-byte hash per path element).
#ifndef BIDOPEN_BENCH_PROOF_BENCH_H_
#define BIDOPEN_BENCH_PROOF_BENCH_H_

#include "bench/bench_util.h"

namespace bidopen::bench {

void RunProofBench(const Options& options);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_PROOF_BENCH_H_
