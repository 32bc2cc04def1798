#include "bench/bid_ingest.h"

#include <algorithm>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "bench/bench_util.h"
#include "bench/bid_client.h"
#include "bench/bid_setup.h"
#include "bench/bid_upload.h"
#include "bench/raw_chunks.h"

namespace bidopen::bench {
namespace {

SealedFile SealIngestFile(const BidOptions& o, const Identity& bidder, const v1::Tender& tender) {
  const std::string pub = Must(RegisterFreshKey(bidder), "register the bidder's key");
  const std::string doc = o.work + "/ingest-document.bin";
  Must(MakeDocument(doc, DocumentBytesFor(o.ingest_mib * kMiB)), "make the document");
  const SteadyClock::time_point t0 = SteadyClock::now();
  SealedFile file =
      Must(SealBenchBid(bidder, pub, tender, doc, o.work + "/ingest.sealed"), "seal the bid");
  Report("ingest_seal_s", SecondsSince(t0), "s");
  std::filesystem::remove(doc);
  return file;
}

// One round of the raw baseline into a fresh table; MB/s.
double RawRate(const BidOptions& o, const SealedFile& file, const std::string& conninfo,
               int round) {
  Must(ResetRawChunks(conninfo), "create raw_chunks");
  Checkpoint(o);
  CpuMeter meter(o.server_pid, o.pg_pid);
  RawIngest raw = Must(RawInsertFiles(conninfo, {file.path}, o.chunk_kib * 1024), "raw baseline");
  const CpuMeter::Use use = meter.Stop();
  const double rate = static_cast<double>(raw.bytes) / raw.seconds / 1e6;
  const std::string prefix = absl::StrCat("ingest_raw", round);
  Report(absl::StrCat(prefix, "_mbps"), rate, "MB/s");
  ReportCpu(prefix, use);
  return rate;
}

// The upload through bidopend until its receipt; MB/s.
double UploadRate(const BidOptions& o, const Identity& bidder, const v1::Tender& tender,
                  const SealedFile& file) {
  const SignedStatement statement = Must(SignSubmission(bidder, tender, file), "sign");
  Checkpoint(o);
  CpuMeter meter(o.server_pid, o.pg_pid);
  const UploadResult r = UploadBid(bidder, tender.id(), file, statement, o.chunk_kib * 1024);
  const CpuMeter::Use use = meter.Stop();
  Must(CheckReceipt(o, r), "upload");
  const double rate = static_cast<double>(file.result.ciphertext_size) / r.seconds() / 1e6;
  Report("ingest_upload_mbps", rate, "MB/s");
  Report("ingest_commit_to_receipt_ms", r.commit_to_receipt_ms(), "ms");
  ReportCpu("ingest_upload", use);
  return rate;
}

}  // namespace

void RunIngestBench(const BidOptions& o) {
  const Identity agency = Must(OpenIdentity(o.server, o.pki, "agency1"), "agency1");
  const Identity bidder = Must(OpenIdentity(o.server, o.pki, o.ingest_bidder), o.ingest_bidder);
  const v1::Tender tender =
      Must(CreateBenchTender(agency, "Benchmark (b): one large bid"), "create the tender");
  const SealedFile file = SealIngestFile(o, bidder, tender);
  const uint64_t chunk = o.chunk_kib * 1024;
  Note(absl::StrCat("ingest: sealed file of ", file.result.ciphertext_size, " bytes in ",
                    (file.result.ciphertext_size + chunk - 1) / chunk, " chunks of ", chunk,
                    " bytes; order: raw, upload, raw"));
  const ScratchDatabase db(o.database, "raw_chunks");
  const double raw1 = RawRate(o, file, db.conninfo(), 1);
  const double upload = UploadRate(o, bidder, tender, file);
  const double raw2 = RawRate(o, file, db.conninfo(), 2);
  // The disk's fsync time drifts: the raw rate during the upload is taken as
  // the mean of the rounds just before and just after it.
  const double raw = (raw1 + raw2) / 2;
  Report("ingest_raw_mbps", raw, "MB/s");
  Report("ingest_ratio", upload / raw, "ratio");
  Report("ingest_ratio_vs_best_raw", upload / std::max(raw1, raw2), "ratio");
  if (o.server_pid > 0) {
    const ProcStatus server = ReadProcStatus(o.server_pid);
    Report("ingest_server_vmhwm_mb", server.hwm_mb, "MB");
    Report("ingest_server_threads_end", server.threads, "threads");
  }
  std::filesystem::remove(file.path);
}

}  // namespace bidopen::bench
