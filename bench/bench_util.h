// Shared pieces of the audit-log benchmark: options, a scratch database,
// a migrated store, realistic events, timing and the `name value unit` output.
#ifndef BIDOPEN_BENCH_BENCH_UTIL_H_
#define BIDOPEN_BENCH_BENCH_UTIL_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/report.h"
#include "bidopen/v1/events.pb.h"
#include "platform/system_clock.h"
#include "server/store/event_log.h"
#include "server/store/merkle_tree.h"
#include "server/store/pool.h"

namespace bidopen::bench {

struct Options {
  std::string database;  // conninfo of a cluster; each run creates its own database in it
  std::string pki;       // dir made by `deploy/pki.sh init` (log.key, log.crt, ca.crt)
  std::vector<int> threads = {16, 64};
  double seconds = 10;          // measured window per append configuration
  double warmup = 2;            // before each window
  uint64_t leaves = 1000000;    // tree size for proofs and bundle size
  int samples = 100000;         // inclusion proofs timed
  bool json = true;             // also time the bundle's JSON parse
  bool profile_sql = false;     // count statements per event (needs pg_stat_statements)
  uint64_t bid_events = 10000;  // bid events in the tender before the measured appends
  int bid_samples = 300;        // measured appends per tender
  std::string only;             // "append", "bid_append", "proof", "bundle" or empty for all
};

// Parses argv; on a bad flag prints usage and exits 2.
Options ParseOptions(int argc, char** argv);

// A new, empty database in the cluster, dropped on destruction.
class ScratchDatabase {
 public:
  ScratchDatabase(const std::string& admin_conninfo, absl::string_view purpose);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  const std::string& conninfo() const { return conninfo_; }

 private:
  std::string admin_;
  std::string name_;
  std::string conninfo_;
};

// A pool on `conninfo` with the migrations applied and the projection current,
// as bidopend (and tests/pg/store_fixture.h) set up a store.
std::unique_ptr<store::Pool> OpenStore(const std::string& conninfo, int pool_size);

// A scratch database with a store on it and the event log bidopend would run.
struct BenchStore {
  BenchStore(const std::string& admin_conninfo, absl::string_view purpose, int pool_size)
      : db(admin_conninfo, purpose),
        pool(OpenStore(db.conninfo(), pool_size)),
        log(*pool, clock, tree) {}
  ScratchDatabase db;
  std::unique_ptr<store::Pool> pool;
  SystemClock clock;
  store::MerkleTree tree;
  store::EventLog log;
};

// A realistic key_registered draft (actor with a 64-hex fingerprint, a
// 32-byte X25519 key): about 180 bytes once seq and time are set.
v1::Event KeyEvent(uint64_t id);

// The bytes of KeyEvent(id) with seq and time set, as the log would store them.
std::string EncodedKeyEvent(uint64_t id, uint64_t seq);

using SteadyClock = std::chrono::steady_clock;
inline double SecondsSince(SteadyClock::time_point t) {
  return std::chrono::duration<double>(SteadyClock::now() - t).count();
}

// The p-quantile (0..1) of `v` (sorted in place), nearest rank.
double Quantile(std::vector<double>& v, double p);

std::string ReadFileOrDie(const std::string& path);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_BENCH_UTIL_H_
