// What a surge (bench/bid_surge.h) reports; every name starts with the
// run's --label ("surge", or "burst" when all bidders start at once).
#ifndef BIDOPEN_BENCH_SURGE_REPORT_H_
#define BIDOPEN_BENCH_SURGE_REPORT_H_

#include <cstdint>
#include <vector>

#include "bench/bid_options.h"
#include "bench/bid_upload.h"
#include "bench/proc_stats.h"

namespace bidopen::bench {

// Receipts that verify against the CA, failures and the first failure.
void ReportReceipts(const BidOptions& o, const std::vector<UploadResult>& results);

// Start spread, span, goodput, whole-upload and commit-to-receipt quantiles
// (with --wait_durable: the wait for the chunks and the commit alone).
void ReportTimes(const BidOptions& o, const std::vector<UploadResult>& results,
                 uint64_t bytes_each);

// bidopend's threads and memory before, at the peak and at the end (VmHWM).
void ReportServer(const BidOptions& o, const ProcStatus& before, ProcSampler& sampler,
                  const ProcStatus& end);

// With --times_csv: one line per upload, in start order: seconds from the
// first start to its start, the whole upload, commit-to-receipt, status code.
void WriteTimes(const BidOptions& o, const std::vector<UploadResult>& results);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_SURGE_REPORT_H_
