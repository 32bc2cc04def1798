#include "bench/bid_setup.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "core/bid/receipt.h"
#include "platform/files.h"
#include "core/status_macros.h"
#include "server/store/pg.h"

namespace bidopen::bench {

void Checkpoint(const BidOptions& o) {
  auto conn = Must(store::Conn::Open(o.database), "connect to the cluster");
  Must(conn->Exec("CHECKPOINT"), "CHECKPOINT");
}

void ReportCpu(absl::string_view prefix, const CpuMeter::Use& use) {
  Report(absl::StrCat(prefix, "_cpu_busy"), use.busy, "share");
  Report(absl::StrCat(prefix, "_client_cpu_s"), use.self, "s");
  Report(absl::StrCat(prefix, "_server_cpu_s"), use.server, "s");
  Report(absl::StrCat(prefix, "_pg_cpu_s"), use.postgres, "s");
}

absl::Status CheckReceipt(const BidOptions& o, const UploadResult& r) {
  if (!r.status.ok())
    return absl::Status(static_cast<absl::StatusCode>(r.status.error_code()),
                        r.status.error_message());
  BO_ASSIGN_OR_RETURN(std::string ca, ReadFileBytes(o.pki + "/ca.crt", "CA certificate"));
  return bid::VerifyReceipt(r.receipt, ca).status();
}

absl::Status ParallelFor(int n, int threads, const std::function<absl::Status(int)>& fn) {
  std::atomic<int> next{0};
  absl::Mutex mu;
  absl::Status first;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (int i; (i = next++) < n;) {
        absl::Status st = fn(i);
        if (st.ok()) continue;
        absl::MutexLock lock(&mu);
        if (first.ok()) first = st;
        next = n;
      }
    });
  for (auto& t : pool) t.join();
  return first;
}

}  // namespace bidopen::bench
