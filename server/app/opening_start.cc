// OpeningApp: starting an opening (with every live bid's bidder revealed),
// and what callers read: the status with the server's signed time, a
// bidder's own sealed header.
#include <map>

#include "absl/strings/str_cat.h"
#include "bidopen/v1/bid.pb.h"
#include "core/crypto/certificate.h"
#include "core/opening/opening_rules.h"
#include "core/opening/signed_action.h"
#include "core/opening/tender_rules.h"
#include "core/opening/tender_view.h"
#include "core/status_macros.h"
#include "server/app/opening_app.h"
#include "server/app/opening_internal.h"
#include "server/store/bid_store.h"
#include "server/store/fold_rows.h"
#include "server/store/log_state.h"
#include "server/store/stored_file.h"
#include "server/store/tx.h"

namespace bidopen::app {
namespace opening_internal {

absl::Status CheckLotRef(const v1::LotRef& ref, absl::string_view field) {
  if (ref.tender_id().empty())
    return absl::InvalidArgumentError(absl::StrCat(field, ".tender_id: required"));
  if (ref.lot() < 1)
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".lot: must be 1 or more (lots are numbered from 1), got ", ref.lot()));
  return absl::OkStatus();
}

absl::StatusOr<const fold::Bid*> RevealedBid(const TenderState& state, int lot, uint64_t seq) {
  auto it = state.bids.find(seq);
  if (it == state.bids.end() || it->second.lot() != lot || !it->second.has_opening())
    return absl::NotFoundError(absl::StrCat("bid: lot ", lot, " of tender ", state.tender.id(),
                                            " has no bid ", seq, " revealed at its opening"));
  return &it->second;
}

const fold::Bid* RevealedBidOf(const TenderState& state, int lot, const v1::Party& caller) {
  for (const auto& [seq, bid] : state.bids)
    if (bid.lot() == lot && bid.has_opening() &&
        bid.opening().bidder().fingerprint() == caller.fingerprint())
      return &bid;
  return nullptr;
}

}  // namespace opening_internal

namespace {

using opening_internal::CheckLotRef;

// SHA-256 of a bid's stored file as read now; empty if it cannot be read
// whole (a chunk missing).
absl::StatusOr<std::string> HashStoredFile(store::Conn& conn, const fold::Bid& bid) {
  BO_ASSIGN_OR_RETURN(std::optional<store::HeldBid> held, store::FindBid(conn, bid.seq()));
  if (!held) return absl::DataLossError(absl::StrCat("bid ", bid.seq(), ": no stored bid row"));
  store::StoredFileBuf buf(conn, held->row.upload_id, bid.size());
  absl::StatusOr<std::string> sha = buf.DrainAndHash();
  if (!sha.ok() && absl::IsDataLoss(sha.status())) return std::string();
  return sha;
}

// What the bidder's receipt holds that the reveal publishes, with the start's
// check of its stored file (`stored`: its SHA-256 as hashed before the start).
absl::StatusOr<v1::BidRevealed> RevealOf(store::Conn& conn, const fold::Bid& bid,
                                         const std::string& stored) {
  BO_ASSIGN_OR_RETURN(std::optional<store::HeldBid> held, store::FindBid(conn, bid.seq()));
  if (!held) return absl::DataLossError(absl::StrCat("bid ", bid.seq(), ": no stored bid row"));
  v1::Receipt receipt;
  v1::ReceiptBody body;
  if (!receipt.ParseFromString(held->row.receipt) || !body.ParseFromString(receipt.body()))
    return absl::DataLossError(
        absl::StrCat("bid ", bid.seq(), ": its stored receipt does not parse"));
  v1::BidRevealed r;
  r.set_lot(bid.lot());
  r.set_bid(bid.seq());
  BO_ASSIGN_OR_RETURN(*r.mutable_bidder(), crypto::PartyFromPem(body.bidder_certificate_pem()));
  r.set_bidder_nonce(body.bidder_nonce());
  r.set_statement(body.statement());
  r.set_statement_signature(body.statement_signature());
  r.set_bidder_certificate_pem(body.bidder_certificate_pem());
  BO_ASSIGN_OR_RETURN(*r.mutable_header(),
                      store::ReadStoredHeader(conn, held->row.upload_id, bid.size()));
  v1::BidStatement statement;
  if (!statement.ParseFromString(body.statement()))
    return absl::DataLossError(
        absl::StrCat("bid ", bid.seq(), ": its stored statement does not parse"));
  r.set_stored_matches(!stored.empty() && stored == statement.ciphertext_sha256());
  if (!r.stored_matches()) r.set_stored_sha256(stored);
  return r;
}

// The lot's live bids by the fold of the log, ascending.
std::vector<uint64_t> LiveBids(const TenderState& state, int lot) {
  std::vector<uint64_t> out;
  for (const auto& [seq, bid] : state.bids)
    if (bid.lot() == lot && bid.status() == v1::BID_STATUS_LIVE) out.push_back(seq);
  return out;
}

}  // namespace

