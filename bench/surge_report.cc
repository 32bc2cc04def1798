#include "bench/surge_report.h"

#include <algorithm>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "bench/bench_util.h"
#include "bench/bid_setup.h"

namespace bidopen::bench {
namespace {

std::string Name(const BidOptions& o, absl::string_view what) {
  return absl::StrCat(o.label, "_", what);
}

// With --wait_durable, the commit alone and the wait for the chunks to be stored.
void ReportDurableWait(const BidOptions& o, std::vector<double> commit_ms,
                       std::vector<double> wait_ms) {
  Report(Name(o, "durable_wait_p50_ms"), Quantile(wait_ms, 0.5), "ms");
  Report(Name(o, "durable_wait_p99_ms"), Quantile(wait_ms, 0.99), "ms");
  Report(Name(o, "commit_only_p50_ms"), Quantile(commit_ms, 0.5), "ms");
  Report(Name(o, "commit_only_p99_ms"), Quantile(commit_ms, 0.99), "ms");
}

}  // namespace

void ReportTimes(const BidOptions& o, const std::vector<UploadResult>& results,
                 uint64_t bytes_each) {
  std::vector<double> commit_ms, upload_s, wait_ms;
  SteadyClock::time_point first = results.front().opened, last_start = first, end = first;
  for (const UploadResult& r : results) {
    first = std::min(first, r.opened);
    last_start = std::max(last_start, r.opened);
    end = std::max(end, r.done);
    if (!r.status.ok()) continue;
    commit_ms.push_back(r.commit_to_receipt_ms());
    upload_s.push_back(r.seconds());
    wait_ms.push_back(r.durable_wait_ms());
  }
  const double span = std::chrono::duration<double>(end - first).count();
  Report(Name(o, "last_start_s"), std::chrono::duration<double>(last_start - first).count(), "s");
  Report(Name(o, "span_s"), span, "s");
  Report(Name(o, "goodput_mbps"), static_cast<double>(commit_ms.size() * bytes_each) / span / 1e6,
         "MB/s");
  Report(Name(o, "upload_p50_s"), Quantile(upload_s, 0.5), "s");
  Report(Name(o, "upload_p99_s"), Quantile(upload_s, 0.99), "s");
  if (o.wait_durable) return ReportDurableWait(o, commit_ms, wait_ms);
  Report(Name(o, "commit_to_receipt_p50_ms"), Quantile(commit_ms, 0.5), "ms");
  Report(Name(o, "commit_to_receipt_p99_ms"), Quantile(commit_ms, 0.99), "ms");
  Report(Name(o, "commit_to_receipt_max_ms"), Quantile(commit_ms, 1.0), "ms");
}

void ReportReceipts(const BidOptions& o, const std::vector<UploadResult>& results) {
  int receipts = 0;
  std::string first_error;
  for (const UploadResult& r : results) {
    absl::Status st = CheckReceipt(o, r);
    if (st.ok()) ++receipts;
    if (!st.ok() && first_error.empty()) first_error = st.ToString();
  }
  Report(Name(o, "receipts"), receipts, "count");
  Report(Name(o, "failed"), static_cast<double>(results.size()) - receipts, "count");
  if (!first_error.empty()) Note(absl::StrCat(o.label, ": first failure: ", first_error));
}

void ReportServer(const BidOptions& o, const ProcStatus& before, ProcSampler& sampler,
                  const ProcStatus& end) {
  Report(Name(o, "server_threads_before"), before.threads, "threads");
  Report(Name(o, "server_threads_peak"), sampler.peak_threads(), "threads");
  Report(Name(o, "server_threads_end"), end.threads, "threads");
  Report(Name(o, "server_rss_before_mb"), before.rss_mb, "MB");
  Report(Name(o, "server_rss_peak_sampled_mb"), sampler.peak_rss_mb(), "MB");
  Report(Name(o, "server_vmhwm_mb"), end.hwm_mb, "MB");
}

void WriteTimes(const BidOptions& o, const std::vector<UploadResult>& results) {
  if (o.times_csv.empty()) return;
  std::ofstream out(o.times_csv);
  out << "start_s,upload_s,commit_to_receipt_ms,code\n";
  const SteadyClock::time_point first = results.front().opened;
  for (const UploadResult& r : results)
    out << std::chrono::duration<double>(r.opened - first).count() << "," << r.seconds() << ","
        << r.commit_to_receipt_ms() << "," << r.status.error_code() << "\n";
}

}  // namespace bidopen::bench
