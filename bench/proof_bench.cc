#include "bench/proof_bench.h"

#include <openssl/sha.h>

#include <cstring>
#include <functional>
#include <random>

#include "absl/strings/str_cat.h"
#include "core/log/merkle.h"
#include "platform/system_clock.h"
#include "server/app/audit_app.h"
#include "server/audit/audit_log.h"
#include "server/audit/head_signer.h"
#include "server/store/merkle_tree.h"

namespace bidopen::bench {
namespace {

double Micros(SteadyClock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

// Per-call latencies of `call(i)` for each sample i; `sink` keeps results live.
std::vector<double> TimeEach(int samples, const std::function<uint8_t(int)>& call, uint64_t* sink) {
  std::vector<double> us;
  us.reserve(samples);
  for (int i = 0; i < samples; ++i) {
    const SteadyClock::time_point t0 = SteadyClock::now();
    *sink += call(i);
    us.push_back(Micros(SteadyClock::now() - t0));
  }
  return us;
}

void ReportLatency(const std::string& name, std::vector<double> us) {
  Report(absl::StrCat(name, "_p50"), Quantile(us, 0.5), "us");
  Report(absl::StrCat(name, "_p99"), Quantile(us, 0.99), "us");
  Report(absl::StrCat(name, "_max"), Quantile(us, 1.0), "us");
}

// The raw work of checking one proof: `length` SHA-256 of 64 bytes, chained.
uint8_t Sha256Chain(size_t length, const std::vector<log::Hash>& siblings) {
  unsigned char buf[64] = {0};
  for (size_t k = 0; k < length; ++k) {
    std::memcpy(buf + 32, siblings[k % siblings.size()].data(), 32);
    SHA256(buf, sizeof buf, buf);
  }
  return buf[0];
}

// Fills `tree` with `n` leaves of synthetic event bytes, as EventLog appends
// them (collecting the created nodes); reports the in-memory append cost.
void Fill(store::MerkleTree& tree, uint64_t n) {
  std::vector<log::NodeRef> created;
  double append_s = 0;
  const SteadyClock::time_point start = SteadyClock::now();
  for (uint64_t i = 0; i < n; ++i) {
    const log::Hash leaf = log::LeafHash(EncodedKeyEvent(i, i));
    created.clear();
    const SteadyClock::time_point t0 = SteadyClock::now();
    tree.Append(leaf, &created);
    append_s += std::chrono::duration<double>(SteadyClock::now() - t0).count();
  }
  tree.Commit();
  Note(absl::StrCat("built a tree of ", n, " leaves in ", SecondsSince(start), " s"));
  Report("tree_append", append_s / static_cast<double>(n) * 1e6, "us/leaf");
}

class ProofBench {
 public:
  explicit ProofBench(const Options& o) : o_(o) {}

  void Run() {
    store::MerkleTree* tree = &standalone_;
    if (!o_.pki.empty()) {
      OpenAuditLog();
      tree = &log_->tree();
    } else {
      Note("no --pki: timing MerkleTree::InclusionProof only (AuditApp needs a log key)");
    }
    Fill(*tree, o_.leaves);
    const uint64_t n = tree->committed_size();
    std::mt19937_64 rng(20261127);
    std::vector<uint64_t> idx(o_.samples);
    for (auto& i : idx) i = rng() % n;
    uint64_t sink = 0;
    const size_t length = Must(tree->InclusionProof(idx[0], n), "proof").size();
    Report("proof_length", static_cast<double>(length), "hashes");
    auto tree_us = TimeEach(
        o_.samples, [&](int i) { return Must(tree->InclusionProof(idx[i], n), "proof")[0][0]; },
        &sink);
    std::vector<double> app_us;
    if (app_)
      app_us = TimeEach(
          o_.samples, [&](int i) { return AppProof(idx[i], n); }, &sink);
    const std::vector<log::Hash> siblings = Must(tree->InclusionProof(idx[0], n), "proof");
    auto raw_us = TimeEach(
        o_.samples, [&](int) { return Sha256Chain(length, siblings); }, &sink);
    auto root_us = TimeEach(
        1000, [&](int) { return tree->RootAt(n)[0]; }, &sink);
    Note(absl::StrCat("checksum ", sink % 1000));
    Report("proof_tree_size", static_cast<double>(n), "leaves");
    ReportRatios("proof_logtree", tree_us, raw_us);
    if (app_) ReportRatios("proof_auditapp", app_us, raw_us);
    ReportLatency("proof_baseline_sha256_chain", raw_us);
    ReportLatency("proof_rootat", root_us);
  }

 private:
  void OpenAuditLog() {
    db_ = std::make_unique<ScratchDatabase>(o_.database, "proof");
    pool_ = OpenStore(db_->conninfo(), 2);
    auto signer =
        Must(audit::HeadSigner::Create("bidopen bench", ReadFileOrDie(o_.pki + "/log.key"),
                                       ReadFileOrDie(o_.pki + "/log.crt")),
             "head signer");
    log_ = Must(audit::AuditLog::Open(*pool_, std::move(signer), clock_), "open audit log");
    app_ = std::make_unique<app::AuditApp>(*pool_, *log_);
  }

  uint8_t AppProof(uint64_t index, uint64_t size) {
    v1::GetInclusionProofRequest req;
    req.set_index(index);
    req.set_tree_size(size);
    return static_cast<uint8_t>(Must(app_->Inclusion(req), "AuditApp::Inclusion").path(0)[0]);
  }

  void ReportRatios(const std::string& name, std::vector<double> us, std::vector<double> raw) {
    const double p50 = Quantile(us, 0.5), p99 = Quantile(us, 0.99);
    ReportLatency(name, us);
    Report(absl::StrCat(name, "_p50_vs_sha256_chain"), p50 / Quantile(raw, 0.5), "ratio");
    Report(absl::StrCat(name, "_p99_vs_sha256_chain"), p99 / Quantile(raw, 0.99), "ratio");
  }

  const Options& o_;
  SystemClock clock_;
  store::MerkleTree standalone_;
  std::unique_ptr<ScratchDatabase> db_;
  std::unique_ptr<store::Pool> pool_;
  std::unique_ptr<audit::AuditLog> log_;
  std::unique_ptr<app::AuditApp> app_;
};

}  // namespace

void RunProofBench(const Options& options) { ProofBench(options).Run(); }

}  // namespace bidopen::bench