absl::StatusOr<v1::OpeningStatus> OpeningApp::Start(const v1::Party& agency, const v1::LotRef& ref,
                                                    const v1::SignedAction& signed_action) {
  return StartAs(agency, ref, false, signed_action);
}

absl::StatusOr<v1::OpeningStatus> OpeningApp::StartAs(const v1::Party& actor, const v1::LotRef& ref,
                                                      bool auto_start,
                                                      const v1::SignedAction& signed_action) {
  BO_RETURN_IF_ERROR(CheckLotRef(ref));
  // Every live bid's stored file is hashed before anything can be released
  // (no release is accepted before the start commits), outside the log's
  // transaction: the reveals record whether each is the file its bidder
  // signed (docs/protocol.md "Starting").
  std::map<uint64_t, std::string> stored;
  {
    BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
    BO_ASSIGN_OR_RETURN(TenderState state, store::FoldTenderFromLog(*conn, ref.tender_id()));
    if (!auto_start) BO_RETURN_IF_ERROR(CheckOwner(state.tender, actor, "start the opening of"));
    // Only for a start that would go ahead now (not one refused for its
    // time, nor a lot that fails with too few bids): a refusal reads nothing.
    const std::vector<uint64_t> live = LiveBids(state, ref.lot());
    BO_ASSIGN_OR_RETURN(absl::Time now, log_.Now());
    absl::StatusOr<v1::OpeningStarted> would =
        DecideStart(state.tender, ref.lot(), live, now, auto_start);
    if (would.ok() && would->failure().empty()) {
      for (uint64_t seq : live) {
        BO_ASSIGN_OR_RETURN(stored[seq], HashStoredFile(*conn, state.bids.at(seq)));
      }
    }
  }
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    BO_ASSIGN_OR_RETURN(TenderState state, store::FoldTenderFromLog(tx.conn(), ref.tender_id()));
    if (!auto_start) BO_RETURN_IF_ERROR(CheckOwner(state.tender, actor, "start the opening of"));
    const std::vector<uint64_t> live = LiveBids(state, ref.lot());
    BO_ASSIGN_OR_RETURN(v1::OpeningStarted started,
                        DecideStart(state.tender, ref.lot(), live, tx.now(), auto_start));
    v1::Event draft;
    *draft.mutable_actor() = actor;
    draft.set_tender_id(ref.tender_id());
    *draft.mutable_opening_started() = started;
    BO_RETURN_IF_ERROR(AttachSignedAction(state.tender, signed_action, tx.now(), &draft));
    BO_RETURN_IF_ERROR(tx.Append(std::move(draft), &state).status());
    return AppendReveals(tx, state, started, stored);
  }));
  return Status(ref);
}

