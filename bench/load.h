// A closed-loop load: N threads each run a worker until told to stop; the
// events they complete inside a measured window, after a warm-up, give the rate.
#ifndef BIDOPEN_BENCH_LOAD_H_
#define BIDOPEN_BENCH_LOAD_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "bench/bench_util.h"

namespace bidopen::bench {

class Load {
 public:
  // Worker side.
  bool stopped() const { return stop_.load(std::memory_order_relaxed); }
  uint64_t NextId() { return next_id_.fetch_add(1, std::memory_order_relaxed); }
  void Done(uint64_t events) { done_.fetch_add(events, std::memory_order_relaxed); }
  void Error(const absl::Status& st);
  // Whether `t` falls inside the measured window (for per-call latencies).
  bool InWindow(SteadyClock::time_point t) const;

  // Driver side.
  uint64_t done() const { return done_.load(); }
  uint64_t errors() const { return errors_.load(); }
  void Stop() { stop_ = true; }
  void SetWindow(SteadyClock::time_point begin, SteadyClock::time_point end);
  std::string first_error();

 private:
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> next_id_{0};
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> errors_{0};
  std::atomic<int64_t> window_begin_{INT64_MAX};
  std::atomic<int64_t> window_end_{INT64_MAX};
  absl::Mutex mu_;
  std::string first_error_ ABSL_GUARDED_BY(mu_);
};

struct Window {
  uint64_t events = 0;
  uint64_t errors = 0;
  double seconds = 0;
  std::string first_error;
  double cpu_busy = 0;   // the whole machine's non-idle share over the window (/proc/stat)
  double cpu_steal = 0;  // of which stolen by the hypervisor
  double rate() const { return seconds > 0 ? static_cast<double>(events) / seconds : 0; }
};

// Starts `threads` threads running `worker(load)` (which loops until
// load.stopped()), waits options.warmup, then measures options.seconds.
// `at_start` and `at_end` run at the window's edges (e.g. to read counters).
Window RunLoad(
    int threads, const Options& options, const std::function<void(Load&)>& worker,
    const std::function<void()>& at_start = [] {}, const std::function<void()>& at_end = [] {});

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_LOAD_H_
