// OpeningApp: a bidder puts back the sealed file the start found altered
// (review 4 R5; docs/protocol.md "Re-supplying a sealed file"). The bytes go
// to a new upload row while they arrive (never whole in memory); once all are
// stored and their SHA-256 is the one the bidder signed, one commit marks the
// upload committed, makes it the bid's stored file (bid_restorations) and
// appends BidFileRestored. Whether it may is core's (resupply_rules.h), asked
// before the bytes and again inside the commit.
#include "absl/strings/str_cat.h"
#include "core/opening/resupply_rules.h"
#include "core/opening/tender_view.h"
#include "core/opening/time_text.h"
#include "core/seal/digest.h"
#include "core/status_macros.h"
#include "server/app/opening_app.h"
#include "server/app/opening_internal.h"
#include "server/store/bid_store.h"
#include "server/store/log_state.h"
#include "server/store/tx.h"

namespace bidopen::app {

namespace {

struct Staged {
  fold::Bid bid;
  int64_t upload_id = 0;
};

}  // namespace

absl::StatusOr<v1::ResupplyResult> OpeningApp::ResupplyFile(const v1::Party& bidder,
                                                            const v1::BidRef& ref,
                                                            std::string first,
                                                            const NextBytes& next) {
  BO_RETURN_IF_ERROR(opening_internal::CheckLotRef(ref.lot(), "bid.lot"));
  const std::string& tender_id = ref.lot().tender_id();
  const int lot = ref.lot().lot();
  Staged staged;
  {
    BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
    BO_ASSIGN_OR_RETURN(TenderState state, store::FoldTenderFromLog(*conn, tender_id));
    BO_ASSIGN_OR_RETURN(absl::Time now, log_.Now());
    BO_RETURN_IF_ERROR(CheckResupply(state, lot, ref.bid(), bidder, now));
    staged.bid = state.bids.at(ref.bid());
    store::UploadRow row;
    row.tender_id = tender_id;
    row.lot = lot;
    row.bidder = bidder.fingerprint();
    row.size = staged.bid.size();
    row.ciphertext_sha256 = staged.bid.ciphertext_sha256();
    // Past the window the discard sweep removes what a broken stream left.
    row.deadline = FromProto(state.tender.lots(lot - 1).opening().window_end());
    BO_ASSIGN_OR_RETURN(staged.upload_id, store::StartUpload(*conn, row));
  }
  absl::StatusOr<v1::ResupplyResult> out =
      Restore(bidder, ref, staged.bid, staged.upload_id, std::move(first), next);
  if (!out.ok()) {
    absl::StatusOr<store::Pool::Lease> conn = pool_.Acquire();
    if (conn.ok())
      (void)store::DropUpload(**conn, staged.upload_id, store::UploadState::kAbandoned);
  }
  return out;
}

// Hashes `data` and stores it at `pos` of upload `upload_id`.
absl::Status OpeningApp::StoreBytes(int64_t upload_id, uint64_t pos, const std::string& data,
                                    seal::Sha256Stream* sha) {
  sha->Update(data);
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  BO_ASSIGN_OR_RETURN(bool stored, store::AppendChunk(*conn, upload_id, pos, data));
  if (!stored)
    return absl::AbortedError("the re-supplied upload changed under this stream; send it again");
  return absl::OkStatus();
}

// Stores the bytes in order into upload `upload_id`, checks them against the
// signed statement, then commits the restoration.
absl::StatusOr<v1::ResupplyResult> OpeningApp::Restore(const v1::Party& bidder,
                                                       const v1::BidRef& ref, const fold::Bid& bid,
                                                       int64_t upload_id, std::string data,
                                                       const NextBytes& next) {
  seal::Sha256Stream sha;
  uint64_t pos = 0;
  for (bool more = true; more;) {
    BO_RETURN_IF_ERROR(CheckResupplyMessage(data.size()));
    if (!data.empty()) {
      if (pos + data.size() > bid.size())
        return absl::InvalidArgumentError(
            absl::StrCat("data: more bytes than the ", bid.size(), " bid ", bid.seq(),
                         "'s signed statement says: it is not the sealed file you "
                         "submitted"));
      BO_RETURN_IF_ERROR(StoreBytes(upload_id, pos, data, &sha));
      pos += data.size();
    }
    BO_ASSIGN_OR_RETURN(more, next(&data));
  }
  const std::string digest = sha.Finish();
  BO_RETURN_IF_ERROR(CheckResuppliedFile(bid, pos, digest));
  v1::ResupplyResult out;
  const std::string& tender_id = ref.lot().tender_id();
  const int lot = ref.lot().lot();
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    BO_ASSIGN_OR_RETURN(TenderState state, store::FoldTenderFromLog(tx.conn(), tender_id));
    BO_RETURN_IF_ERROR(CheckResupply(state, lot, bid.seq(), bidder, tx.now()));
    BO_ASSIGN_OR_RETURN(store::UploadRow row, store::LockUpload(tx.conn(), upload_id));
    if (row.state != store::UploadState::kOpen || row.received != bid.size())
      return absl::AbortedError("the re-supplied upload changed under this stream; send it again");
    BO_RETURN_IF_ERROR(store::MarkCommitted(tx.conn(), upload_id));
    v1::Event draft;
    *draft.mutable_actor() = bidder;
    draft.set_tender_id(tender_id);
    v1::BidFileRestored* r = draft.mutable_bid_file_restored();
    r->set_lot(lot);
    r->set_bid(bid.seq());
    r->set_sha256(digest);
    BO_ASSIGN_OR_RETURN(v1::Event appended, tx.Append(std::move(draft), &state));
    out.set_seq(appended.seq());
    return store::InsertRestoration(tx.conn(), bid.seq(), upload_id, appended.seq());
  }));
  out.set_sha256(digest);
  out.set_size(pos);
  BO_ASSIGN_OR_RETURN(*out.mutable_status(), Status(ref.lot()));
  return out;
}

}  // namespace bidopen::app
