// Steps the bid benchmarks share: a checkpoint, CPU reports, receipt checks.
#ifndef BIDOPEN_BENCH_BID_SETUP_H_
#define BIDOPEN_BENCH_BID_SETUP_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bench/bid_options.h"
#include "bench/bid_upload.h"
#include "bench/proc_stats.h"

namespace bidopen::bench {

inline constexpr uint64_t kMiB = uint64_t{1} << 20;

// CHECKPOINT on the cluster, so that each measured part starts without
// dirty buffers left by the one before.
void Checkpoint(const BidOptions& o);

// `<prefix>_cpu_busy` and the CPU seconds of this process (the client or the
// raw baseline), bidopend and PostgreSQL.
void ReportCpu(absl::string_view prefix, const CpuMeter::Use& use);

// OK if the upload succeeded and its receipt verifies against <pki>/ca.crt.
absl::Status CheckReceipt(const BidOptions& o, const UploadResult& r);

// Runs fn(0..n-1) on `threads` threads; the first error, if any.
absl::Status ParallelFor(int n, int threads, const std::function<absl::Status(int)>& fn);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_BID_SETUP_H_
