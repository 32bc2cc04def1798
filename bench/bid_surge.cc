#include "bench/bid_surge.h"

#include <filesystem>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/bench_util.h"
#include "bench/bid_client.h"
#include "bench/bid_setup.h"
#include "bench/bid_upload.h"
#include "bench/raw_chunks.h"
#include "bench/surge_report.h"
#include "core/status_macros.h"

namespace bidopen::bench {
namespace {

struct SurgeBidder {
  Identity id;
  SealedFile file;
  SignedStatement statement;
};

absl::Status PrepareOne(const BidOptions& o, const v1::Tender& tender, const std::string& doc,
                        int i, SurgeBidder& b) {
  const std::string name = BidderName(o, i + 1);
  BO_ASSIGN_OR_RETURN(b.id, OpenIdentity(o.server, o.pki, name));
  BO_ASSIGN_OR_RETURN(std::string pub, RegisterFreshKey(b.id));
  const std::string path = absl::StrCat(o.work, "/", name, ".sealed");
  BO_ASSIGN_OR_RETURN(b.file, SealBenchBid(b.id, pub, tender, doc, path));
  BO_ASSIGN_OR_RETURN(b.statement, SignSubmission(b.id, tender, b.file));
  return absl::OkStatus();
}

// Everything before the clock: certificates, channels (connected by the key
// registration), keys, sealed files and signed statements.
std::vector<SurgeBidder> Prepare(const BidOptions& o, const v1::Tender& tender) {
  const std::string doc = o.work + "/surge-document.bin";
  Must(MakeDocument(doc, DocumentBytesFor(static_cast<uint64_t>(o.bid_mib * kMiB))), "document");
  std::vector<SurgeBidder> bidders(o.bidders);
  const SteadyClock::time_point t0 = SteadyClock::now();
  Must(ParallelFor(o.bidders, o.setup_threads,
                   [&](int i) { return PrepareOne(o, tender, doc, i, bidders[i]); }),
       "prepare the bidders");
  Report(absl::StrCat(o.label, "_setup_s"), SecondsSince(t0), "s");
  std::filesystem::remove(doc);
  return bidders;
}

std::vector<std::string> Files(const std::vector<SurgeBidder>& bidders) {
  std::vector<std::string> files;
  for (const SurgeBidder& b : bidders) files.push_back(b.file.path);
  return files;
}

// The same chunks inserted raw on as many connections as bidopend's pool,
// without pacing: the cluster's capacity for this load.
void RawCapacity(const BidOptions& o, const std::vector<SurgeBidder>& bidders) {
  const ScratchDatabase db(o.database, "raw_surge");
  Must(ResetRawChunks(db.conninfo()), "create raw_chunks");
  Checkpoint(o);
  RawIngest raw =
      Must(RawInsertFiles(db.conninfo(), Files(bidders), o.chunk_kib * 1024, o.raw_connections),
           "raw baseline");
  Report(absl::StrCat(o.label, "_raw_parallel_mbps"),
         static_cast<double>(raw.bytes) / raw.seconds / 1e6, "MB/s");
}

// Starts bidder i at i * spread / n seconds after the clock starts.
std::vector<UploadResult> Surge(const BidOptions& o, const std::vector<SurgeBidder>& bidders,
                                const std::string& tender_id) {
  std::vector<UploadResult> results(bidders.size());
  std::vector<std::thread> threads;
  const SteadyClock::time_point t0 = SteadyClock::now() + std::chrono::milliseconds(100);
  const double step = o.spread / static_cast<double>(bidders.size());
  for (size_t i = 0; i < bidders.size(); ++i)
    threads.emplace_back([&, i] {
      std::this_thread::sleep_until(
          t0 + std::chrono::duration_cast<SteadyClock::duration>(
                   std::chrono::duration<double>(step * static_cast<double>(i))));
      const SurgeBidder& b = bidders[i];
      results[i] =
          UploadBid(b.id, tender_id, b.file, b.statement, o.chunk_kib * 1024, o.wait_durable);
    });
  for (auto& t : threads) t.join();
  return results;
}

}  // namespace

void RunSurgeBench(const BidOptions& o) {
  const Identity agency = Must(OpenIdentity(o.server, o.pki, "agency1"), "agency1");
  const v1::Tender tender =
      Must(CreateBenchTender(agency, "Benchmark (c): deadline surge"), "create the tender");
  const std::vector<SurgeBidder> bidders = Prepare(o, tender);
  const uint64_t size = bidders.front().file.result.ciphertext_size;
  Note(absl::StrCat(o.label, ": ", bidders.size(), " bidders x ", size, " bytes, chunks of ",
                    o.chunk_kib * 1024, " bytes, starts spread evenly over ", o.spread, " s"));
  if (o.raw_baseline) RawCapacity(o, bidders);
  Checkpoint(o);
  const ProcStatus before = ReadProcStatus(o.server_pid);
  ProcSampler sampler(o.server_pid);
  CpuMeter meter(o.server_pid, o.pg_pid);
  const std::vector<UploadResult> results = Surge(o, bidders, tender.id());
  ReportCpu(o.label, meter.Stop());
  ReportReceipts(o, results);
  ReportTimes(o, results, size);
  WriteTimes(o, results);
  if (o.server_pid > 0) ReportServer(o, before, sampler, ReadProcStatus(o.server_pid));
  for (const SurgeBidder& b : bidders) std::filesystem::remove(b.file.path);
}

}  // namespace bidopen::bench
