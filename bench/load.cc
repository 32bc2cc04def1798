#include "bench/load.h"

#include <thread>
#include <vector>

namespace bidopen::bench {
namespace {

int64_t Ticks(SteadyClock::time_point t) { return t.time_since_epoch().count(); }

void SleepSeconds(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

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
  const uint64_t done0 = load.done(), errors0 = load.errors();
  const SteadyClock::time_point t0 = SteadyClock::now();
  SleepSeconds(options.seconds);
  const uint64_t done1 = load.done(), errors1 = load.errors();
  const SteadyClock::time_point t1 = SteadyClock::now();
  load.SetWindow(t0, t1);
  at_end();
  load.Stop();
  for (auto& t : pool) t.join();
  Window w;
  w.events = done1 - done0;
  w.errors = errors1 - errors0;
  w.seconds = std::chrono::duration<double>(t1 - t0).count();
  w.first_error = load.first_error();
  return w;
}

}  // namespace bidopen::bench
