// Bid events: submitted (possibly replacing the bidder's live bid), withdrawn.
#include "absl/strings/str_cat.h"
#include "core/bid/bid_rules.h"
#include "core/bid/statement.h"
#include "core/crypto/sha256.h"
#include "core/opening/fold_internal.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::fold_internal {
namespace {

// A bid event must come while its lot takes bids, by the event's own time.
absl::StatusOr<fold::Lot*> TakingLot(const v1::Event& e, TenderState* s, int number) {
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, LotOf(e, &s->tender, number));
  absl::Status open = bid::LotTakingBids(s->tender, number, FromProto(e.time()), "").status();
  if (!open.ok()) return Corrupt(e, absl::StrCat("a bid event where ", open.message()));
  return lot;
}

// The live bid `seq` of lot `number`, which the event ends.
absl::StatusOr<fold::Bid*> LiveBidOf(const v1::Event& e, TenderState* s, uint64_t seq, int number) {
  auto it = s->bids.find(seq);
  if (it == s->bids.end() || seq >= e.seq())
    return Corrupt(e, absl::StrCat("names bid ", seq, ", which is not an earlier bid"));
  fold::Bid& bid = it->second;
  if (bid.lot() != number)
    return Corrupt(e, absl::StrCat("names bid ", seq, " of lot ", bid.lot(), " in lot ", number));
  if (bid.status() != v1::BID_STATUS_LIVE)
    return Corrupt(e,
                   absl::StrCat("names bid ", seq, ", which already ended at ", bid.ended_seq()));
  return &bid;
}

// A signed statement acts once: the same bytes again are a replay. Statements
// from before version 2 had no nonce, so the same file submitted twice signed
// the same bytes; they are recorded but not refused.
absl::Status UseStatement(const v1::Event& e, const std::string& hash, uint32_t version,
                          TenderState* s, Changes* changes) {
  auto it = s->statements.find(hash);
  if (it != s->statements.end() && version < bid::kStatementVersion) return absl::OkStatus();
  if (it != s->statements.end())
    return Corrupt(e, absl::StrCat("uses the bidder's statement ", crypto::Hex(hash).substr(0, 16),
                                   "... again (first used by event ", it->second, ")"));
  s->statements[hash] = e.seq();
  changes->statements.push_back(hash);
  return absl::OkStatus();
}

void End(fold::Bid* bid, v1::BidStatus status, uint64_t by, fold::BidCounts* counts) {
  bid->set_status(status);
  bid->set_ended_seq(by);
  counts->set_live(counts->live() - 1);
  if (status == v1::BID_STATUS_REPLACED) counts->set_replaced(counts->replaced() + 1);
  if (status == v1::BID_STATUS_WITHDRAWN) counts->set_withdrawn(counts->withdrawn() + 1);
}

}  // namespace

absl::Status ApplySubmitted(const v1::Event& e, TenderState* s, Changes* changes) {
  const v1::BidSubmitted& b = e.bid_submitted();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, TakingLot(e, s, b.lot()));
  if (s->bids.contains(e.seq())) return Corrupt(e, "bid submitted twice");
  BO_RETURN_IF_ERROR(UseStatement(e, b.statement_sha256(), b.statement_version(), s, changes));
  if (b.has_replaces()) {
    BO_ASSIGN_OR_RETURN(fold::Bid * old, LiveBidOf(e, s, b.replaces(), b.lot()));
    End(old, v1::BID_STATUS_REPLACED, e.seq(), lot->mutable_bids());
    changes->bids.push_back(b.replaces());
  }
  fold::Bid& bid = s->bids[e.seq()];
  bid.set_seq(e.seq());
  bid.set_lot(b.lot());
  bid.set_status(v1::BID_STATUS_LIVE);
  bid.set_bidder_commitment(b.bidder_commitment());
  bid.set_statement_sha256(b.statement_sha256());
  bid.set_size(b.size());
  *bid.mutable_received() = e.time();
  if (b.has_replaces()) bid.set_replaces(b.replaces());
  fold::BidCounts* counts = lot->mutable_bids();
  counts->set_submitted(counts->submitted() + 1);
  counts->set_live(counts->live() + 1);
  changes->bids.push_back(e.seq());
  return absl::OkStatus();
}

absl::Status ApplyWithdrawn(const v1::Event& e, TenderState* s, Changes* changes) {
  const v1::BidWithdrawn& w = e.bid_withdrawn();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, TakingLot(e, s, w.lot()));
  BO_ASSIGN_OR_RETURN(fold::Bid * bid, LiveBidOf(e, s, w.withdraws(), w.lot()));
  BO_RETURN_IF_ERROR(UseStatement(e, w.statement_sha256(), w.statement_version(), s, changes));
  End(bid, v1::BID_STATUS_WITHDRAWN, e.seq(), lot->mutable_bids());
  bid->set_withdrawal_statement_sha256(w.statement_sha256());
  changes->bids.push_back(w.withdraws());
  return absl::OkStatus();
}

}  // namespace bidopen::fold_internal
