// The live hall's events: sign-in, the announcement, confirmations,
// objections, answers and the close (docs/opening-hall.md). Each checks that
// the log obeyed core/opening/hall_rules.h; a refusal there is DATA_LOSS here.
#include "absl/strings/str_cat.h"
#include "core/opening/fold_internal.h"
#include "core/opening/hall_rules.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::fold_internal {
namespace {

fold::Bid* BidOrNull(TenderState* s, uint64_t seq) {
  auto it = s->bids.find(seq);
  return it == s->bids.end() ? nullptr : &it->second;
}

// A rule's answer for an event the log holds: a refusal, or "already" (the
// server appends nothing then), means the log is not what the server wrote.
absl::Status Obeyed(const v1::Event& e, const absl::StatusOr<bool>& already,
                    absl::string_view twice) {
  if (!already.ok()) return Corrupt(e, already.status().message());
  if (*already) return Corrupt(e, twice);
  return absl::OkStatus();
}

// The announcement lists exactly the lot's revealed bids, ascending.
absl::Status CheckListed(const v1::Event& e, TenderState* s, const fold::Lot& lot) {
  const auto& bids = e.results_announced().bids();
  if (static_cast<uint32_t>(bids.size()) != lot.opening().bids())
    return Corrupt(e, absl::StrCat("lists ", bids.size(), " bids but ", lot.opening().bids(),
                                   " were revealed"));
  for (int i = 0; i < bids.size(); ++i) {
    const fold::Bid* bid = BidOrNull(s, bids[i]);
    if ((i > 0 && bids[i] <= bids[i - 1]) || bid == nullptr || bid->lot() != lot.number() ||
        !bid->has_opening())
      return Corrupt(
          e, absl::StrCat("lists bid ", bids[i], ", not a revealed bid of the lot in order"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyBidderSignedIn(const v1::Event& e, TenderState* s, Changes* changes) {
  const v1::BidderSignedIn& in = e.bidder_signed_in();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, LotOf(e, &s->tender, in.lot()));
  fold::Bid* bid = BidOrNull(s, in.bid());
  BO_RETURN_IF_ERROR(Obeyed(
      e, CheckSignIn(s->tender, in.lot(), bid, in.bidder_nonce(), e.actor(), FromProto(e.time())),
      "a second sign-in of the same bid"));
  *bid->mutable_hall()->mutable_signed_in() = PositionOf(e);
  *bid->mutable_hall()->mutable_signed_in_by() = e.actor();
  lot->mutable_hall()->set_signed_in(lot->hall().signed_in() + 1);
  changes->bids.push_back(in.bid());
  return absl::OkStatus();
}

absl::Status ApplyResultsAnnounced(const v1::Event& e, TenderState* s, Changes*) {
  const v1::ResultsAnnounced& a = e.results_announced();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, LotOf(e, &s->tender, a.lot()));
  BO_RETURN_IF_ERROR(CheckListed(e, s, *lot));
  absl::StatusOr<v1::ResultsAnnounced> decided =
      DecideAnnouncement(*s, a.lot(), FromProto(e.time()));
  if (!decided.ok()) return Corrupt(e, decided.status().message());
  if (decided->announcement_sha256() != a.announcement_sha256())
    return Corrupt(e, "its announcement_sha256 is not the hash of the lot's announcement table");
  if (FromProto(decided->confirm_until()) != FromProto(a.confirm_until()))
    return Corrupt(e, "its confirm_until is not the lot's confirmation window after it");
  v1::LotHall* h = lot->mutable_hall();
  *h->mutable_announced() = PositionOf(e);
  h->set_announcement_sha256(a.announcement_sha256());
  *h->mutable_confirm_until() = a.confirm_until();
  if (lot->status() == v1::LOT_STATUS_ANNOUNCING) lot->set_status(v1::LOT_STATUS_CONFIRMING);
  return absl::OkStatus();
}

absl::Status ApplyAnnouncementConfirmed(const v1::Event& e, TenderState* s, Changes* changes) {
  const v1::AnnouncementConfirmed& c = e.announcement_confirmed();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, LotOf(e, &s->tender, c.lot()));
  fold::Bid* bid = BidOrNull(s, c.bid());
  BO_RETURN_IF_ERROR(Obeyed(e,
                            CheckConfirm(s->tender, c.lot(), bid, e.actor(),
                                         c.announcement_sha256(), FromProto(e.time())),
                            "a second confirmation by the same bidder"));
  if (c.signature().empty() || c.bidder_certificate_pem().empty())
    return Corrupt(e, "a confirmation without its signature or certificate");
  v1::BidHall* h = bid->mutable_hall();
  *h->mutable_confirmed() = PositionOf(e);
  h->set_confirmation_signature(c.signature());
  h->set_confirmation_certificate_pem(c.bidder_certificate_pem());
  lot->mutable_hall()->set_confirmed(lot->hall().confirmed() + 1);
  changes->bids.push_back(c.bid());
  return absl::OkStatus();
}

absl::Status ApplyObjectionRaised(const v1::Event& e, TenderState* s, Changes* changes) {
  const v1::ObjectionRaised& r = e.objection_raised();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, LotOf(e, &s->tender, r.lot()));
  fold::Bid* bid = BidOrNull(s, r.bid());
  if (absl::Status st =
          CheckObjection(s->tender, r.lot(), bid, e.actor(), r.text(), FromProto(e.time()));
      !st.ok())
    return Corrupt(e, st.message());
  v1::Objection* o = lot->mutable_hall()->add_objections();
  o->set_seq(e.seq());
  *o->mutable_time() = e.time();
  *o->mutable_bidder() = e.actor();
  o->set_bid(r.bid());
  o->set_text(r.text());
  lot->mutable_hall()->set_unanswered(lot->hall().unanswered() + 1);
  bid->mutable_hall()->set_objections(bid->hall().objections() + 1);
  changes->bids.push_back(r.bid());
  return absl::OkStatus();
}

absl::Status ApplyObjectionAnswered(const v1::Event& e, TenderState* s, Changes*) {
  const v1::ObjectionAnswered& a = e.objection_answered();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, LotOf(e, &s->tender, a.lot()));
  if (absl::Status st = CheckAnswer(s->tender, a.lot(), e.actor(), a.objection(), a.text());
      !st.ok())
    return Corrupt(e, st.message());
  v1::LotHall* h = lot->mutable_hall();
  for (v1::Objection& o : *h->mutable_objections()) {
    if (o.seq() != a.objection()) continue;
    *o.mutable_answer()->mutable_at() = PositionOf(e);
    *o.mutable_answer()->mutable_by() = e.actor();
    o.mutable_answer()->set_text(a.text());
  }
  h->set_unanswered(h->unanswered() - 1);
  return absl::OkStatus();
}

absl::Status ApplyOpeningClosed(const v1::Event& e, TenderState* s, Changes*) {
  const v1::OpeningClosed& c = e.opening_closed();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, LotOf(e, &s->tender, c.lot()));
  if (absl::Status st = CheckClose(s->tender, c.lot(), e.actor(), FromProto(e.time())); !st.ok())
    return Corrupt(e, st.message());
  *lot->mutable_hall()->mutable_closed() = PositionOf(e);
  *lot->mutable_hall()->mutable_closed_by() = e.actor();
  if (lot->status() == v1::LOT_STATUS_CONFIRMING) lot->set_status(v1::LOT_STATUS_CLOSED);
  return absl::OkStatus();
}

}  // namespace bidopen::fold_internal
