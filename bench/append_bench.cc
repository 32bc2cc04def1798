#include "bench/append_bench.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "bench/load.h"
#include "bench/raw_baseline.h"
#include "platform/system_clock.h"
#include "server/store/event_log.h"
#include "server/store/merkle_tree.h"

namespace bidopen::bench {
namespace {

double Ms(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// What the writer does, seen from inside the commands. Only the writer runs
// commands, one at a time; commands of one batch share one `now()`.
struct WriterProbe {
  std::atomic<int64_t> last_now{0};
  std::atomic<uint64_t> batches{0};
  std::atomic<uint64_t> commands{0};
  std::atomic<int64_t> append_ns{0};

  void Saw(absl::Time now) {
    const int64_t ns = absl::ToUnixNanos(now);
    if (last_now.exchange(ns) != ns) ++batches;
    ++commands;
  }
};

struct ProbeSnapshot {
  uint64_t batches = 0, commands = 0;
  int64_t append_ns = 0;
  static ProbeSnapshot Of(const WriterProbe& p) {
    return {p.batches.load(), p.commands.load(), p.append_ns.load()};
  }
};

// Run latencies of calls that completed inside the window, and the longest
// call of the whole load (a caller can be kept draining others' batches).
struct Latencies {
  absl::Mutex mu;
  std::vector<double> window_ms ABSL_GUARDED_BY(mu);
  double longest_ms ABSL_GUARDED_BY(mu) = 0;
};

void EventLogWorker(store::EventLog& log, WriterProbe& probe, Latencies& lat, Load& load) {
  std::vector<std::pair<SteadyClock::time_point, double>> mine;
  while (!load.stopped()) {
    const uint64_t id = load.NextId();
    const SteadyClock::time_point t0 = SteadyClock::now();
    absl::Status st = log.Run([&](store::CommandTx& tx) {
      probe.Saw(tx.now());
      const SteadyClock::time_point a0 = SteadyClock::now();
      absl::Status s = tx.Append(KeyEvent(id)).status();
      probe.append_ns += std::chrono::nanoseconds(SteadyClock::now() - a0).count();
      return s;
    });
    const SteadyClock::time_point t1 = SteadyClock::now();
    if (!st.ok()) {
      load.Error(st);
      continue;
    }
    load.Done(1);
    mine.emplace_back(t1, Ms(t1 - t0));
  }
  absl::MutexLock lock(&lat.mu);
  for (const auto& [end, ms] : mine) {
    if (load.InWindow(end)) lat.window_ms.push_back(ms);
    lat.longest_ms = std::max(lat.longest_ms, ms);
  }
}

// Statement counts from pg_stat_statements over the event-log window.
class SqlProfile {
 public:
  SqlProfile(const std::string& conninfo, bool enabled) {
    if (!enabled) return;
    conn_ = Must(store::Conn::Open(conninfo), "connect (profile)");
    absl::Status st = conn_->Exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    if (st.ok()) st = conn_->Exec("SELECT pg_stat_statements_reset()");
    if (!st.ok()) {
      Note(absl::StrCat("--profile_sql: pg_stat_statements unavailable (", st.message(),
                        "); start PostgreSQL with shared_preload_libraries=pg_stat_statements"));
      conn_.reset();
    }
  }
  void Reset() {
    if (conn_) Must(conn_->Exec("SELECT pg_stat_statements_reset()"), "reset statements");
  }
  void Print(absl::string_view prefix, uint64_t events);

 private:
  std::unique_ptr<store::Conn> conn_;
};

void SqlProfile::Print(absl::string_view prefix, uint64_t events) {
  if (!conn_ || events == 0) return;
  store::Result r =
      Must(conn_->Query("SELECT calls, query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM"
                        " pg_database WHERE datname = current_database()) AND query NOT LIKE"
                        " '%pg_stat_statements%' ORDER BY calls DESC"),
           "read pg_stat_statements");
  double total = 0;
  for (int i = 0; i < r.rows(); ++i) {
    const double per_event = static_cast<double>(r.Int64(i, 0)) / static_cast<double>(events);
    total += per_event;
    Note(absl::StrCat(prefix, " statements/event ", absl::SixDigits(per_event), ": ",
                      r.Bytes(i, 1)));
  }
  Report(absl::StrCat(prefix, "_statements_per_event"), total, "statements");
}

double IdleRoundTripMicros(const std::string& conninfo, int pings) {
  auto conn = Must(store::Conn::Open(conninfo), "connect (round trip)");
  constexpr store::Statement kPing{"bench_ping", "SELECT 1"};
  std::vector<double> us;
  for (int i = 0; i < pings; ++i) {
    const SteadyClock::time_point t0 = SteadyClock::now();
    Must(conn->Run(kPing).status(), "ping");
    us.push_back(Ms(SteadyClock::now() - t0) * 1000);
  }
  return Quantile(us, 0.5);
}

// The same with one thread spinning meanwhile: on a VM whose idle vCPUs
// take long to wake up, a busy machine answers a round trip much faster.
double BusyRoundTripMicros(const std::string& conninfo) {
  std::atomic<bool> stop{false};
  std::thread spinner([&] {
    while (!stop.load(std::memory_order_relaxed)) {
    }
  });
  const double us = IdleRoundTripMicros(conninfo, 2000);
  stop = true;
  spinner.join();
  return us;
}

void Checkpoint(const std::string& conninfo) {
  auto conn = Must(store::Conn::Open(conninfo), "connect (checkpoint)");
  Must(conn->Exec("CHECKPOINT"), "checkpoint");
}

void ReportWindow(absl::string_view name, const Window& w) {
  Report(name, w.rate(), "events/s");
  Report(absl::StrCat(name, "_cpu_busy"), w.cpu_busy, "fraction");
  Report(absl::StrCat(name, "_cpu_steal"), w.cpu_steal, "fraction");
  if (w.errors > 0) {
    Report(absl::StrCat(name, "_errors"), static_cast<double>(w.errors), "errors");
    Note(absl::StrCat(name, " first error: ", w.first_error));
  }
}

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

class AppendBench {
 public:
  explicit AppendBench(const Options& o)
      : o_(o), store_(o.database, "append", 4), profile_(store_.db.conninfo(), o.profile_sql) {}

  void Run() {
    Report("event_bytes", static_cast<double>(EncodedKeyEvent(0, 0).size()), "bytes");
    Report("pg_roundtrip_idle_p50", IdleRoundTripMicros(store_.db.conninfo(), 2000), "us");
    Report("pg_roundtrip_spinning_p50", BusyRoundTripMicros(store_.db.conninfo()), "us");
    for (int t : o_.threads) RunThreads(t);
  }

 private:
  Window Raw(int threads, void (*worker)(const std::string&, Load&)) {
    ResetRawTable(store_.db.conninfo());
    Checkpoint(store_.db.conninfo());
    const std::string& conninfo = store_.db.conninfo();
    return RunLoad(threads, o_, [&](Load& load) { worker(conninfo, load); });
  }

  void RunThreads(int threads) {
    const std::string p = absl::StrCat("append_t", threads);
    const Window raw1 = Raw(threads, RawOneRowPerTx);
    ReportWindow(absl::StrCat(p, "_raw_1row_tx"), raw1);
    const Window raw256 = Raw(threads, RawBatchPerTx);
    ReportWindow(absl::StrCat(p, "_raw_256row_tx"), raw256);
    const Window raw_stmt = Raw(threads, RawBatchOneStatement);
    ReportWindow(absl::StrCat(p, "_raw_256row_1stmt"), raw_stmt);
    const Window ev = EventLogWindow(threads, p);
    Report(absl::StrCat(p, "_event_log_vs_raw_1row_tx"), Ratio(ev.rate(), raw1.rate()), "ratio");
    Report(absl::StrCat(p, "_event_log_vs_raw_256row_tx"), Ratio(ev.rate(), raw256.rate()),
           "ratio");
    Report(absl::StrCat(p, "_event_log_vs_raw_256row_1stmt"), Ratio(ev.rate(), raw_stmt.rate()),
           "ratio");
  }

  Window EventLogWindow(int threads, const std::string& p) {
    Checkpoint(store_.db.conninfo());
    // The writer is round-trip bound: the idle round trip just before says how noisy now is.
    Report(absl::StrCat(p, "_event_log_roundtrip_before_p50"),
           IdleRoundTripMicros(store_.db.conninfo(), 500), "us");
    WriterProbe probe;
    Latencies lat;
    ProbeSnapshot s0, s1;
    const Window w = RunLoad(
        threads, o_, [&](Load& load) { EventLogWorker(store_.log, probe, lat, load); },
        [&] {
          profile_.Reset();
          s0 = ProbeSnapshot::Of(probe);
        },
        [&] { s1 = ProbeSnapshot::Of(probe); });
    ReportWindow(absl::StrCat(p, "_event_log"), w);
    const double batches = static_cast<double>(s1.batches - s0.batches);
    const double commands = static_cast<double>(s1.commands - s0.commands);
    Report(absl::StrCat(p, "_event_log_batch_mean"), Ratio(commands, batches), "events");
    Report(absl::StrCat(p, "_event_log_append_share"),
           Ratio(static_cast<double>(s1.append_ns - s0.append_ns) * 1e-9, w.seconds), "fraction");
    Report(absl::StrCat(p, "_event_log_append_us"),
           Ratio(static_cast<double>(s1.append_ns - s0.append_ns) * 1e-3, commands), "us/event");
    profile_.Print(absl::StrCat(p, "_event_log"), w.events);
    absl::MutexLock lock(&lat.mu);
    Report(absl::StrCat(p, "_event_log_run_p50"), Quantile(lat.window_ms, 0.5), "ms");
    Report(absl::StrCat(p, "_event_log_run_p99"), Quantile(lat.window_ms, 0.99), "ms");
    Report(absl::StrCat(p, "_event_log_run_longest"), lat.longest_ms, "ms");
    return w;
  }

  const Options& o_;
  BenchStore store_;
  SqlProfile profile_;
};

}  // namespace

void RunAppendBench(const Options& options) { AppendBench(options).Run(); }

}  // namespace bidopen::bench
