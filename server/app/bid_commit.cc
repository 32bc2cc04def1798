// BidApp's writes to the log: commit of an upload and withdrawal of a bid.
#include "absl/strings/str_cat.h"
#include "core/bid/bid_rules.h"
#include "core/bid/receipt.h"
#include "core/bid/statement.h"
#include "core/crypto/kdf.h"
#include "core/crypto/sha256.h"
#include "core/status_macros.h"
#include "server/app/bid_app.h"
#include "server/store/bid_store.h"
#include "server/store/fold_rows.h"

namespace bidopen::app {
namespace {

absl::Status Mismatch(absl::string_view field, absl::string_view stated,
                      absl::string_view uploaded) {
  return absl::InvalidArgumentError(
      absl::StrCat("commit.statement.", field, ": ", stated, ", but the upload has ", uploaded));
}

// The statement must describe exactly the uploaded file.
absl::Status CheckDescribes(const v1::BidStatement& s, const Upload& up) {
  const store::UploadRow& row = up.row();
  if (s.tender_id() != row.tender_id) return Mismatch("tender_id", s.tender_id(), row.tender_id);
  if (s.lot() != row.lot) return Mismatch("lot", absl::StrCat(s.lot()), absl::StrCat(row.lot));
  if (s.size() != row.size)
    return Mismatch("size", absl::StrCat(s.size()), absl::StrCat(row.size, " bytes"));
  if (s.ciphertext_sha256() != row.ciphertext_sha256)
    return Mismatch("ciphertext_sha256", crypto::Hex(s.ciphertext_sha256()),
                    crypto::Hex(row.ciphertext_sha256));
  if (s.header_sha256() != up.header_hash())
    return Mismatch("header_sha256", crypto::Hex(s.header_sha256()), crypto::Hex(up.header_hash()));
  return absl::OkStatus();
}

absl::Status CheckUploaded(Upload& up) {
  const store::UploadRow& row = up.row();
  if (!up.complete())
    return absl::FailedPreconditionError(absl::StrCat(
        "commit: the upload has ", row.received, " of ", row.size, " bytes; send the rest first"));
  if (!up.header_checked())
    return absl::InvalidArgumentError("commit: the file ends inside its sealed header");
  const std::string digest = up.Digest();
  if (digest != row.ciphertext_sha256)
    return absl::InvalidArgumentError(
        absl::StrCat("start.ciphertext_sha256: the uploaded bytes hash to ", crypto::Hex(digest),
                     ", not the declared ", crypto::Hex(row.ciphertext_sha256),
                     "; the upload was discarded, send the file again"));
  return absl::OkStatus();
}

// The tender's state for a bid command: its row and the bidder's newest bid
// in the lot (the only one that can be live), not the lot's other bids, so a
// command costs the same at the 10,000th bid as at the first.
struct BidContext {
  TenderState state;
  std::optional<store::BidRow> newest;
  const fold::Bid* live = nullptr;
};

absl::StatusOr<BidContext> LoadBidContext(store::Conn& conn, const std::string& tender_id, int lot,
                                          const std::string& bidder,
                                          const std::string& statement_sha256) {
  BidContext c;
  BO_ASSIGN_OR_RETURN(c.state, store::LoadTender(conn, tender_id));
  BO_RETURN_IF_ERROR(store::LoadStatements(conn, {{statement_sha256}}, &c.state));
  BO_ASSIGN_OR_RETURN(c.newest, store::NewestBid(conn, tender_id, lot, bidder));
  if (!c.newest) return c;
  BO_RETURN_IF_ERROR(store::LoadBids(conn, {{c.newest->seq}}, &c.state));
  c.live = bid::LiveBidOf(c.state, c.newest->seq);
  return c;
}

// The statement acts once, and on exactly the bid that is live now.
absl::Status CheckStatementFits(const BidContext& c, const v1::BidStatement& s,
                                const std::string& statement_sha256, absl::string_view field) {
  BO_RETURN_IF_ERROR(bid::CheckStatementUnused(c.state, statement_sha256, field));
  std::optional<uint64_t> live;
  if (c.live != nullptr) live = c.live->seq();
  return bid::CheckStatementNamesLiveBid(s, live, field);
}

absl::Status CheckStillOpen(const store::UploadRow& row) {
  using store::UploadState;
  if (row.state == UploadState::kOpen) return absl::OkStatus();
  if (row.state == UploadState::kCommitted)
    return absl::AlreadyExistsError("commit: this upload was already committed");
  return absl::FailedPreconditionError(absl::StrCat(
      "commit: this upload was ", store::UploadStateName(row.state), "; send the file again"));
}

}  // namespace

absl::StatusOr<v1::Receipt> BidApp::SignReceipt(const bid::ReceiptInput& in,
                                                const v1::Event& event) const {
  v1::Receipt receipt;
  receipt.set_body(bid::EncodeReceiptBody(bid::MakeReceiptBody(in, event, signer_.origin())));
  BO_ASSIGN_OR_RETURN(*receipt.mutable_server_signature(),
                      signer_.SignBytes(bid::ReceiptSigningInput(receipt.body())));
  receipt.set_log_certificate_pem(signer_.cert_pem());
  return receipt;
}

absl::StatusOr<v1::Receipt> BidApp::Commit(Upload& up, const v1::UploadCommit& c) {
  const store::UploadRow& row = up.row();
  if (absl::Status st = CheckUploaded(up); !st.ok()) {
    if (st.code() == absl::StatusCode::kInvalidArgument) {
      BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
      BO_RETURN_IF_ERROR(store::DropUpload(*conn, row.id, store::UploadState::kAbandoned).status());
    }
    return st;
  }
  BO_ASSIGN_OR_RETURN(v1::BidStatement s,
                      bid::DecodeStatement(c.statement(), bid::kSubmitPurpose, "commit.statement"));
  BO_RETURN_IF_ERROR(bid::CheckStatementBidder(s, row.bidder, "commit.statement"));
  BO_RETURN_IF_ERROR(CheckDescribes(s, up));
  BO_RETURN_IF_ERROR(bid::CheckStatementSignature(up.cert_pem(), c.statement(), c.signature(),
                                                  "commit.signature"));
  v1::Receipt receipt;
  const std::string statement_sha256 = crypto::Sha256(c.statement());
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    receipt = v1::Receipt();
    BO_ASSIGN_OR_RETURN(BidContext ctx, LoadBidContext(tx.conn(), row.tender_id, row.lot,
                                                       row.bidder, statement_sha256));
    BO_RETURN_IF_ERROR(
        bid::LotTakingBids(ctx.state.tender, row.lot, tx.now(), "the bid was not accepted")
            .status());
    BO_RETURN_IF_ERROR(CheckStatementFits(ctx, s, statement_sha256, "commit.statement"));
    BO_ASSIGN_OR_RETURN(store::UploadRow locked, store::LockUpload(tx.conn(), row.id));
    BO_RETURN_IF_ERROR(CheckStillOpen(locked));
    const std::string nonce = crypto::RandomBytes(bid::kNonceSize);
    v1::Event draft;
    draft.set_tender_id(row.tender_id);
    v1::BidSubmitted* b = draft.mutable_bid_submitted();
    b->set_lot(row.lot);
    b->set_bidder_commitment(bid::BidderCommitment(row.bidder, nonce));
    b->set_statement_sha256(statement_sha256);
    b->set_statement_version(bid::kStatementVersion);
    b->set_size(row.size);
    if (ctx.live != nullptr) b->set_replaces(ctx.live->seq());
    BO_ASSIGN_OR_RETURN(v1::Event event, tx.Append(std::move(draft), &ctx.state));
    BO_ASSIGN_OR_RETURN(receipt, SignReceipt({v1::RECEIPT_KIND_SUBMITTED, c.statement(),
                                              c.signature(), up.cert_pem(), nonce},
                                             event));
    BO_RETURN_IF_ERROR(store::InsertBid(
        tx.conn(), row.tender_id, row.lot, row.bidder,
        {event.seq(), row.id, row.ciphertext_sha256, receipt.SerializeAsString(), ""}));
    return store::MarkCommitted(tx.conn(), row.id);
  }));
  return receipt;
}

