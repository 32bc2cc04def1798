// Opening benchmark (issue 11, bench/README.md "Opening: decryption"): N bids
// of M MiB sealed and submitted through bidopend, the lot's opening started,
// the bidders' secrets released, and the time until bidopend's opener has
// decrypted every bid; against the raw path in the same run (libpq read of the
// same stored chunks + AES-256-GCM, no checks). Then a QUORUM lot of as many
// bids opened by three custodians' per-lot keys.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/bench_util.h"
#include "bench/bid_client.h"
#include "bench/bid_setup.h"
#include "bench/bid_upload.h"
#include "bench/flags.h"
#include "bench/opening_splits.h"
#include "bench/opening_state_load.h"
#include "bench/proc_stats.h"
#include "bench/report.h"
#include "bidopen/v1/custody.grpc.pb.h"
#include "bidopen/v1/identity.grpc.pb.h"
#include "bidopen/v1/opening.grpc.pb.h"
#include "bidopen/v1/tender.grpc.pb.h"
#include "core/crypto/signature.h"
#include "core/crypto/x25519.h"
#include "core/opening/opening_rules.h"
#include "core/opening/release_signature.h"
#include "core/opening/time_text.h"
#include "core/seal/lot_key.h"
#include "core/status_macros.h"
#include "platform/file_env.h"

