#include "bench/bid_options.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "bench/flags.h"

namespace bidopen::bench {
namespace {

constexpr char kUsage[] =
    "usage: bid_upload_bench --server=HOST:PORT --pki=DIR --database=CONNINFO --work=DIR\n"
    "         [--server_pid=PID] [--pg_pid=PID] [--only=ingest|surge]\n"
    "         [--ingest_mib=1024] [--chunk_kib=256] [--ingest_bidder=bidder1]\n"
    "         [--bidders=200] [--bid_mib=5] [--spread=10] [--bidder_prefix=bench-bidder-]\n"
    "         [--setup_threads=8] [--raw_connections=8] [--wait_durable=true]\n"
    "         [--label=surge] [--raw_baseline=true|false] [--times_csv=FILE]\n"
    "  --server      a running bidopend (env BIDOPEN_BENCH_SERVER)\n"
    "  --pki         its PKI: ca.crt, agency1, the ingest bidder and the surge's bidders\n"
    "                <prefix>001 .. (env BIDOPEN_BENCH_PKI)\n"
    "  --database    a conninfo on bidopend's cluster (superuser: CREATE DATABASE,\n"
    "                CHECKPOINT) for the raw baseline (env BIDOPEN_BENCH_PG)\n"
    "  --server_pid  bidopend's pid, for its CPU time, threads and peak RSS\n"
    "  --pg_pid      the postmaster's pid, for PostgreSQL's CPU time\n"
    "  --wait_durable  diagnostic: after the last chunk, poll GetUploadOffset until every\n"
    "                byte is stored, then commit (commit-to-receipt is then the commit alone)\n";

[[noreturn]] void Usage(absl::string_view why) { UsageExit(kUsage, why); }

template <typename T>
T Positive(absl::string_view flag, absl::string_view text) {
  T v{};
  bool ok = false;
  if constexpr (std::is_floating_point_v<T>) {
    ok = absl::SimpleAtod(text, &v);
  } else {
    ok = absl::SimpleAtoi(text, &v);
  }
  if (!ok || !(v > 0)) Usage(absl::StrCat("--", flag, ": not a positive number"));
  return v;
}

void SetFlag(BidOptions& o, absl::string_view key, absl::string_view value) {
  if (key == "server")
    o.server = std::string(value);
  else if (key == "pki")
    o.pki = std::string(value);
  else if (key == "database")
    o.database = std::string(value);
  else if (key == "work")
    o.work = std::string(value);
  else if (key == "server_pid")
    o.server_pid = Positive<int>(key, value);
  else if (key == "pg_pid")
    o.pg_pid = Positive<int>(key, value);
  else if (key == "times_csv")
    o.times_csv = std::string(value);
  else if (key == "label")
    o.label = std::string(value);
  else if (key == "raw_baseline")
    o.raw_baseline = value != "0" && value != "false";
  else if (key == "wait_durable")
    o.wait_durable = value == "1" || value == "true";
  else if (key == "raw_connections")
    o.raw_connections = Positive<int>(key, value);
  else if (key == "only")
    o.only = std::string(value);
  else if (key == "ingest_mib")
    o.ingest_mib = Positive<uint64_t>(key, value);
  else if (key == "chunk_kib")
    o.chunk_kib = Positive<uint64_t>(key, value);
  else if (key == "ingest_bidder")
    o.ingest_bidder = std::string(value);
  else if (key == "bidders")
    o.bidders = Positive<int>(key, value);
  else if (key == "bid_mib")
    o.bid_mib = Positive<double>(key, value);
  else if (key == "spread")
    o.spread = Positive<double>(key, value);
  else if (key == "bidder_prefix")
    o.bidder_prefix = std::string(value);
  else if (key == "setup_threads")
    o.setup_threads = Positive<int>(key, value);
  else
    Usage(absl::StrCat("unknown flag --", key));
}

void Check(const BidOptions& o) {
  if (o.server.empty()) Usage("no server: pass --server or set BIDOPEN_BENCH_SERVER");
  if (o.pki.empty()) Usage("no PKI: pass --pki or set BIDOPEN_BENCH_PKI");
  if (o.work.empty()) Usage("no --work directory");
  if (o.only != "" && o.only != "ingest" && o.only != "surge") Usage("--only: ingest or surge");
  if (o.database.empty() && o.only != "surge")
    Usage("no database for the raw baseline: pass --database or set BIDOPEN_BENCH_PG");
  if (o.bidders > 999) Usage("--bidders: at most 999");
}

}  // namespace

BidOptions ParseBidOptions(int argc, char** argv) {
  BidOptions o;
  o.server = Env("BIDOPEN_BENCH_SERVER");
  o.pki = Env("BIDOPEN_BENCH_PKI");
  o.database = Env("BIDOPEN_BENCH_PG");
  ParseFlags(argc, argv, kUsage, {"raw_baseline", "wait_durable"},
             [&](absl::string_view k, absl::string_view v) { SetFlag(o, k, v); });
  Check(o);
  return o;
}

std::string BidderName(const BidOptions& o, int i) {
  return absl::StrFormat("%s%03d", o.bidder_prefix, i);
}

}  // namespace bidopen::bench
