#include "bench/bench_util.h"

#include <errno.h>  // program_invocation_short_name
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/flags.h"
#include "core/crypto/sha256.h"
#include "core/opening/event_codec.h"
#include "core/opening/time_text.h"
#include "server/store/migrations.h"
#include "server/store/projector.h"

namespace bidopen::bench {
namespace {

constexpr char kUsage[] =
    "usage: audit_log_bench [--database=CONNINFO] [--pki=DIR] [--threads=16,64]\n"
    "         [--seconds=10] [--warmup=2] [--leaves=1000000] [--samples=100000]\n"
    "         [--json=true|false] [--profile_sql] [--bid_events=10000] [--bid_samples=300]\n"
    "         [--only=append|bid_append|proof|bundle]\n"
    "  --database  a cluster's conninfo (default: env BIDOPEN_BENCH_PG); each run\n"
    "              creates and drops its own scratch databases there\n"
    "  --pki       dir made by `deploy/pki.sh init` (default: env BIDOPEN_BENCH_PKI);\n"
    "              needed for AuditApp::Inclusion and the bundle\n";

[[noreturn]] void Usage(absl::string_view why) { UsageExit(kUsage, why); }

template <typename T>
T Number(absl::string_view flag, absl::string_view text) {
  T v{};
  if (!absl::SimpleAtoi(text, &v) || v <= 0) Usage(absl::StrCat(flag, ": not a positive number"));
  return v;
}

double Seconds(absl::string_view flag, absl::string_view text) {
  double v = 0;
  if (!absl::SimpleAtod(text, &v) || !(v >= 0)) Usage(absl::StrCat(flag, ": not a duration"));
  return v;
}

void SetFlag(Options& o, absl::string_view key, absl::string_view value) {
  if (key == "database") {
    o.database = std::string(value);
  } else if (key == "pki") {
    o.pki = std::string(value);
  } else if (key == "threads") {
    o.threads.clear();
    for (absl::string_view t : absl::StrSplit(value, ',')) o.threads.push_back(Number<int>(key, t));
  } else if (key == "seconds") {
    o.seconds = Seconds(key, value);
  } else if (key == "warmup") {
    o.warmup = Seconds(key, value);
  } else if (key == "leaves") {
    o.leaves = Number<uint64_t>(key, value);
  } else if (key == "samples") {
    o.samples = Number<int>(key, value);
  } else if (key == "json") {
    o.json = value != "false" && value != "0";
  } else if (key == "profile_sql") {
    o.profile_sql = value != "false" && value != "0";
  } else if (key == "bid_events") {
    o.bid_events = Number<uint64_t>(key, value);
  } else if (key == "bid_samples") {
    o.bid_samples = Number<int>(key, value);
  } else if (key == "only") {
    o.only = std::string(value);
  } else {
    Usage(absl::StrCat("unknown flag --", key));
  }
}

}  // namespace

Options ParseOptions(int argc, char** argv) {
  Options o;
  o.database = Env("BIDOPEN_BENCH_PG");
  o.pki = Env("BIDOPEN_BENCH_PKI");
  ParseFlags(argc, argv, kUsage, {"profile_sql", "json"},
             [&](absl::string_view k, absl::string_view v) { SetFlag(o, k, v); });
  if (o.database.empty()) Usage("no database: pass --database or set BIDOPEN_BENCH_PG");
  return o;
}

ScratchDatabase::ScratchDatabase(const std::string& admin, absl::string_view purpose)
    : admin_(admin) {
  static int counter = 0;
  name_ = absl::StrCat("bo_bench_", purpose, "_", getpid(), "_", counter++);
  auto conn = Must(store::Conn::Open(admin_), "connect to the benchmark cluster");
  Must(conn->Exec(absl::StrCat("CREATE DATABASE ", name_)), "create the scratch database");
  conninfo_ = absl::StrCat(admin_, " dbname=", name_);
}

ScratchDatabase::~ScratchDatabase() {
  auto conn = store::Conn::Open(admin_);
  if (conn.ok())
    (void)(*conn)->Exec(absl::StrCat("DROP DATABASE IF EXISTS ", name_, " WITH (FORCE)"));
}

std::unique_ptr<store::Pool> OpenStore(const std::string& conninfo, int pool_size) {
  auto pool = Must(store::Pool::Create(conninfo, pool_size), "open the pool");
  auto conn = Must(pool->Acquire(), "acquire a connection");
  Must(store::Migrate(*conn, store::EmbeddedMigrations()).status(), "migrate");
  Must(store::Projector::EnsureCurrent(*conn).status(), "projector");
  return pool;
}

v1::Event KeyEvent(uint64_t id) {
  const std::string seed = absl::StrCat("bench-party-", id);
  v1::Event e;
  e.mutable_actor()->set_fingerprint(crypto::Hex(crypto::Sha256(seed)));
  e.mutable_actor()->set_organization(absl::StrCat("Custodian Trust Company No. ", id, " Ltd"));
  e.mutable_actor()->set_common_name(absl::StrCat("custodian-", id));
  e.mutable_actor()->set_role(v1::ROLE_CUSTODIAN);
  e.mutable_key_registered()->set_x25519_public_key(crypto::Sha256(absl::StrCat(seed, "/key")));
  return e;
}

std::string EncodedKeyEvent(uint64_t id, uint64_t seq) {
  v1::Event e = KeyEvent(id);
  e.set_seq(seq);
  *e.mutable_time() = ToProto(absl::Now());
  return EncodeEvent(e);
}

double Quantile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(absl::StrCat("read ", path), absl::NotFoundError("cannot open the file"));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace bidopen::bench