namespace bidopen::bench {
namespace {

constexpr char kUsage[] =
    "usage: opening_bench --server=HOST:PORT --pki=DIR --database=CONNINFO --work=DIR\n"
    "         [--server_pid=PID] [--pg_pid=PID] [--bids=100] [--bid_mib=10] [--chunk_kib=256]\n"
    "         [--quorum=true|false] [--setup_threads=4] [--release_threads=8] [--poll_ms=100]\n"
    "         [--bidder_prefix=bench-bidder-]\n"
    "  --server      a running bidopend started with --min-lead-time 0\n"
    "  --pki         its PKI: ca.crt, agency1, auditor1, custodian1-3 and the bidders\n"
    "                <prefix>001 .. <prefix>N\n"
    "  --database    a conninfo on bidopend's own database (read access to bid_chunks)\n"
    "  --quorum      also open a QUORUM lot of as many bids with custodian1-3 (k = 2)\n";

struct Options {
  std::string server, pki, database, work;
  int server_pid = 0, pg_pid = 0;
  int bids = 100;
  double bid_mib = 10;
  uint64_t chunk_kib = 256;
  bool quorum = true;
  int setup_threads = 4;
  int release_threads = 8;
  int poll_ms = 100;
  std::string bidder_prefix = "bench-bidder-";
};

template <typename T>
T Number(absl::string_view flag, absl::string_view text) {
  T v{};
  bool ok;
  if constexpr (std::is_floating_point_v<T>)
    ok = absl::SimpleAtod(text, &v);
  else
    ok = absl::SimpleAtoi(text, &v);
  if (!ok || !(v > 0)) UsageExit(kUsage, absl::StrCat("--", flag, ": not a positive number"));
  return v;
}

Options Parse(int argc, char** argv) {
  Options o;
  o.server = Env("BIDOPEN_BENCH_SERVER");
  o.pki = Env("BIDOPEN_BENCH_PKI");
  o.database = Env("BIDOPEN_BENCH_PG");
  ParseFlags(argc, argv, kUsage, {"quorum"}, [&](absl::string_view k, absl::string_view v) {
    if (k == "server")
      o.server = std::string(v);
    else if (k == "pki")
      o.pki = std::string(v);
    else if (k == "database")
      o.database = std::string(v);
    else if (k == "work")
      o.work = std::string(v);
    else if (k == "server_pid")
      o.server_pid = Number<int>(k, v);
    else if (k == "pg_pid")
      o.pg_pid = Number<int>(k, v);
    else if (k == "bids")
      o.bids = Number<int>(k, v);
    else if (k == "bid_mib")
      o.bid_mib = Number<double>(k, v);
    else if (k == "chunk_kib")
      o.chunk_kib = Number<uint64_t>(k, v);
    else if (k == "quorum")
      o.quorum = v != "0" && v != "false";
    else if (k == "setup_threads")
      o.setup_threads = Number<int>(k, v);
    else if (k == "release_threads")
      o.release_threads = Number<int>(k, v);
    else if (k == "poll_ms")
      o.poll_ms = Number<int>(k, v);
    else if (k == "bidder_prefix")
      o.bidder_prefix = std::string(v);
    else
      UsageExit(kUsage, absl::StrCat("unknown flag --", k));
  });
  if (o.server.empty() || o.pki.empty() || o.database.empty() || o.work.empty())
    UsageExit(kUsage, "--server, --pki, --database and --work are required");
  if (o.bids > 999) UsageExit(kUsage, "--bids: at most 999");
  return o;
}

absl::Status FromGrpc(const grpc::Status& st, absl::string_view what) {
  if (st.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                      absl::StrCat(what, ": ", st.error_message()));
}

void Deadline(grpc::ClientContext& ctx, int seconds = 120) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

v1::LotRef Lot(const std::string& tender_id) {
  v1::LotRef ref;
  ref.set_tender_id(tender_id);
  ref.set_lot(1);
  return ref;
}

// A custodian with a fresh X25519 key and one signed per-lot key, whose
// private half is kept here (as bidctl keeps it in its key store).
struct Custodian {
  Identity id;
  std::map<std::string, std::string> lot_private;  // public -> private
};

absl::Status RegisterCustodian(Custodian& c) {
  BO_ASSIGN_OR_RETURN(crypto::X25519KeyPair own, crypto::GenerateX25519());
  BO_ASSIGN_OR_RETURN(crypto::X25519KeyPair lot, crypto::GenerateX25519());
  v1::RegisterKeyRequest req;
  req.set_x25519_public_key(own.public_key);
  req.add_lot_keys(lot.public_key);
  BO_ASSIGN_OR_RETURN(*req.add_lot_key_signatures(),
                      crypto::Sign(c.id.key.get(), seal::LotKeySigningInput(
                                                       c.id.party.fingerprint(), lot.public_key)));
  c.lot_private[lot.public_key] = lot.private_key;
  grpc::ClientContext ctx;
  Deadline(ctx);
  v1::RegisteredKey out;
  return FromGrpc(v1::IdentityService::NewStub(c.id.channel)->RegisterKey(&ctx, req, &out),
                  absl::StrCat("RegisterKey as ", c.id.name));
}

// A one-lot tender, deadline and opening in an hour (moved to now by
// CloseNow once every bid is in), the default 30-minute window.
absl::StatusOr<v1::Tender> CreateTender(const Identity& agency, v1::OpeningPolicy policy,
                                        const std::vector<Custodian>& custodians) {
  v1::CreateTenderRequest req;
  req.set_title(absl::StrCat("Opening benchmark (", v1::OpeningPolicy_Name(policy), ")"));
  req.set_time_zone("UTC");
  v1::LotSpec* lot = req.add_lots();
  lot->set_title("Benchmark lot");
  const absl::Time deadline = absl::Now() + absl::Hours(1);
  *lot->mutable_submission_deadline() = ToProto(deadline);
  *lot->mutable_opening_time() = ToProto(deadline);
  v1::FormField* price = lot->add_form();
  price->set_name("price");
  price->set_type(v1::FIELD_TYPE_DECIMAL);
  price->set_unit("CNY");
  price->set_required(true);
  lot->set_policy(policy);
  for (const Custodian& c : custodians) lot->add_custodians(c.id.party.fingerprint());
  if (!custodians.empty()) lot->set_threshold(2);
  grpc::ClientContext ctx;
  Deadline(ctx);
  BO_RETURN_IF_ERROR(SignInto(&ctx, agency, "/bidopen.v1.TenderService/CreateTender", req));
  v1::Tender out;
  BO_RETURN_IF_ERROR(FromGrpc(
      v1::TenderService::NewStub(agency.channel)->CreateTender(&ctx, req, &out), "CreateTender"));
  return out;
}

absl::StatusOr<SealedFile> Seal(const Identity& bidder, const std::string& bidder_public,
                                const v1::Tender& tender, const std::string& document,
                                const std::string& path) {
  seal::SealParams params;
  params.tender_id = tender.id();
  params.lot = tender.lots(0);
  params.keys.bidder_fingerprint = bidder.party.fingerprint();
  params.keys.bidder_public = bidder_public;
  const v1::LotSpec& spec = params.lot.spec();
  for (int i = 0; i < spec.custodians_size(); ++i)
    params.keys.custodians.emplace_back(spec.custodians(i), spec.custodian_keys(i));
  params.form = {{"price", "1234.50"}};
  params.documents = {{"offer.bin", document}};
  params.env = &platform::DefaultFileEnv();
  params.hash_ciphertext = true;  // the statement and the upload start name it
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::PermissionDeniedError(absl::StrCat("cannot write ", path));
  SealedFile file{path, {}};
  BO_ASSIGN_OR_RETURN(file.result, seal::SealBid(params, out));
  out.close();
  if (!out) return absl::DataLossError(absl::StrCat("writing ", path, " failed"));
  return file;
}

struct Bidder {
  Identity id;
  std::string secret;  // s of the bid in the first (BIDDER) lot
};

// Seals the bidder's bid for `tender` and submits it; returns s.
absl::StatusOr<std::string> SealAndSubmit(const Options& o, const Identity& id,
                                          const std::string& pub, const v1::Tender& tender,
                                          const std::string& doc) {
  const std::string path = absl::StrCat(o.work, "/", id.name, "-", tender.id(), ".sealed");
  BO_ASSIGN_OR_RETURN(SealedFile file, Seal(id, pub, tender, doc, path));
  BO_ASSIGN_OR_RETURN(SignedStatement st, SignSubmission(id, tender, file));
  UploadResult r = UploadBid(id, tender.id(), file, st, o.chunk_kib * 1024);
  std::filesystem::remove(path);
  if (!r.status.ok())
    return absl::Status(static_cast<absl::StatusCode>(r.status.error_code()),
                        absl::StrCat(id.name, ": upload: ", r.status.error_message()));
  return std::string(file.result.secret.view());
}

// Moves the lot's deadline and opening to `ahead` from now.
absl::Status CloseSoon(const Identity& agency, const std::string& tender_id, absl::Time at) {
  v1::AmendLotRequest req;
  req.set_tender_id(tender_id);
  req.set_lot(1);
  *req.mutable_submission_deadline() = ToProto(at);
  *req.mutable_opening_time() = ToProto(at);
  req.set_reason("benchmark: every bid is in");
  grpc::ClientContext ctx;
  Deadline(ctx);
  BO_RETURN_IF_ERROR(SignInto(&ctx, agency, "/bidopen.v1.TenderService/AmendLot", req));
  v1::Tender out;
  return FromGrpc(v1::TenderService::NewStub(agency.channel)->AmendLot(&ctx, req, &out),
                  "AmendLot");
}

// StartOpening as the agency, retried while the opening time is not reached.
absl::StatusOr<v1::OpeningStatus> Start(const Identity& agency, const std::string& tender_id) {
  auto stub = v1::OpeningService::NewStub(agency.channel);
  for (int i = 0;; ++i) {
    grpc::ClientContext ctx;
    Deadline(ctx);
    BO_RETURN_IF_ERROR(
        SignInto(&ctx, agency, "/bidopen.v1.OpeningService/StartOpening", Lot(tender_id)));
    v1::OpeningStatus out;
    grpc::Status st = stub->StartOpening(&ctx, Lot(tender_id), &out);
    if (st.ok()) return out;
    if (st.error_code() != grpc::StatusCode::FAILED_PRECONDITION || i >= 100)
      return FromGrpc(st, "StartOpening");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Polls GetOpening every poll_ms from t0 until `n` bids opened (or 10 min).
struct Opened {
  double first = -1;  // seconds from t0 until the first bid was seen opened
  double all = -1;    // until all n were
  int polls = 0;
  absl::Status status;
};
Opened WaitOpened(const Options& o, const Identity& auditor, const std::string& tender_id,
                  uint32_t n, SteadyClock::time_point t0) {
  Opened out;
  auto stub = v1::OpeningService::NewStub(auditor.channel);
  while (SecondsSince(t0) < 600) {
    grpc::ClientContext ctx;
    Deadline(ctx);
    v1::OpeningStatus s;
    grpc::Status st = stub->GetOpening(&ctx, Lot(tender_id), &s);
    ++out.polls;
    if (!st.ok()) {
      out.status = FromGrpc(st, "GetOpening");
      return out;
    }
    const uint32_t opened = s.lot_state().opening().opened();
    if (opened > 0 && out.first < 0) out.first = SecondsSince(t0);
    if (opened >= n) {
      out.all = SecondsSince(t0);
      return out;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(o.poll_ms));
  }
  out.status = absl::DeadlineExceededError(absl::StrCat("fewer than ", n, " bids opened in 600 s"));
  return out;
}

// The signed head GetOpening gives now: what a release cites (docs/protocol.md
// "Releasing").
absl::StatusOr<v1::SignedTreeHead> SeenHead(const Identity& who, const std::string& tender_id) {
  grpc::ClientContext ctx;
  Deadline(ctx);
  v1::OpeningStatus s;
  BO_RETURN_IF_ERROR(
      FromGrpc(v1::OpeningService::NewStub(who.channel)->GetOpening(&ctx, Lot(tender_id), &s),
               "GetOpening"));
  return s.now();
}

// `who`'s signature over its release of `material`, citing `seen`, as bidctl
// signs it.
absl::StatusOr<std::string> SignRelease(const Identity& who, const std::string& tender_id,
                                        v1::ReleaseKind kind, uint64_t bid, uint32_t share_x,
                                        const std::string& material,
                                        const v1::SignedTreeHead& seen) {
  v1::KeyReleased k;
  k.set_lot(1);
  k.set_kind(kind);
  k.set_bid(bid);
  k.set_share_x(share_x);
  k.set_material_sha256(ReleasedHash(material));
  k.set_seen_checkpoint(seen.checkpoint());
  return crypto::Sign(who.key.get(), ReleaseSigningInput(tender_id, k));
}

// Bidder `b`'s release request, signed (its bid from GetMyBid).
absl::StatusOr<v1::ReleaseKeyRequest> BidderRequest(const Bidder& b, const std::string& tender_id,
                                                    const v1::SignedTreeHead& seen) {
  grpc::ClientContext ctx;
  Deadline(ctx);
  v1::MyBid mine;
  BO_RETURN_IF_ERROR(
      FromGrpc(v1::OpeningService::NewStub(b.id.channel)->GetMyBid(&ctx, Lot(tender_id), &mine),
               "GetMyBid"));
  v1::ReleaseKeyRequest req;
  *req.mutable_lot() = Lot(tender_id);
  req.set_secret(b.secret);
  req.set_bid(mine.bid());
  req.set_seen_checkpoint(seen.checkpoint());
  req.set_seen_signature(seen.signature());
  BO_ASSIGN_OR_RETURN(
      *req.mutable_signature(),
      SignRelease(b.id, tender_id, v1::RELEASE_KIND_BIDDER, mine.bid(), 0, b.secret, seen));
  return req;
}

void ReportServer(const Options& o, absl::string_view prefix, const ProcStatus& before,
                  ProcSampler* sampler, const CpuMeter::Use& use) {
  Report(absl::StrCat(prefix, "_server_cpu_s"), use.server, "s");
  Report(absl::StrCat(prefix, "_pg_cpu_s"), use.postgres, "s");
  Report(absl::StrCat(prefix, "_cpu_busy"), use.busy, "share");
  if (sampler == nullptr) return;
  const ProcStatus after = ReadProcStatus(o.server_pid);
  Report(absl::StrCat(prefix, "_server_threads_before"), before.threads, "threads");
  Report(absl::StrCat(prefix, "_server_threads_peak"), sampler->peak_threads(), "threads");
  Report(absl::StrCat(prefix, "_server_rss_peak_mb"), sampler->peak_rss_mb(), "MB");
  Report(absl::StrCat(prefix, "_server_vmhwm_mb"), after.hwm_mb, "MB");
}

// The bids of the started lot, with each bidder's secret.
std::vector<StoredBid> BidsOf(const v1::OpeningStatus& s,
                              const std::map<std::string, std::string>& secrets) {
  std::vector<StoredBid> out;
  for (const v1::BidEntry& b : s.lot_state().bids()) {
    StoredBid sb;
    sb.seq = b.seq();
    sb.size = b.size();
    auto it = secrets.find(b.opening().bidder().fingerprint());
    if (it != secrets.end()) sb.secret = it->second;
    out.push_back(std::move(sb));
  }
  return out;
}

void Run(const Options& o) {
  const Identity agency = Must(OpenIdentity(o.server, o.pki, "agency1"), "agency1");
  const Identity auditor = Must(OpenIdentity(o.server, o.pki, "auditor1"), "auditor1");
  std::vector<Custodian> custodians;
  if (o.quorum)
    for (const char* name : {"custodian1", "custodian2", "custodian3"}) {
      custodians.push_back({Must(OpenIdentity(o.server, o.pki, name), name), {}});
      Must(RegisterCustodian(custodians.back()), "register the custodian's keys");
    }
  const v1::Tender bidder_lot =
      Must(CreateTender(agency, v1::OPENING_POLICY_BIDDER, {}), "create the BIDDER tender");
  v1::Tender quorum_lot;
  if (o.quorum)
    quorum_lot = Must(CreateTender(agency, v1::OPENING_POLICY_QUORUM, custodians),
                      "create the QUORUM tender");

  // Setup, not timed as the result: keys, sealing and submission of every bid.
  const std::string doc = o.work + "/opening-document.bin";
  const uint64_t sealed_bytes = static_cast<uint64_t>(o.bid_mib * kMiB);
  Must(MakeDocument(doc, DocumentBytesFor(sealed_bytes)), "document");
  std::vector<Bidder> bidders(static_cast<size_t>(o.bids));
  const SteadyClock::time_point setup0 = SteadyClock::now();
  Must(ParallelFor(o.bids, o.setup_threads,
                   [&](int i) -> absl::Status {
                     Bidder& b = bidders[static_cast<size_t>(i)];
                     BO_ASSIGN_OR_RETURN(
                         b.id, OpenIdentity(o.server, o.pki,
                                            absl::StrFormat("%s%03d", o.bidder_prefix, i + 1)));
                     BO_ASSIGN_OR_RETURN(std::string pub, RegisterFreshKey(b.id));
                     BO_ASSIGN_OR_RETURN(b.secret, SealAndSubmit(o, b.id, pub, bidder_lot, doc));
                     if (o.quorum)
                       BO_RETURN_IF_ERROR(SealAndSubmit(o, b.id, pub, quorum_lot, doc).status());
                     return absl::OkStatus();
                   }),
       "seal and submit the bids");
  const double setup = SecondsSince(setup0);
  std::filesystem::remove(doc);
  const int lots = o.quorum ? 2 : 1;
  Note(absl::StrCat("opening: ", o.bids, " bids x ", sealed_bytes, " bytes per lot, ", lots,
                    " lot(s), uploaded in chunks of ", o.chunk_kib * 1024, " bytes"));
  Report("opening_setup_s", setup, "s");
  Report("opening_setup_mbps", static_cast<double>(sealed_bytes) * o.bids * lots / setup / 1e6,
         "MB/s");

  // Both lots close 2 s from now; then the first opens.
  const absl::Time close = absl::Now() + absl::Seconds(2);
  Must(CloseSoon(agency, bidder_lot.id(), close), "close the BIDDER lot");
  if (o.quorum) Must(CloseSoon(agency, quorum_lot.id(), close), "close the QUORUM lot");
  absl::SleepFor(close - absl::Now() + absl::Milliseconds(100));

  std::map<std::string, std::string> secrets;
  for (const Bidder& b : bidders) secrets[b.id.party.fingerprint()] = b.secret;
  SteadyClock::time_point t0 = SteadyClock::now();
  const v1::OpeningStatus started = Must(Start(agency, bidder_lot.id()), "start the BIDDER lot");
  Report("opening_start_ms", SecondsSince(t0) * 1e3, "ms");
  std::vector<StoredBid> bids = BidsOf(started, secrets);
  if (bids.size() != static_cast<size_t>(o.bids))
    Fail("start", absl::InternalError(absl::StrCat(bids.size(), " bids revealed, not ", o.bids)));
  Must(FindUploads(o.database, &bids), "find the stored bids");
  uint64_t total = 0;
  for (const StoredBid& b : bids) total += b.size;

  const RawTimes before = Must(RawOpen(o.database, bids), "raw path (before)");

  // The measured opening: every bidder releases (release_threads at a time);
  // the clock runs from the first release until GetOpening says all opened.
  // Each release is signed by its bidder and cites a head (not timed: the
  // bidders sign on their own machines before sending).
  const v1::SignedTreeHead seen = Must(SeenHead(auditor, bidder_lot.id()), "a head to cite");
  std::vector<v1::ReleaseKeyRequest> requests;
  for (const Bidder& b : bidders)
    requests.push_back(Must(BidderRequest(b, bidder_lot.id(), seen), "sign a bidder's release"));
  const ProcStatus proc0 = o.server_pid > 0 ? ReadProcStatus(o.server_pid) : ProcStatus{};
  std::optional<ProcSampler> sampler;
  if (o.server_pid > 0) sampler.emplace(o.server_pid);
  CpuMeter meter(o.server_pid, o.pg_pid);
  t0 = SteadyClock::now();
  Opened opened;
  std::thread poller(
      [&] { opened = WaitOpened(o, auditor, bidder_lot.id(), static_cast<uint32_t>(o.bids), t0); });
  std::atomic<int> rejected{0};
  const absl::Status released = ParallelFor(o.bids, o.release_threads, [&](int i) -> absl::Status {
    const Bidder& b = bidders[static_cast<size_t>(i)];
    const v1::ReleaseKeyRequest& req = requests[static_cast<size_t>(i)];
    grpc::ClientContext ctx;
    Deadline(ctx);
    v1::ReleaseResult out;
    BO_RETURN_IF_ERROR(FromGrpc(
        v1::OpeningService::NewStub(b.id.channel)->ReleaseKey(&ctx, req, &out), "ReleaseKey"));
    if (!out.accepted()) ++rejected;
    return absl::OkStatus();
  });
  const double release_s = SecondsSince(t0);
  poller.join();
  const CpuMeter::Use use = meter.Stop();
  Must(released, "release the bidders' secrets");
  Must(opened.status, "wait for the bids to open");
  if (rejected > 0) Fail("release", absl::InternalError(absl::StrCat(rejected.load(), " refused")));

  const RawTimes after = Must(RawOpen(o.database, bids), "raw path (after)");
  const double raw = (before.seconds + after.seconds) / 2;
  Report("opening_releases_s", release_s, "s");
  Report("opening_first_opened_s", opened.first, "s");
  Report("opening_all_opened_s", opened.all, "s");
  Report("opening_after_last_release_s", opened.all - release_s, "s");
  Report("opening_polls", opened.polls, "calls");
  const LogTimes log = Must(ReadLogTimes(o.database, bidder_lot.id()), "read the events");
  Report("opening_log_release_to_last_decrypted_s", log.release_to_last_decrypted, "s");
  Report("opening_log_per_bid_ms", log.first_to_last_decrypted * 1e3 / (log.decrypted - 1), "ms");
  Report("opening_mbps", static_cast<double>(total) / opened.all / 1e6, "MB/s");
  Report("opening_raw_s", raw, "s");
  Report("opening_raw_before_s", before.seconds, "s");
  Report("opening_raw_after_s", after.seconds, "s");
  Report("opening_raw_query_s", (before.query + after.query) / 2, "s");
  Report("opening_raw_aes_s", (before.aes + after.aes) / 2, "s");
  Report("opening_raw_mbps", static_cast<double>(total) / raw / 1e6, "MB/s");
  Report("opening_ratio", raw / opened.all, "ratio");
  ReportServer(o, "opening", proc0, sampler ? &*sampler : nullptr, use);

  // Where the time goes: the server's path piece by piece, in this process.
  const ServerSplits split =
      Must(TimeServerPath(o.database, bids, started.lot_state().spec(), 2), "server path splits");
  Report("split_raw_query_s", split.raw_query, "s");
  Report("split_raw_open_s", split.raw_open, "s");
  Report("split_storedfile_read_s", split.read, "s");
  Report("split_pages_s", split.pages, "s");
  Report("split_raw_paged_s", split.raw_pages, "s");
  Report("split_decrypt_s", split.decrypt, "s");
  Report("split_decrypt_zero_copy_s", split.decrypt_zero_copy, "s");
  Report("split_decrypt_2threads_s", split.decrypt_parallel, "s");
  Report("split_sha256_s", split.sha256, "s");
  Report("split_aes_per_chunk_ctx_s", split.aes, "s");
  Report("split_raw_vs_decrypt", split.raw_open / split.decrypt, "ratio");
  Report("split_decrypt_vs_opening", split.decrypt / opened.all, "ratio");
  // What each decision of the opener pays to read its state from the log
  // (docs/state.md): the fold of the tender's events against the rows.
  const StateLoadTimes load =
      Must(TimeStateLoads(o.database, bidder_lot.id(), 1, 21), "state load times");
  Report("state_events", static_cast<double>(load.events), "events");
  Report("state_fold_from_log_ms", load.fold_ms, "ms");
  Report("state_rows_ms", load.rows_ms, "ms");
  Report("state_rows_vs_fold", load.rows_ms / load.fold_ms, "ratio");

  if (!o.quorum) return;
  // QUORUM: three custodians release their per-lot keys (k = 2) one after the
  // other; the clock runs from the first release until all opened.
  const v1::OpeningStatus qstarted = Must(Start(agency, quorum_lot.id()), "start the QUORUM lot");
  const v1::LotSpec& qspec = qstarted.lot_state().spec();
  CpuMeter qmeter(o.server_pid, o.pg_pid);
  t0 = SteadyClock::now();
  Opened qopened;
  std::thread qpoller([&] {
    qopened = WaitOpened(o, auditor, quorum_lot.id(), static_cast<uint32_t>(o.bids), t0);
  });
  for (int i = 0; i < qspec.custodians_size(); ++i) {
    const Custodian& c = custodians[static_cast<size_t>(i)];
    v1::ReleaseLotKeyRequest req;
    *req.mutable_lot() = Lot(quorum_lot.id());
    req.set_private_key(c.lot_private.at(qspec.custodian_keys(i)));
    req.set_share_x(static_cast<uint32_t>(i + 1));
    const v1::SignedTreeHead qseen = Must(SeenHead(c.id, quorum_lot.id()), "a head to cite");
    req.set_seen_checkpoint(qseen.checkpoint());
    req.set_seen_signature(qseen.signature());
    *req.mutable_signature() = Must(SignRelease(c.id, quorum_lot.id(), v1::RELEASE_KIND_CUSTODIAN,
                                                0, req.share_x(), req.private_key(), qseen),
                                    "sign a custodian's release");
    const SteadyClock::time_point r0 = SteadyClock::now();
    grpc::ClientContext ctx;
    Deadline(ctx);
    v1::ReleaseResult out;
    Must(FromGrpc(v1::CustodyService::NewStub(c.id.channel)->ReleaseLotKey(&ctx, req, &out),
                  "ReleaseLotKey"),
         "custodian release");
    if (!out.accepted()) Fail("custodian release", absl::InternalError(out.message()));
    Report(absl::StrCat("quorum_release", i + 1, "_ms"), SecondsSince(r0) * 1e3, "ms");
  }
  Report("quorum_releases_s", SecondsSince(t0), "s");
  qpoller.join();
  const CpuMeter::Use quse = qmeter.Stop();
  Must(qopened.status, "wait for the QUORUM bids to open");
  Report("quorum_first_opened_s", qopened.first, "s");
  Report("quorum_all_opened_s", qopened.all, "s");
  Report("quorum_ratio", raw / qopened.all, "ratio");
  const LogTimes qlog = Must(ReadLogTimes(o.database, quorum_lot.id()), "read the events");
  Report("quorum_log_release_to_last_decrypted_s", qlog.release_to_last_decrypted, "s");
  Report("quorum_log_per_bid_ms", qlog.first_to_last_decrypted * 1e3 / (qlog.decrypted - 1), "ms");
  Report("quorum_server_cpu_s", quse.server, "s");
  if (o.server_pid > 0)
    Report("quorum_server_threads", ReadProcStatus(o.server_pid).threads, "threads");
}

}  // namespace
}  // namespace bidopen::bench

int main(int argc, char** argv) {
  bidopen::bench::Run(bidopen::bench::Parse(argc, argv));
  return 0;
}
