// audit_log_bench: the audit log's performance against raw baselines measured
// in the same run (bench/README.md). Prints `name value unit` lines; lines
// starting with '#' are context. Run it through bench/run_audit_log.sh.
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "bench/append_bench.h"
#include "bench/bench_util.h"
#include "bench/bid_append_bench.h"
#include "bench/bundle_bench.h"
#include "bench/proof_bench.h"

namespace bidopen::bench {
namespace {

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

void PrintEnvironment(const Options& o) {
  Note(absl::StrCat("cpus ", std::thread::hardware_concurrency(), ", ", CpuModel()));
  auto conn = Must(store::Conn::Open(o.database), "connect to the benchmark cluster");
  store::Result r = Must(conn->Query("SELECT version()"), "PostgreSQL version");
  Note(absl::StrCat("postgresql: ", r.Bytes(0, 0)));
  for (const char* setting : {"synchronous_commit", "fsync", "shared_buffers"}) {
    store::Result s =
        Must(conn->Query(absl::StrCat("SELECT current_setting('", setting, "')")), setting);
    Note(absl::StrCat(setting, " = ", s.Bytes(0, 0)));
  }
}

bool Wanted(const Options& o, absl::string_view part) { return o.only.empty() || o.only == part; }

}  // namespace
}  // namespace bidopen::bench

int main(int argc, char** argv) {
  using namespace bidopen::bench;
  const Options o = ParseOptions(argc, argv);
  PrintEnvironment(o);
  if (Wanted(o, "append")) RunAppendBench(o);
  if (Wanted(o, "bid_append")) RunBidAppendBench(o);
  if (Wanted(o, "proof")) RunProofBench(o);
  if (Wanted(o, "bundle")) RunBundleBench(o);
  return 0;
}
