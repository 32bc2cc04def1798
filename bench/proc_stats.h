// What /proc says about the processes a benchmark watches: CPU time, threads,
// resident and peak resident memory.
#ifndef BIDOPEN_BENCH_PROC_STATS_H_
#define BIDOPEN_BENCH_PROC_STATS_H_

#include <atomic>
#include <thread>

#include "absl/synchronization/mutex.h"

namespace bidopen::bench {

// From /proc/<pid>/status; all zero if the process is gone.
struct ProcStatus {
  double hwm_mb = 0;  // VmHWM: peak resident set, MB (10^6 bytes)
  double rss_mb = 0;  // VmRSS
  int threads = 0;
};
ProcStatus ReadProcStatus(int pid);

// CPU seconds (user + system, all threads) used so far by `pid`, and by
// `pid` plus its children when `with_children` (a postmaster and its
// backends). 0 if unreadable.
double ProcCpuSeconds(int pid, bool with_children = false);

// The CPU time the machine, this process, the server and PostgreSQL used
// between construction and Stop().
class CpuMeter {
 public:
  struct Use {
    double seconds = 0;                         // wall time
    double self = 0, server = 0, postgres = 0;  // CPU seconds
    double busy = 0;                            // the whole machine's non-idle share (/proc/stat)
  };
  CpuMeter(int server_pid, int pg_pid);
  Use Stop() const;

 private:
  struct Snapshot {
    double wall = 0, self = 0, server = 0, postgres = 0;
    double total_ticks = 0, idle_ticks = 0;
  };
  Snapshot Take() const;
  int server_pid_, pg_pid_;
  Snapshot start_;
};

// Samples ReadProcStatus(pid) every 20 ms on a thread until destroyed; keeps
// the peaks.
class ProcSampler {
 public:
  explicit ProcSampler(int pid);
  ~ProcSampler();
  ProcSampler(const ProcSampler&) = delete;
  ProcSampler& operator=(const ProcSampler&) = delete;
  int peak_threads();
  double peak_rss_mb();

 private:
  void Loop();
  int pid_;
  std::atomic<bool> stop_{false};
  absl::Mutex mu_;
  int peak_threads_ ABSL_GUARDED_BY(mu_) = 0;
  double peak_rss_mb_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_PROC_STATS_H_
