#include "bench/bundle_bench.h"

#include <google/protobuf/util/json_util.h>
#include <openssl/sha.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/crypto/sha256.h"
#include "core/log/bundle.h"
#include "core/log/memory_tree.h"
#include "core/opening/event_codec.h"
#include "core/opening/time_text.h"
#include "server/audit/head_signer.h"

namespace bidopen::bench {
namespace {

constexpr char kTender[] = "T-2026-BENCH-0001";

// Event `seq` of a whole-log bundle (key registrations) or of one tender
// (lot amendments, chained through tender_prev).
std::string MakeEvent(uint64_t seq, bool tender) {
  if (!tender) return EncodedKeyEvent(seq, seq);
  const absl::Time now = absl::Now();
  v1::Event e;
  e.set_seq(seq);
  *e.mutable_time() = ToProto(now);
  e.mutable_actor()->set_fingerprint(crypto::Hex(crypto::Sha256("bench-agency")));
  e.mutable_actor()->set_organization("Example Procurement Agency");
  e.mutable_actor()->set_role(v1::ROLE_AGENCY);
  e.set_tender_id(kTender);
  e.set_tender_prev(seq);  // 1 + seq of the previous event of the tender; 0 for the first
  v1::LotAmended* a = e.mutable_lot_amended();
  a->set_lot(static_cast<int32_t>(seq % 8) + 1);
  *a->mutable_submission_deadline() = ToProto(now + absl::Hours(72));
  *a->mutable_opening_time() = ToProto(now + absl::Hours(72));
  a->set_reason(absl::StrCat("clarification no. ", seq, " answered; deadline moved"));
  return EncodeEvent(e);
}

class BundleBench {
 public:
  explicit BundleBench(const Options& o)
      : o_(o),
        ca_(ReadFileOrDie(o.pki + "/ca.crt")),
        signer_(Must(audit::HeadSigner::Create("bidopen bench", ReadFileOrDie(o.pki + "/log.key"),
                                               ReadFileOrDie(o.pki + "/log.crt")),
                     "head signer")) {}

  // "whole": the whole log [0, n), no paths; VerifyBundle recomputes the root.
  // "tender": n events of one tender, each with its inclusion proof checked.
  void Run(const std::string& mode) {
    const bool tender = mode == "tender";
    const std::string p = absl::StrCat("bundle_", mode);
    MakeEvents(tender);
    const double raw_s = Baseline(p);
    v1::AuditBundle b = Build(tender);
    const double verify_s = Verify(mode, b);
    Report(absl::StrCat(p, "_verify"), verify_s, "s");
    Report(absl::StrCat(p, "_verify_vs_sha256"), verify_s / raw_s, "ratio");
    if (o_.json) Json(p, std::move(b), raw_s);
    events_.clear();
    events_.shrink_to_fit();
  }

 private:
  void MakeEvents(bool tender) {
    const SteadyClock::time_point t0 = SteadyClock::now();
    n_ = o_.leaves;
    tree_ = log::MemoryTree();
    events_.clear();
    events_.reserve(n_);
    for (uint64_t i = 0; i < n_; ++i) {
      events_.push_back(MakeEvent(i, tender));
      tree_.Append(log::LeafHash(events_.back()));
    }
    Note(absl::StrCat("made ", n_, " events and their tree in ", SecondsSince(t0), " s"));
  }

  // SHA-256 of every event's bytes, one call each: the least any verifier does.
  double Baseline(const std::string& p) {
    unsigned char digest[32];
    uint64_t sink = 0, total = 0;
    const SteadyClock::time_point t0 = SteadyClock::now();
    for (const std::string& e : events_) {
      SHA256(reinterpret_cast<const unsigned char*>(e.data()), e.size(), digest);
      sink += digest[0];
    }
    const double s = SecondsSince(t0);
    for (const std::string& e : events_) total += e.size();
    Note(absl::StrCat("checksum ", sink % 1000));
    Report(absl::StrCat(p, "_events"), static_cast<double>(n_), "events");
    Report(absl::StrCat(p, "_event_bytes"), static_cast<double>(total), "bytes");
    Report(absl::StrCat(p, "_baseline_sha256"), s, "s");
    return s;
  }

