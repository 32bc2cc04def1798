#include "bench/load.h"

#include <fstream>
#include <thread>
#include <vector>

namespace bidopen::bench {
namespace {

int64_t Ticks(SteadyClock::time_point t) { return t.time_since_epoch().count(); }

void SleepSeconds(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

// The machine's CPU time counters (all cpus, in ticks).
struct CpuTimes {
  uint64_t total = 0, idle = 0, steal = 0;
  static CpuTimes Now() {
    CpuTimes t;
    std::ifstream in("/proc/stat");
    std::string cpu;
    uint64_t v[10] = {0};
    in >> cpu;
    for (uint64_t& x : v) in >> x;
    for (int i = 0; i < 8; ++i) t.total += v[i];  // guest time is inside user already
    t.idle = v[3] + v[4];                         // idle + iowait
    t.steal = v[7];
    return t;
  }
};

}  // namespace

void Load::Error(const absl::Status& st) {
  errors_.fetch_add(1, std::memory_order_relaxed);
  absl::MutexLock lock(&mu_);
  if (first_error_.empty()) first_error_ = st.ToString();
}

bool Load::InWindow(SteadyClock::time_point t) const {
  const int64_t x = Ticks(t);
  return x >= window_begin_.load() && x < window_end_.load();
}

void Load::SetWindow(SteadyClock::time_point begin, SteadyClock::time_point end) {
  window_begin_ = Ticks(begin);
  window_end_ = Ticks(end);
}

std::string Load::first_error() {
  absl::MutexLock lock(&mu_);
  return first_error_;
}

Window RunLoad(int threads, const Options& options, const std::function<void(Load&)>& worker,
               const std::function<void()>& at_start, const std::function<void()>& at_end) {
  Load load;
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) pool.emplace_back([&] { worker(load); });
  SleepSeconds(options.warmup);
  at_start();
  const CpuTimes cpu0 = CpuTimes::Now();
  const uint64_t done0 = load.done(), errors0 = load.errors();
  const SteadyClock::time_point t0 = SteadyClock::now();
  SleepSeconds(options.seconds);
  const uint64_t done1 = load.done(), errors1 = load.errors();
  const SteadyClock::time_point t1 = SteadyClock::now();
  const CpuTimes cpu1 = CpuTimes::Now();
  load.SetWindow(t0, t1);
  at_end();
  load.Stop();
  for (auto& t : pool) t.join();
  Window w;
  w.events = done1 - done0;
  w.errors = errors1 - errors0;
  w.seconds = std::chrono::duration<double>(t1 - t0).count();
  w.first_error = load.first_error();
  const double ticks = static_cast<double>(cpu1.total - cpu0.total);
  if (ticks > 0) {
    w.cpu_busy = static_cast<double>((cpu1.total - cpu1.idle) - (cpu0.total - cpu0.idle)) / ticks;
    w.cpu_steal = static_cast<double>(cpu1.steal - cpu0.steal) / ticks;
  }
  return w;
}

}  // namespace bidopen::bench
