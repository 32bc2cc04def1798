// OpeningApp: the live hall (docs/opening-hall.md): sign-in, confirmations,
// objections, answers and the close. Each decision is core's
// (core/opening/hall_rules.h) on the tender folded from the log, inside the
// command that appends its event.
#include "absl/strings/str_cat.h"
#include "bidopen/v1/bid.pb.h"
#include "core/crypto/sha256.h"
#include "core/opening/confirmation.h"
#include "core/opening/hall_rules.h"
#include "core/opening/signed_action.h"
#include "core/status_macros.h"
#include "server/app/opening_app.h"
#include "server/app/opening_internal.h"
#include "server/store/bid_store.h"
#include "server/store/log_state.h"

namespace bidopen::app {
namespace {

using opening_internal::CheckLotRef;
using opening_internal::RevealedBidOf;

// The nonce that opens the commitment of the caller's newest bid in the lot,
// from its stored receipt, with that bid's seq; nullopt if it has none. Not
// trusted: CheckSignIn opens the fold's commitment with it.
struct OwnBid {
  uint64_t seq = 0;
  std::string nonce;
};
absl::StatusOr<std::optional<OwnBid>> NewestOwnBid(store::Conn& conn, const v1::LotRef& ref,
                                                   const v1::Party& bidder) {
  BO_ASSIGN_OR_RETURN(std::optional<store::BidRow> row,
                      store::NewestBid(conn, ref.tender_id(), ref.lot(), bidder.fingerprint()));
  if (!row) return std::nullopt;
  v1::Receipt receipt;
  v1::ReceiptBody body;
  if (!receipt.ParseFromString(row->receipt) || !body.ParseFromString(receipt.body()))
    return absl::DataLossError(
        absl::StrCat("bid ", row->seq, ": its stored receipt does not parse"));
  return OwnBid{row->seq, body.bidder_nonce()};
}

v1::Event Draft(const v1::Party& actor, const std::string& tender_id) {
  v1::Event draft;
  *draft.mutable_actor() = actor;
  draft.set_tender_id(tender_id);
  return draft;
}

}  // namespace

absl::StatusOr<v1::HallResult> OpeningApp::Hall(const v1::LotRef& ref,
                                                const v1::SignedAction& signed_action,
                                                const HallStep& step) {
  BO_RETURN_IF_ERROR(CheckLotRef(ref));
  v1::HallResult out;
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    out.Clear();
    BO_ASSIGN_OR_RETURN(TenderState state, store::FoldTenderFromLog(tx.conn(), ref.tender_id()));
    BO_ASSIGN_OR_RETURN(std::optional<v1::Event> draft, step(tx, state, out));
    if (!draft) return absl::OkStatus();  // already: `step` said which event
    draft->set_tender_id(ref.tender_id());
    BO_RETURN_IF_ERROR(AttachSignedAction(state.tender, signed_action, tx.now(), &*draft));
    BO_ASSIGN_OR_RETURN(v1::Event appended, tx.Append(std::move(*draft), &state));
    out.set_seq(appended.seq());
    return absl::OkStatus();
  }));
  BO_ASSIGN_OR_RETURN(*out.mutable_status(), Status(ref));
  return out;
}

absl::StatusOr<v1::HallResult> OpeningApp::SignIn(const v1::Party& bidder, const v1::LotRef& ref,
                                                  const v1::SignedAction& signed_action) {
  return Hall(
      ref, signed_action,
      [&](store::CommandTx& tx, TenderState& state,
          v1::HallResult& out) -> absl::StatusOr<std::optional<v1::Event>> {
        BO_ASSIGN_OR_RETURN(std::optional<OwnBid> own, NewestOwnBid(tx.conn(), ref, bidder));
        const fold::Bid* bid = nullptr;
        if (own) {
          auto it = state.bids.find(own->seq);
          if (it != state.bids.end()) bid = &it->second;
        }
        BO_ASSIGN_OR_RETURN(bool already, CheckSignIn(state.tender, ref.lot(), bid,
                                                      own ? own->nonce : "", bidder, tx.now()));
        if (already) {
          out.set_already(true);
          out.set_seq(bid->hall().signed_in().seq());
          return std::nullopt;
        }
        v1::Event draft = Draft(bidder, ref.tender_id());
        v1::BidderSignedIn* s = draft.mutable_bidder_signed_in();
        s->set_lot(ref.lot());
        s->set_bid(bid->seq());
        s->set_bidder_nonce(own->nonce);
        return draft;
      });
}

