// OpeningApp: what leaves the server after decryption ended — an opened
// bid's documents (agency, supervisor) and the evidence to re-run a verdict
// offline (auditor, supervisor).
#include <istream>

#include "absl/strings/str_cat.h"
#include "bidopen/fold/opened.pb.h"
#include "core/opening/tender_rules.h"
#include "core/opening/time_text.h"
#include "core/opening/verdict_rules.h"
#include "core/seal/bid_plaintext.h"
#include "core/status_macros.h"
#include "server/app/opening_app.h"
#include "server/app/opening_internal.h"
#include "server/store/bid_store.h"
#include "server/store/stored_file.h"

namespace bidopen::app {
namespace {

using opening_internal::LotData;

// The lot's decryption ended and `seq` is one of its revealed bids.
absl::StatusOr<const fold::Bid*> EndedBid(const LotData& data, uint64_t seq) {
  const fold::Lot& lot = *data.lot;
  if (!lot.opening().has_ended()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "lot ", lot.number(), " of tender ", data.state.tender.id(),
        " has not finished decryption: bids leave the server only after the verdicts",
        lot.opening().has_window_end()
            ? absl::StrCat(
                  " (the window closes at ",
                  TimeText(lot.opening().window_end(), ZoneOrUtc(data.state.tender.time_zone())),
                  ")")
            : ""));
  }
  return opening_internal::RevealedBid(data.state, lot.number(), seq);
}

// Hands each document's bytes to the writer as they are decrypted.
class ForwardingSink : public seal::BidSink {
 public:
  explicit ForwardingSink(const OpeningApp::ContentWriter& write) : write_(write) {}
  absl::Status OnDocumentData(int index, absl::string_view bytes) override {
    v1::BidContent piece;
    piece.mutable_piece()->set_document(index);
    piece.mutable_piece()->set_data(std::string(bytes));
    if (!write_(piece)) return absl::CancelledError("the caller went away");
    return absl::OkStatus();
  }

 private:
  const OpeningApp::ContentWriter& write_;
};

}  // namespace

absl::Status OpeningApp::Fetch(const v1::Party& caller, const v1::BidRef& ref,
                               const ContentWriter& write) {
  BO_RETURN_IF_ERROR(opening_internal::CheckLotRef(ref.lot(), "lot"));
  BO_ASSIGN_OR_RETURN(LotData data, ReadLot(ref.lot().tender_id(), ref.lot().lot()));
  if (caller.role() == v1::ROLE_AGENCY)
    BO_RETURN_IF_ERROR(CheckOwner(data.state.tender, caller, "fetch the bids of"));
  BO_ASSIGN_OR_RETURN(const fold::Bid* bid, EndedBid(data, ref.bid()));
  if (bid->status() != v1::BID_STATUS_DECRYPTED)
    return absl::FailedPreconditionError(absl::StrCat(
        "bid ", bid->seq(), " did not open (", FaultName(bid->opening().fault()), "'s fault, ",
        ConsequenceName(bid->opening().consequence()), "): it has no documents to fetch"));
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  BO_ASSIGN_OR_RETURN(std::optional<std::string> row, store::ReadOpened(*conn, bid->seq()));
  if (!row) return absl::DataLossError(absl::StrCat("bid ", bid->seq(), ": opened, not stored"));
  BO_ASSIGN_OR_RETURN(std::string bytes, key_.Open(opening::kOpenedLabel, bid->seq(), *row));
  fold::OpenedBid opened;
  if (!opened.ParseFromString(bytes))
    return absl::DataLossError(absl::StrCat("bid ", bid->seq(), ": stored opening unreadable"));
  v1::BidContent head;
  *head.mutable_manifest() = opened.manifest();
  if (!write(head)) return absl::CancelledError("the caller went away");
  BO_ASSIGN_OR_RETURN(std::optional<store::HeldBid> held, store::FindBid(*conn, bid->seq()));
  if (!held) return absl::DataLossError(absl::StrCat("bid ", bid->seq(), ": no stored bid row"));
  store::StoredFileBuf buf(*conn, held->row.upload_id, bid->size());
  std::istream in(&buf);
  BO_ASSIGN_OR_RETURN(seal::SealReader reader, seal::SealReader::Open(in));
  ForwardingSink sink(write);
  return seal::ReadBid(reader, opened.secret(), &sink, nullptr).status();
}

absl::Status OpeningApp::Evidence(const v1::BidRef& ref, const EvidenceWriter& write) {
  BO_RETURN_IF_ERROR(opening_internal::CheckLotRef(ref.lot(), "lot"));
  BO_ASSIGN_OR_RETURN(LotData data, ReadLot(ref.lot().tender_id(), ref.lot().lot()));
  BO_ASSIGN_OR_RETURN(const fold::Bid* bid, EndedBid(data, ref.bid()));
  v1::BidEvidence head;
  v1::EvidenceHead* h = head.mutable_head();
  h->set_bid(bid->seq());
  h->set_size(bid->size());
  h->set_ciphertext_sha256(bid->ciphertext_sha256());
  for (const store::ReleaseRow& r : data.releases) {
    if (r.kind == v1::RELEASE_KIND_BIDDER && r.bid != bid->seq()) continue;
    v1::ReleasedMaterial* m = h->add_releases();
    m->set_seq(r.seq);
    m->set_kind(static_cast<v1::ReleaseKind>(r.kind));
    m->set_share_x(r.share_x);
    m->set_fingerprint(r.releaser);
    auto bytes = data.material.find(r.seq);  // empty if its row does not open: lost
    if (bytes != data.material.end()) m->set_material(bytes->second);
    m->set_accepted(r.accepted);
  }
  if (!write(head)) return absl::CancelledError("the caller went away");
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  BO_ASSIGN_OR_RETURN(std::optional<store::HeldBid> held, store::FindBid(*conn, bid->seq()));
  if (!held) return absl::DataLossError(absl::StrCat("bid ", bid->seq(), ": no stored bid row"));
  return store::ForEachStoredPiece(
      *conn, held->row.upload_id, bid->size(), [&](uint64_t at, std::string& data) {
        v1::BidEvidence piece;
        piece.mutable_piece()->set_offset(at);
        piece.mutable_piece()->set_data(std::move(data));
        return write(piece) ? absl::OkStatus() : absl::CancelledError("the caller went away");
      });
}

}  // namespace bidopen::app
