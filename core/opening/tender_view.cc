#include "core/opening/tender_view.h"

namespace bidopen {

v1::Lot LotView(const fold::Lot& lot) {
  v1::Lot out;
  out.set_number(lot.number());
  *out.mutable_spec() = lot.spec();
  out.set_status(lot.status());
  *out.mutable_amendments() = lot.amendments();
  out.set_cancel_reason(lot.cancel_reason());
  if (lot.has_opening()) *out.mutable_opening() = lot.opening();
  if (lot.has_hall()) *out.mutable_hall() = lot.hall();
  return out;
}

v1::BidEntry BidView(const fold::Bid& bid) {
  v1::BidEntry out;
  out.set_seq(bid.seq());
  out.set_status(bid.status());
  out.set_bidder_commitment(bid.bidder_commitment());
  out.set_statement_sha256(bid.statement_sha256());
  out.set_size(bid.size());
  *out.mutable_received() = bid.received();
  if (bid.has_replaces()) out.set_replaces(bid.replaces());
  out.set_ended_seq(bid.ended_seq());
  if (bid.has_opening()) *out.mutable_opening() = bid.opening();
  if (bid.has_hall()) *out.mutable_hall() = bid.hall();
  return out;
}

v1::Tender TenderView(const TenderState& state) {
  const fold::Tender& t = state.tender;
  v1::Tender out;
  out.set_id(t.id());
  out.set_title(t.title());
  out.set_reference(t.reference());
  out.set_time_zone(t.time_zone());
  *out.mutable_agency() = t.agency();
  for (const fold::Lot& lot : t.lots()) *out.add_lots() = LotView(lot);
  out.set_cancelled(t.cancelled());
  out.set_cancel_reason(t.cancel_reason());
  *out.mutable_created() = t.created();
  *out.mutable_updated() = t.updated();
  for (const auto& [seq, bid] : state.bids) {
    const int n = bid.lot();
    if (n >= 1 && n <= out.lots_size()) *out.mutable_lots(n - 1)->add_bids() = BidView(bid);
  }
  return out;
}

}  // namespace bidopen
