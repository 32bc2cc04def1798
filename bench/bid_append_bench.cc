#include "bench/bid_append_bench.h"

#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/bid/bid_rules.h"
#include "core/clock.h"
#include "core/crypto/kdf.h"
#include "core/crypto/sha256.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"
#include "server/app/tender_app.h"
#include "server/store/event_log.h"
#include "server/store/fold_rows.h"
#include "server/store/merkle_tree.h"

namespace bidopen::bench {
namespace {

constexpr int kBidders = 100;  // each bidder's next bid replaces its last

double Us(SteadyClock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// One tender's bidders and what each last submitted.
struct BidTender {
  std::string id;
  std::map<int, uint64_t> newest;  // bidder -> seq of its newest bid
  int next_bidder = 0;
  uint64_t bid_events = 0;
};

class BidAppendBench {
 public:
  explicit BidAppendBench(const Options& o)
      : o_(o), store_(o.database, "bid_append", 2), tenders_(*store_.pool, store_.log) {}

  void Run() {
    BidTender fresh = NewTender(), full = NewTender();
    while (full.bid_events < o_.bid_events) Must(Append(full).status(), "fill");
    std::vector<double> first_us, late_us;
    for (int i = 0; i < o_.bid_samples; ++i) {
      first_us.push_back(Must(Append(fresh), "append (fresh)"));
      late_us.push_back(Must(Append(full), "append (full)"));
    }
    Report("bid_append_bid_events_before", static_cast<double>(o_.bid_events), "events");
    ReportPair("bid_append_first", first_us);
    ReportPair("bid_append_at_n", late_us);
    Report("bid_append_at_n_vs_first_p50", Quantile(late_us, 0.5) / Quantile(first_us, 0.5),
           "ratio");
    Report("bid_append_at_n_vs_first_mean", Mean(late_us) / Mean(first_us), "ratio");
  }

 private:
  static double Mean(const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0 : sum / static_cast<double>(v.size());
  }
  static void ReportPair(absl::string_view name, std::vector<double> us) {
    Report(absl::StrCat(name, "_p50"), Quantile(us, 0.5), "us");
    Report(absl::StrCat(name, "_mean"), Mean(us), "us");
  }

  BidTender NewTender() {
    v1::CreateTenderRequest req;
    req.set_title("Bid append benchmark");
    req.set_time_zone("Asia/Shanghai");
    v1::LotSpec* lot = req.add_lots();
    lot->set_title("Lot 1");
    *lot->mutable_submission_deadline() = ToProto(absl::Now() + absl::Hours(24));
    *lot->mutable_opening_time() = lot->submission_deadline();
    v1::FormField* price = lot->add_form();
    price->set_name("price");
    price->set_type(v1::FIELD_TYPE_DECIMAL);
    lot->set_policy(v1::OPENING_POLICY_BIDDER);
    v1::Party agency;
    agency.set_fingerprint(crypto::Hex(crypto::Sha256("bench-agency")));
    agency.set_organization("Benchmark Agency");
    agency.set_role(v1::ROLE_AGENCY);
    return {Must(tenders_.Create(agency, req), "create the tender").id(), {}, 0, 0};
  }

  // BidApp::Commit's transaction without the private bids row: microseconds.
  absl::StatusOr<double> Append(BidTender& t) {
    const int bidder = t.next_bidder++ % kBidders;
    std::optional<uint64_t> newest;
    if (auto it = t.newest.find(bidder); it != t.newest.end()) newest = it->second;
    uint64_t seq = 0;
    const SteadyClock::time_point t0 = SteadyClock::now();
    absl::Status st = store_.log.Run([&](store::CommandTx& tx) -> absl::Status {
      BO_ASSIGN_OR_RETURN(TenderState state, store::LoadTender(tx.conn(), t.id));
      if (newest) BO_RETURN_IF_ERROR(store::LoadBids(tx.conn(), {{*newest}}, &state));
      BO_RETURN_IF_ERROR(bid::LotTakingBids(state.tender, 1, tx.now(), "").status());
      const fold::Bid* live = bid::LiveBidOf(state, newest);
      v1::Event draft;
      draft.set_tender_id(t.id);
      v1::BidSubmitted* b = draft.mutable_bid_submitted();
      b->set_lot(1);
      b->set_bidder_commitment(crypto::RandomBytes(32));
      b->set_statement_sha256(crypto::RandomBytes(32));
      b->set_size(5 << 20);
      b->set_statement_version(2);
      if (live != nullptr) b->set_replaces(live->seq());
      BO_ASSIGN_OR_RETURN(v1::Event e, tx.Append(std::move(draft), &state));
      seq = e.seq();
      return absl::OkStatus();
    });
    const double us = Us(SteadyClock::now() - t0);
    BO_RETURN_IF_ERROR(st);
    t.newest[bidder] = seq;
    ++t.bid_events;
    return us;
  }

  const Options& o_;
  BenchStore store_;
  app::TenderApp tenders_;
};

}  // namespace

void RunBidAppendBench(const Options& options) { BidAppendBench(options).Run(); }

}  // namespace bidopen::bench