absl::StatusOr<v1::HallResult> OpeningApp::Confirm(const v1::Party& bidder,
                                                   absl::string_view cert_pem,
                                                   const v1::ConfirmRequest& req) {
  return Hall(
      req.lot(), v1::SignedAction(),  // the confirmation is signed itself
      [&](store::CommandTx& tx, TenderState& state,
          v1::HallResult& out) -> absl::StatusOr<std::optional<v1::Event>> {
        const int n = req.lot().lot();
        const fold::Bid* bid = RevealedBidOf(state, n, bidder);
        BO_ASSIGN_OR_RETURN(bool already, CheckConfirm(state.tender, n, bid, bidder,
                                                       req.announcement_sha256(), tx.now()));
        if (already) {
          out.set_already(true);
          out.set_seq(bid->hall().confirmed().seq());
          return std::nullopt;
        }
        v1::Event draft = Draft(bidder, req.lot().tender_id());
        v1::AnnouncementConfirmed* c = draft.mutable_announcement_confirmed();
        c->set_lot(n);
        c->set_bid(bid->seq());
        c->set_announcement_sha256(req.announcement_sha256());
        c->set_signature(req.signature());
        c->set_bidder_certificate_pem(std::string(cert_pem));
        if (absl::Status st = CheckConfirmationKey(*c, bidder, req.lot().tender_id()); !st.ok())
          return absl::InvalidArgumentError(
              absl::StrCat("signature: does not verify with your certificate's key over the "
                           "confirmation of announcement ",
                           crypto::Hex(req.announcement_sha256()), " (", st.message(), ")"));
        return draft;
      });
}

absl::StatusOr<v1::HallResult> OpeningApp::Object(const v1::Party& bidder,
                                                  const v1::ObjectRequest& req,
                                                  const v1::SignedAction& signed_action) {
  return Hall(
      req.lot(), signed_action,
      [&](store::CommandTx& tx, TenderState& state,
          v1::HallResult&) -> absl::StatusOr<std::optional<v1::Event>> {
        const int n = req.lot().lot();
        const fold::Bid* bid = RevealedBidOf(state, n, bidder);
        BO_RETURN_IF_ERROR(CheckObjection(state.tender, n, bid, bidder, req.text(), tx.now()));
        v1::Event draft = Draft(bidder, req.lot().tender_id());
        v1::ObjectionRaised* o = draft.mutable_objection_raised();
        o->set_lot(n);
        o->set_bid(bid->seq());
        o->set_text(req.text());
        return draft;
      });
}

absl::StatusOr<v1::HallResult> OpeningApp::Answer(const v1::Party& agency,
                                                  const v1::AnswerObjectionRequest& req,
                                                  const v1::SignedAction& signed_action) {
  return Hall(
      req.lot(), signed_action,
      [&](store::CommandTx&, TenderState& state,
          v1::HallResult&) -> absl::StatusOr<std::optional<v1::Event>> {
        const int n = req.lot().lot();
        BO_RETURN_IF_ERROR(CheckAnswer(state.tender, n, agency, req.objection_seq(), req.text()));
        v1::Event draft = Draft(agency, req.lot().tender_id());
        v1::ObjectionAnswered* a = draft.mutable_objection_answered();
        a->set_lot(n);
        a->set_objection(req.objection_seq());
        a->set_text(req.text());
        return draft;
      });
}

absl::StatusOr<v1::OpeningRecord> OpeningApp::Close(const v1::Party& agency, const v1::LotRef& ref,
                                                    const v1::SignedAction& signed_action) {
  BO_RETURN_IF_ERROR(Hall(ref, signed_action,
                          [&](store::CommandTx& tx, TenderState& state,
                              v1::HallResult&) -> absl::StatusOr<std::optional<v1::Event>> {
                            BO_RETURN_IF_ERROR(
                                CheckClose(state.tender, ref.lot(), agency, tx.now()));
                            v1::Event draft = Draft(agency, ref.tender_id());
                            draft.mutable_opening_closed()->set_lot(ref.lot());
                            return draft;
                          })
                         .status());
  return SignedRecord(ref);
}

}  // namespace bidopen::app
