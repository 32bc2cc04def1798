// Flags of bid_upload_bench (issue 4, benchmarks (b) and (c); bench/README.md).
#ifndef BIDOPEN_BENCH_BID_OPTIONS_H_
#define BIDOPEN_BENCH_BID_OPTIONS_H_

#include <cstdint>
#include <string>

namespace bidopen::bench {

struct BidOptions {
  std::string server;    // host:port of a running bidopend
  std::string pki;       // dir of `deploy/pki.sh init` (+ the surge's bidders)
  std::string database;  // a conninfo on bidopend's cluster, for the raw baseline
  std::string work;      // where documents and sealed files go
  int server_pid = 0;    // bidopend's pid: CPU, threads and peak RSS from /proc
  int pg_pid = 0;        // the postmaster's pid: PostgreSQL's CPU time
  std::string only;      // "ingest", "surge" or empty for both
  // (b) ingest
  uint64_t ingest_mib = 1024;  // size of the sealed file
  uint64_t chunk_kib = 256;    // bytes per UploadChunk and per raw INSERT
  std::string ingest_bidder = "bidder1";
  // (c) surge
  int bidders = 200;
  double bid_mib = 5;           // size of each sealed bid
  double spread = 10;           // seconds over which the uploads start
  std::string label = "surge";  // prefix of the surge's result names ("burst": spread ~0)
  bool raw_baseline = true;     // the surge's raw parallel baseline
  std::string times_csv;        // if set: one line per surge upload (start, durations)
  std::string bidder_prefix = "bench-bidder-";  // bidder i is <prefix><i, 3 digits>
  int setup_threads = 8;                        // for key registration and sealing
  bool wait_durable = false;  // diagnostic: commit only once GetUploadOffset says all is stored
  int raw_connections = 8;    // the surge's raw baseline: as bidopend's default --pool-size
};

// Parses argv (`--flag=value` or `--flag value`); prints usage and exits 2 on
// a bad flag. Defaults for --server, --pki, --database come from env
// BIDOPEN_BENCH_SERVER, BIDOPEN_BENCH_PKI, BIDOPEN_BENCH_PG.
BidOptions ParseBidOptions(int argc, char** argv);

// "bench-bidder-007" for i = 7.
std::string BidderName(const BidOptions& o, int i);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_BID_OPTIONS_H_
