// Watch benchmark (issue 12, bench/README.md "Watch"): N concurrent
// OpeningService.Watch streams of one lot on one bidopend; the agency appends
// events to the lot (AmendLot, one every --interval_ms) and each watcher
// records when each arrived. Delivery latency = receipt minus the moment just
// before the appending call was made (so it includes the append's commit).
// Raw baseline in the same run: the same with a single watcher. Also the
// server's resident memory before the watchers connected and once they all
// received their first update, per watcher; and the largest N of --watchers
// whose p99 stays within 1 s.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/bench_util.h"
#include "bench/bid_client.h"
#include "bench/flags.h"
#include "bench/proc_stats.h"
#include "bench/report.h"
#include "bench/watch_client.h"
#include "bidopen/v1/audit.grpc.pb.h"
#include "bidopen/v1/tender.grpc.pb.h"
#include "core/opening/time_text.h"

namespace bidopen::bench {
namespace {

constexpr char kUsage[] =
    "usage: watch_bench --server=HOST:PORT --pki=DIR [--server_pid=PID]\n"
    "         [--watchers=1000,2000,5000,10000] [--events=20] [--interval_ms=200]\n"
    "         [--per_channel=30] [--identity=auditor1]\n"
    "  --server      a running bidopend (its PKI in --pki: ca.crt, agency1, the identity)\n"
    "  --watchers    the numbers of concurrent watchers to measure, after 1 (the baseline)\n"
    "  --per_channel watchers per channel (one TCP connection; bidopend allows 32 streams)\n"
    "  --append_server  another bidopend on the same database to append through (replicas:\n"
    "                the delivery then crosses from one replica to the other's watchers)\n";

struct WatchOptions {
  std::string server, pki, identity = "auditor1";
  std::string append_server;  // empty: --server
  int server_pid = 0;
  std::vector<int> watchers = {1000, 2000, 5000, 10000};
  int events = 20;
  int interval_ms = 200;
  int per_channel = 30;
};

int Positive(absl::string_view flag, absl::string_view text) {
  int v = 0;
  if (!absl::SimpleAtoi(text, &v) || v <= 0)
    UsageExit(kUsage, absl::StrCat("--", flag, ": not a positive number"));
  return v;
}

WatchOptions Parse(int argc, char** argv) {
  WatchOptions o;
  ParseFlags(argc, argv, kUsage, {}, [&](absl::string_view k, absl::string_view v) {
    if (k == "server") {
      o.server = std::string(v);
    } else if (k == "append_server") {
      o.append_server = std::string(v);
    } else if (k == "pki") {
      o.pki = std::string(v);
    } else if (k == "identity") {
      o.identity = std::string(v);
    } else if (k == "server_pid") {
      o.server_pid = Positive(k, v);
    } else if (k == "watchers") {
      o.watchers.clear();
      for (absl::string_view n : absl::StrSplit(v, ',')) o.watchers.push_back(Positive(k, n));
    } else if (k == "events") {
      o.events = Positive(k, v);
    } else if (k == "interval_ms") {
      o.interval_ms = Positive(k, v);
    } else if (k == "per_channel") {
      o.per_channel = std::min(Positive(k, v), 32);
    } else {
      UsageExit(kUsage, absl::StrCat("unknown flag --", k));
    }
  });
  if (o.server.empty() || o.pki.empty()) UsageExit(kUsage, "--server and --pki are required");
  return o;
}

absl::Status FromGrpc(const grpc::Status& st, absl::string_view what) {
  if (st.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                      absl::StrCat(what, ": ", st.error_message()));
}

// Appends the lot's events: each AmendLot moves the deadline a minute on.
class Appender {
 public:
  Appender(const Identity& agency, const v1::Tender& tender)
      : agency_(agency),
        stub_(v1::TenderService::NewStub(agency.channel)),
        tender_(tender.id()),
        base_(FromProto(tender.lots(0).spec().submission_deadline())) {}

  // Appends "bench k"; returns the time just before the call.
  absl::Time Append(int k) {
    v1::AmendLotRequest req;
    req.set_tender_id(tender_);
    req.set_lot(1);
    *req.mutable_submission_deadline() = ToProto(base_ + absl::Minutes(++count_));
    req.set_reason(absl::StrCat("bench ", k));
    grpc::ClientContext ctx;
    Must(SignInto(&ctx, agency_, "/bidopen.v1.TenderService/AmendLot", req), "sign");
    v1::Tender out;
    const absl::Time sent = absl::Now();
    Must(FromGrpc(stub_->AmendLot(&ctx, req, &out), "AmendLot"), "append");
    call_ms_.push_back(absl::ToDoubleMilliseconds(absl::Now() - sent));
    return sent;
  }
  std::vector<double>& call_ms() { return call_ms_; }

