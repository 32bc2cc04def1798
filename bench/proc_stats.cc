#include "bench/proc_stats.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace bidopen::bench {
namespace {

double Wall() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Fields of /proc/<pid>/stat after the command name: [0] is the state, [1]
// the ppid, [11] utime, [12] stime, [13] cutime, [14] cstime (proc(5)
// numbers them 3, 4, 14, 15, 16, 17).
bool StatFields(int pid, std::vector<std::string>* fields) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(in, line)) return false;
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) return false;
  std::istringstream rest(line.substr(paren + 2));
  fields->clear();
  for (std::string f; rest >> f;) fields->push_back(f);
  return fields->size() > 14;
}

// CPU seconds in fields [from] and [from + 1].
double CpuOf(const std::vector<std::string>& f, int from = 11) {
  double user = 0, system = 0;
  if (!absl::SimpleAtod(f[from], &user) || !absl::SimpleAtod(f[from + 1], &system)) return 0;
  return (user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double ChildrenCpu(int parent) {
  double sum = 0;
  std::error_code ec;
  std::vector<std::string> f;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    int pid = 0;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &pid)) continue;
    if (StatFields(pid, &f) && f[1] == std::to_string(parent)) sum += CpuOf(f);
  }
  return sum;
}

void MachineTicks(double* total, double* idle) {
  std::ifstream in("/proc/stat");
  std::string cpu;
  double v[8] = {0};
  in >> cpu;
  for (double& x : v) in >> x;
  *total = 0;
  for (double x : v) *total += x;
  *idle = v[3] + v[4];  // idle + iowait
}

}  // namespace

ProcStatus ReadProcStatus(int pid) {
  ProcStatus s;
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  for (std::string key; in >> key;) {
    double v = 0;
    if (key == "VmHWM:" && in >> v) s.hwm_mb = v * 1024 / 1e6;
    if (key == "VmRSS:" && in >> v) s.rss_mb = v * 1024 / 1e6;
    if (key == "Threads:") in >> s.threads;
  }
  return s;
}

double ProcCpuSeconds(int pid, bool with_children) {
  if (pid <= 0) return 0;
  std::vector<std::string> f;
  if (!StatFields(pid, &f)) return 0;
  // With children: the live ones, and the exited ones the parent waited for.
  return with_children ? CpuOf(f) + CpuOf(f, 13) + ChildrenCpu(pid) : CpuOf(f);
}

CpuMeter::CpuMeter(int server_pid, int pg_pid)
    : server_pid_(server_pid), pg_pid_(pg_pid), start_(Take()) {}

CpuMeter::Snapshot CpuMeter::Take() const {
  Snapshot s;
  s.wall = Wall();
  s.self = ProcCpuSeconds(getpid());
  s.server = ProcCpuSeconds(server_pid_);
  s.postgres = ProcCpuSeconds(pg_pid_, true);
  MachineTicks(&s.total_ticks, &s.idle_ticks);
  return s;
}

CpuMeter::Use CpuMeter::Stop() const {
  const Snapshot end = Take();
  Use u;
  u.seconds = end.wall - start_.wall;
  u.self = end.self - start_.self;
  u.server = end.server - start_.server;
  u.postgres = end.postgres - start_.postgres;
  const double ticks = end.total_ticks - start_.total_ticks;
  if (ticks > 0) u.busy = 1 - (end.idle_ticks - start_.idle_ticks) / ticks;
  return u;
}

ProcSampler::ProcSampler(int pid) : pid_(pid), thread_([this] { Loop(); }) {}

ProcSampler::~ProcSampler() {
  stop_ = true;
  thread_.join();
}

void ProcSampler::Loop() {
  while (!stop_) {
    const ProcStatus s = ReadProcStatus(pid_);
    {
      absl::MutexLock lock(&mu_);
      peak_threads_ = std::max(peak_threads_, s.threads);
      peak_rss_mb_ = std::max(peak_rss_mb_, s.rss_mb);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int ProcSampler::peak_threads() {
  absl::MutexLock lock(&mu_);
  return peak_threads_;
}

double ProcSampler::peak_rss_mb() {
  absl::MutexLock lock(&mu_);
  return peak_rss_mb_;
}

}  // namespace bidopen::bench