// One BidRevealed per listed bid, in the start's commit.
absl::Status OpeningApp::AppendReveals(store::CommandTx& tx, TenderState& state,
                                       const v1::OpeningStarted& started,
                                       std::map<uint64_t, std::string>& stored) {
  if (!started.failure().empty()) return absl::OkStatus();
  for (uint64_t seq : started.bids()) {
    const fold::Bid& bid = state.bids.at(seq);
    if (!stored.contains(seq)) {  // not hashed before the transaction: hash it now
      BO_ASSIGN_OR_RETURN(stored[seq], HashStoredFile(tx.conn(), bid));
    }
    BO_ASSIGN_OR_RETURN(v1::BidRevealed reveal, RevealOf(tx.conn(), bid, stored[seq]));
    v1::Event draft;
    *draft.mutable_actor() = server_;
    draft.set_tender_id(state.tender.id());
    *draft.mutable_bid_revealed() = std::move(reveal);
    BO_RETURN_IF_ERROR(tx.Append(std::move(draft), &state).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::OpeningStatus> OpeningApp::Status(const v1::LotRef& ref) {
  BO_RETURN_IF_ERROR(CheckLotRef(ref));
  TenderState state;
  {  // the connection goes back before the head is signed (AuditLog::commit_mu)
    BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
    store::Tx snapshot(*conn);
    BO_RETURN_IF_ERROR(snapshot.BeginSnapshot());
    BO_ASSIGN_OR_RETURN(state, store::LoadTender(*conn, ref.tender_id()));
    BO_RETURN_IF_ERROR(FindLot(state.tender, ref.lot()).status());
    BO_RETURN_IF_ERROR(store::LoadLotBids(*conn, ref.lot(), &state));
    BO_RETURN_IF_ERROR(snapshot.Commit());
  }
  v1::OpeningStatus out;
  *out.mutable_lot() = ref;
  *out.mutable_lot_state() = TenderView(state).lots(ref.lot() - 1);
  out.set_status(out.lot_state().status());
  out.set_time_zone(state.tender.time_zone());
  {
    absl::MutexLock lock(&missing_mu_);
    auto it = missing_.find({ref.tender_id(), ref.lot()});
    if (it != missing_.end() && out.status() == v1::LOT_STATUS_DECRYPTING)
      for (const v1::MissingRelease& m : it->second) *out.add_missing_releases() = m;
    auto changed = changed_.find({ref.tender_id(), ref.lot()});
    if (changed != changed_.end() && out.status() == v1::LOT_STATUS_DECRYPTING)
      for (uint64_t seq : changed->second) out.add_changed_files(seq);
  }
  // The signed time's head names this server's tree size: first catch it up
  // with what other replicas appended (a release cites this head).
  BO_RETURN_IF_ERROR(log_.CatchUpWithOthers());
  BO_ASSIGN_OR_RETURN(absl::Time now, log_.Now());
  BO_ASSIGN_OR_RETURN(*out.mutable_now(), audit_.SignedNow(now));
  return out;
}

absl::StatusOr<v1::MyBid> OpeningApp::MyBid(const v1::Party& bidder, const v1::LotRef& ref) {
  BO_RETURN_IF_ERROR(CheckLotRef(ref));
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  BO_ASSIGN_OR_RETURN(TenderState state, store::LoadTender(*conn, ref.tender_id()));
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(state.tender, ref.lot()));
  BO_ASSIGN_OR_RETURN(std::optional<store::BidRow> newest,
                      store::NewestBid(*conn, ref.tender_id(), ref.lot(), bidder.fingerprint()));
  if (!newest)
    return absl::NotFoundError(absl::StrCat("you (", bidder.organization(), ") have no bid in lot ",
                                            ref.lot(), " of tender ", ref.tender_id()));
  BO_ASSIGN_OR_RETURN(std::optional<store::HeldBid> held, store::FindBid(*conn, newest->seq));
  BO_RETURN_IF_ERROR(store::LoadBids(*conn, {{newest->seq}}, &state));
  v1::MyBid out;
  out.set_bid(newest->seq);
  out.set_policy(lot->spec().policy());
  // The start's check of the stored file, so the bidder sees at once a claim
  // that it was altered, and whether it put the file back (review 4 R5).
  const fold::Bid& mine = state.bids.at(newest->seq);
  if (mine.has_opening() && mine.opening().has_stored_matched_at_start()) {
    out.set_stored_matched_at_start(mine.opening().stored_matched_at_start());
    out.set_stored_sha256_at_start(mine.opening().stored_sha256_at_start());
    out.set_restored(mine.opening().restored_seq() != 0);
  }
  BO_ASSIGN_OR_RETURN(
      *out.mutable_header(),
      store::ReadStoredHeader(*conn, held->row.upload_id, state.bids.at(newest->seq).size()));
  return out;
}

}  // namespace bidopen::app