 private:
  const Identity& agency_;
  std::unique_ptr<v1::TenderService::Stub> stub_;
  std::string tender_;
  absl::Time base_;
  int count_ = 0;
  std::vector<double> call_ms_;
};

uint64_t LogSize(const Identity& auditor) {
  grpc::ClientContext ctx;
  v1::SignedTreeHead head;
  Must(FromGrpc(v1::AuditService::NewStub(auditor.channel)
                    ->GetTreeHead(&ctx, v1::GetTreeHeadRequest(), &head),
                "GetTreeHead"),
       "log size");
  return head.size();
}

struct Phase {
  double p50 = 0, p99 = 0, max = 0;
  double rss_per_watcher_kb = 0;
};

// N watchers, --events appends; reports `watch_n<N>_*` lines.
// `rss_before`: bidopend's resident MB before the run's first watcher (glibc
// keeps what an earlier phase freed, so a phase's own start would undercount).
Phase Measure(const WatchOptions& o, const Identity& auditor, Appender& appender,
              const v1::LotRef& lot, int n, double rss_before) {
  const std::string name = absl::StrCat("watch_n", n, "_");
  Phase out;
  std::vector<absl::Time> sent;
  {
    WatcherSet set(o.events);
    const absl::Time opened = absl::Now();
    Must(set.Open(o.server, o.pki, o.identity, lot, LogSize(auditor), n, o.per_channel), "watch");
    const int ready = set.WaitReady(absl::Seconds(30) + absl::Milliseconds(10) * n);
    Report(name + "connect_s", absl::ToDoubleSeconds(absl::Now() - opened), "s");
    if (ready < n) Note(absl::StrCat("only ", ready, " of ", n, " watchers got an update"));
    absl::SleepFor(absl::Seconds(2));  // a heartbeat or two: every stream settled
    if (o.server_pid) {
      const ProcStatus st = ReadProcStatus(o.server_pid);
      out.rss_per_watcher_kb = (st.rss_mb - rss_before) * 1000 / n;
      Report(name + "server_rss_mb", st.rss_mb, "MB");
      Report(name + "server_threads", st.threads, "threads");
      Report(name + "rss_per_watcher_kb", out.rss_per_watcher_kb, "kB");
    }
    for (int k = 0; k < o.events; ++k) {
      sent.push_back(appender.Append(k));
      absl::SleepFor(absl::Milliseconds(o.interval_ms));
    }
    const int64_t got = set.WaitAll(absl::Seconds(30));
    const int64_t want = static_cast<int64_t>(n) * o.events;
    std::vector<double> ms = set.Latencies(sent);
    out.p50 = Quantile(ms, 0.5);
    out.p99 = Quantile(ms, 0.99);
    out.max = ms.empty() ? 0 : ms.back();
    Report(name + "p50_ms", out.p50, "ms");
    Report(name + "p99_ms", out.p99, "ms");
    Report(name + "max_ms", out.max, "ms");
    Report(name + "missing", static_cast<double>(want - got), "deliveries");
    Report(name + "ended", set.Ended(), "watchers");
    if (got < want) out.p99 = out.max = 1e9;  // a lost delivery fails the phase
  }
  absl::SleepFor(absl::Seconds(1));
  return out;
}

}  // namespace

int Main(int argc, char** argv) {
  const WatchOptions o = Parse(argc, argv);
  const std::string appender_at = o.append_server.empty() ? o.server : o.append_server;
  const Identity agency = Must(OpenIdentity(appender_at, o.pki, "agency1"), "agency1");
  if (!o.append_server.empty())
    Note(absl::StrCat("appending through ", o.append_server, ", watching on ", o.server,
                      " (two replicas of one database)"));
  const Identity auditor = Must(OpenIdentity(o.server, o.pki, o.identity), o.identity);
  const v1::Tender tender = Must(CreateBenchTender(agency, "Watch benchmark"), "tender");
  v1::LotRef lot;
  lot.set_tender_id(tender.id());
  lot.set_lot(1);
  Appender appender(agency, tender);
  Note(absl::StrCat(o.events, " events per phase, one every ", o.interval_ms, " ms; ",
                    o.per_channel, " watchers per connection"));

  const double rss = o.server_pid ? ReadProcStatus(o.server_pid).rss_mb : 0;
  Report("watch_server_rss_before_mb", rss, "MB");
  const Phase one = Measure(o, auditor, appender, lot, 1, rss);
  int largest = 0;
  for (int n : o.watchers) {
    const Phase p = Measure(o, auditor, appender, lot, n, rss);
    Report(absl::StrCat("watch_n", n, "_p99_ratio"), p.p99 / std::max(one.p99, 1e-3), "ratio");
    if (p.p99 <= 1000) largest = std::max(largest, n);
  }
  Report("watch_append_call_p50_ms", Quantile(appender.call_ms(), 0.5), "ms");
  Report("watch_largest_n_p99_within_1s", largest, "watchers");
  return 0;
}

}  // namespace bidopen::bench

int main(int argc, char** argv) { return bidopen::bench::Main(argc, argv); }