  // As `bidctl audit fetch` builds it: inclusion paths only for a tender.
  v1::AuditBundle Build(bool tender) {
    const SteadyClock::time_point t0 = SteadyClock::now();
    v1::AuditBundle b;
    b.set_format(log::kBundleFormat);
    *b.mutable_head() = Must(signer_.Sign(n_, tree_.Root(), absl::Now()), "sign head");
    b.set_ca_certificate_pem(ca_);
    if (tender) b.set_tender_id(kTender);
    b.mutable_entries()->Reserve(static_cast<int>(n_));
    for (uint64_t i = 0; i < n_; ++i) {
      v1::BundleEntry* e = b.add_entries();
      e->set_seq(i);
      e->set_event(events_[i]);
      if (!tender) continue;
      for (const log::Hash& h : Must(log::InclusionProof(tree_, i, n_), "path"))
        e->add_inclusion_path(std::string(h.begin(), h.end()));
    }
    Note(absl::StrCat("built a bundle of ", n_, " entries in ", SecondsSince(t0), " s"));
    return b;
  }

  double Verify(absl::string_view what, const v1::AuditBundle& b) {
    const SteadyClock::time_point t0 = SteadyClock::now();
    auto verified = log::VerifyBundle(b, ca_);
    const double s = SecondsSince(t0);
    if (!verified.ok()) Fail(absl::StrCat("VerifyBundle (", what, ")"), verified.status());
    if (verified->events.size() != n_)
      Fail("VerifyBundle", absl::InternalError("wrong number of verified events"));
    return s;
  }

  // The bundle as `bidctl audit fetch` writes it (protobuf JSON, same
  // options) and `bidctl audit verify` reads it: parse, then verify.
  void Json(const std::string& p, v1::AuditBundle bundle, double raw_s) {
    google::protobuf::util::JsonPrintOptions opts;
    opts.add_whitespace = true;
    opts.preserve_proto_field_names = true;
    std::string json;
    auto st = google::protobuf::util::MessageToJsonString(bundle, &json, opts);
    if (!st.ok()) Fail("MessageToJsonString", absl::InternalError(st.ToString()));
    {  // free the entries now (Clear would keep them allocated for reuse)
      v1::AuditBundle empty;
      bundle.Swap(&empty);
    }
    Report(absl::StrCat(p, "_json_bytes"), static_cast<double>(json.size()), "bytes");
    v1::AuditBundle parsed;
    const SteadyClock::time_point t0 = SteadyClock::now();
    st = google::protobuf::util::JsonStringToMessage(json, &parsed);
    const double parse_s = SecondsSince(t0);
    if (!st.ok()) Fail("JsonStringToMessage", absl::InternalError(st.ToString()));
    json = std::string();
    const double verify_s = Verify(absl::StrCat(p, " from JSON"), parsed);
    Report(absl::StrCat(p, "_json_parse"), parse_s, "s");
    Report(absl::StrCat(p, "_json_total"), parse_s + verify_s, "s");
    Report(absl::StrCat(p, "_json_total_vs_sha256"), (parse_s + verify_s) / raw_s, "ratio");
  }

  const Options& o_;
  std::string ca_;
  audit::HeadSigner signer_;
  uint64_t n_ = 0;
  std::vector<std::string> events_;
  log::MemoryTree tree_;
};

}  // namespace

void RunBundleBench(const Options& options) {
  if (options.pki.empty()) {
    Note("no --pki: skipping the bundle benchmark (the head needs a log key and a CA)");
    return;
  }
  BundleBench bench(options);
  bench.Run("whole");
  bench.Run("tender");
}

}  // namespace bidopen::bench