namespace {

// The withdrawal statement must name the live bid's file.
absl::Status CheckNamesBid(const v1::BidStatement& s, const store::BidRow& live) {
  v1::Receipt receipt;
  v1::ReceiptBody body;
  v1::BidStatement bid;
  if (!receipt.ParseFromString(live.receipt) || !body.ParseFromString(receipt.body()) ||
      !bid.ParseFromString(body.statement()))
    return absl::DataLossError(
        absl::StrCat("bids: the receipt of seq ", live.seq, " does not parse"));
  if (s.header_sha256() == bid.header_sha256() &&
      s.ciphertext_sha256() == bid.ciphertext_sha256() && s.size() == bid.size())
    return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "statement: names the sealed file ", crypto::Hex(s.ciphertext_sha256()),
      ", but your live bid (log index ", live.seq, ") is ", crypto::Hex(bid.ciphertext_sha256())));
}

}  // namespace

absl::StatusOr<v1::Receipt> BidApp::Withdraw(const Bidder& bidder, const v1::WithdrawRequest& req) {
  const std::string& who = bidder.party.fingerprint();
  BO_ASSIGN_OR_RETURN(v1::BidStatement s,
                      bid::DecodeStatement(req.statement(), bid::kWithdrawPurpose, "statement"));
  BO_RETURN_IF_ERROR(bid::CheckStatementBidder(s, who, "statement"));
  BO_RETURN_IF_ERROR(
      bid::CheckStatementSignature(bidder.cert_pem, req.statement(), req.signature(), "signature"));
  v1::Receipt receipt;
  const std::string statement_sha256 = crypto::Sha256(req.statement());
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    receipt = v1::Receipt();
    BO_ASSIGN_OR_RETURN(BidContext ctx,
                        LoadBidContext(tx.conn(), s.tender_id(), s.lot(), who, statement_sha256));
    BO_RETURN_IF_ERROR(
        bid::LotTakingBids(ctx.state.tender, s.lot(), tx.now(), "a bid can no longer be withdrawn")
            .status());
    if (ctx.live == nullptr)
      return absl::NotFoundError(absl::StrCat("you have no live bid in lot ", s.lot(),
                                              " of tender ", s.tender_id(), " to withdraw"));
    BO_RETURN_IF_ERROR(CheckNamesBid(s, *ctx.newest));
    BO_RETURN_IF_ERROR(CheckStatementFits(ctx, s, statement_sha256, "statement"));
    const uint64_t withdrawn = ctx.live->seq();
    v1::Event draft;
    draft.set_tender_id(s.tender_id());
    v1::BidWithdrawn* w = draft.mutable_bid_withdrawn();
    w->set_lot(s.lot());
    w->set_withdraws(withdrawn);
    w->set_statement_sha256(statement_sha256);
    w->set_statement_version(bid::kStatementVersion);
    BO_ASSIGN_OR_RETURN(v1::Event event, tx.Append(std::move(draft), &ctx.state));
    BO_ASSIGN_OR_RETURN(receipt, SignReceipt({v1::RECEIPT_KIND_WITHDRAWN, req.statement(),
                                              req.signature(), bidder.cert_pem, ""},
                                             event));
    return store::SetWithdrawal(tx.conn(), withdrawn, receipt.SerializeAsString());
  }));
  return receipt;
}

}  // namespace bidopen::app
