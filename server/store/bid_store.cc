#include "server/store/bid_store.h"

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "server/store/tx.h"

namespace bidopen::store {
namespace {

constexpr Statement kLatest{
    "b_latest",
    "SELECT id, tender_id, lot, bidder, size, ciphertext_sha256, received, header_sha256, state,"
    " deadline_us FROM bid_uploads WHERE tender_id = $1 AND lot = $2 AND bidder = $3"
    " ORDER BY id DESC LIMIT 1"};
constexpr Statement kAbandonOpen{
    "b_abandon_open",
    "UPDATE bid_uploads SET state = 'abandoned' WHERE tender_id = $1 AND lot = $2"
    " AND bidder = $3 AND state = 'open' RETURNING id"};
constexpr Statement kDeleteChunks{"b_delete_chunks", "DELETE FROM bid_chunks WHERE upload_id = $1"};
constexpr Statement kInsertUpload{
    "b_insert_upload",
    "INSERT INTO bid_uploads (tender_id, lot, bidder, size, ciphertext_sha256, deadline_us)"
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};
constexpr Statement kSetState{"b_set_state", "UPDATE bid_uploads SET state = $2 WHERE id = $1"};
constexpr Statement kEndOpen{
    "b_end_open",
    "UPDATE bid_uploads SET state = $2 WHERE id = $1 AND state = 'open' RETURNING id"};
constexpr Statement kSetDeadline{"b_set_deadline",
                                 "UPDATE bid_uploads SET deadline_us = $2 WHERE id = $1"};
constexpr Statement kSetHeader{"b_set_header",
                               "UPDATE bid_uploads SET header_sha256 = $2 WHERE id = $1"};
constexpr Statement kAppend{
    "b_append",
    "WITH u AS (UPDATE bid_uploads SET received = received + $4 WHERE id = $1 AND received = $2"
    " AND state = 'open' AND received + $4 <= size RETURNING id)"
    " INSERT INTO bid_chunks (upload_id, pos, data) SELECT id, $2, $3 FROM u RETURNING pos"};
constexpr Statement kChunks{
    "b_chunks",
    "SELECT pos, data FROM bid_chunks WHERE upload_id = $1 AND pos >= $2 AND pos < $3"
    " ORDER BY pos LIMIT 16"};
constexpr Statement kPast{
    "b_past",
    "SELECT id, tender_id, lot, bidder, size, ciphertext_sha256, received, header_sha256, state,"
    " deadline_us FROM bid_uploads WHERE state = 'open' AND deadline_us < $1 ORDER BY id"};
constexpr Statement kOpenOf{
    "b_open_of",
    "SELECT id, tender_id, lot, bidder, size, ciphertext_sha256, received, header_sha256, state,"
    " deadline_us FROM bid_uploads WHERE state = 'open' AND bidder = $1 ORDER BY id"};
constexpr Statement kLock{
    "b_lock",
    "SELECT id, tender_id, lot, bidder, size, ciphertext_sha256, received, header_sha256, state,"
    " deadline_us FROM bid_uploads WHERE id = $1 FOR UPDATE"};
constexpr Statement kNewest{
    "b_newest",
    "SELECT seq, upload_id, ciphertext_sha256, receipt, withdrawal FROM bids"
    " WHERE tender_id = $1 AND lot = $2 AND bidder = $3 ORDER BY seq DESC LIMIT 1"};
constexpr Statement kInsertBid{
    "b_insert_bid",
    "INSERT INTO bids (seq, tender_id, lot, bidder, upload_id, ciphertext_sha256, receipt)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr Statement kSetWithdrawal{"b_set_withdrawal",
                                   "UPDATE bids SET withdrawal = $2 WHERE seq = $1"};
constexpr Statement kBidderBids{
    "b_bidder_bids",
    "SELECT seq, upload_id, ciphertext_sha256, receipt, withdrawal FROM bids"
    " WHERE bidder = $1 AND tender_id = $2 ORDER BY seq"};

// A re-supplied file (bid_restorations, migration 0013) is the bid's stored file.
constexpr Statement kBidAt{
    "b_bid_at",
    "SELECT b.seq, COALESCE(r.upload_id, b.upload_id), b.ciphertext_sha256, b.receipt,"
    " b.withdrawal, b.tender_id, b.lot, b.bidder"
    " FROM bids b LEFT JOIN bid_restorations r ON r.seq = b.seq WHERE b.seq = $1"};
constexpr Statement kRestore{
    "b_restore", "INSERT INTO bid_restorations (seq, upload_id, restored_seq) VALUES ($1, $2, $3)"};

constexpr std::pair<UploadState, absl::string_view> kUploadStates[] = {
    {UploadState::kOpen, "open"},
    {UploadState::kCommitted, "committed"},
    {UploadState::kDiscarded, "discarded"},
    {UploadState::kAbandoned, "abandoned"}};

UploadState UploadStateOf(absl::string_view name) {
  for (const auto& [state, text] : kUploadStates)
    if (text == name) return state;
  return UploadState::kAbandoned;  // the CHECK constraint allows no other value
}

BidRow BidAt(const Result& r, int i) {
  BidRow b;
  b.seq = static_cast<uint64_t>(r.Int64(i, 0));
  b.upload_id = r.Int64(i, 1);
  b.ciphertext_sha256 = std::string(r.Bytes(i, 2));
  b.receipt = std::string(r.Bytes(i, 3));
  if (!r.IsNull(i, 4)) b.withdrawal = std::string(r.Bytes(i, 4));
  return b;
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

UploadRow UploadAt(const Result& r, int i) {
  UploadRow u;
  u.id = r.Int64(i, 0);
  u.tender_id = std::string(r.Bytes(i, 1));
  u.lot = r.Int32(i, 2);
  u.bidder = std::string(r.Bytes(i, 3));
  u.size = static_cast<uint64_t>(r.Int64(i, 4));
  u.ciphertext_sha256 = std::string(r.Bytes(i, 5));
  u.received = static_cast<uint64_t>(r.Int64(i, 6));
  if (!r.IsNull(i, 7)) u.header_sha256 = std::string(r.Bytes(i, 7));
  u.state = UploadStateOf(r.Bytes(i, 8));
  u.deadline = absl::FromUnixMicros(r.Int64(i, 9));
  return u;
}

Params Key(const std::string& tender_id, int lot, const std::string& bidder) {
  return std::move(Params().Text(tender_id).Int(lot).Text(bidder));
}

}  // namespace

absl::string_view UploadStateName(UploadState state) {
  for (const auto& [s, text] : kUploadStates)
    if (s == state) return text;
  return "abandoned";
}

absl::StatusOr<std::optional<UploadRow>> LatestUpload(Conn& conn, const std::string& tender_id,
                                                      int lot, const std::string& bidder) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kLatest, Key(tender_id, lot, bidder)));
  if (r.rows() == 0) return std::nullopt;
  return UploadAt(r, 0);
}

absl::StatusOr<int64_t> StartUpload(Conn& conn, const UploadRow& row) {
  Tx tx(conn);
  BO_RETURN_IF_ERROR(tx.Begin());
  BO_ASSIGN_OR_RETURN(Result old, conn.Run(kAbandonOpen, Key(row.tender_id, row.lot, row.bidder)));
  for (int i = 0; i < old.rows(); ++i)
    BO_RETURN_IF_ERROR(conn.Run(kDeleteChunks, Params().Int(old.Int64(i, 0))).status());
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kInsertUpload, Key(row.tender_id, row.lot, row.bidder)
                                                            .Int(static_cast<int64_t>(row.size))
                                                            .Bytes(row.ciphertext_sha256)
                                                            .Int(Micros(row.deadline))));
  BO_RETURN_IF_ERROR(tx.Commit());
  return r.Int64(0, 0);
}

absl::StatusOr<bool> DropUpload(Conn& conn, int64_t id, UploadState state) {
  Tx tx(conn);
  BO_RETURN_IF_ERROR(tx.Begin());
  // The row lock first: a commit holding it finishes, and a committed upload stays.
  BO_ASSIGN_OR_RETURN(Result ended,
                      conn.Run(kEndOpen, Params().Int(id).Text(UploadStateName(state))));
  if (ended.rows() == 0) return false;
  BO_RETURN_IF_ERROR(conn.Run(kDeleteChunks, Params().Int(id)).status());
  BO_RETURN_IF_ERROR(tx.Commit());
  return true;
}

absl::Status SetUploadDeadline(Conn& conn, int64_t id, absl::Time deadline) {
  return conn.Run(kSetDeadline, Params().Int(id).Int(Micros(deadline))).status();
}

absl::Status SetHeaderHash(Conn& conn, int64_t id, const std::string& hash) {
  return conn.Run(kSetHeader, Params().Int(id).Bytes(hash)).status();
}

absl::StatusOr<bool> AppendChunk(Conn& conn, int64_t id, uint64_t pos, absl::string_view data) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kAppend, Params()
                                                      .Int(id)
                                                      .Int(static_cast<int64_t>(pos))
                                                      .Bytes(data)
                                                      .Int(static_cast<int64_t>(data.size()))));
  return r.rows() == 1;
}

absl::StatusOr<Result> ReadChunkRows(Conn& conn, int64_t id, uint64_t from, uint64_t end) {
  return conn.Run(kChunks,
                  Params().Int(id).Int(static_cast<int64_t>(from)).Int(static_cast<int64_t>(end)));
}

absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> ReadChunkPage(Conn& conn, int64_t id,
                                                                            uint64_t from,
                                                                            uint64_t end) {
  BO_ASSIGN_OR_RETURN(Result r, ReadChunkRows(conn, id, from, end));
  std::vector<std::pair<uint64_t, std::string>> page;
  for (int i = 0; i < r.rows(); ++i)
    page.emplace_back(static_cast<uint64_t>(r.Int64(i, 0)), std::string(r.Bytes(i, 1)));
  return page;
}

absl::StatusOr<std::vector<UploadRow>> OpenUploadsPast(Conn& conn, absl::Time now) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kPast, Params().Int(Micros(now))));
  std::vector<UploadRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(UploadAt(r, i));
  return out;
}

absl::StatusOr<std::vector<UploadRow>> OpenUploadsOf(Conn& conn, const std::string& bidder) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kOpenOf, Params().Text(bidder)));
  std::vector<UploadRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(UploadAt(r, i));
  return out;
}

absl::StatusOr<UploadRow> LockUpload(Conn& conn, int64_t id) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kLock, Params().Int(id)));
  if (r.rows() == 0) return absl::NotFoundError(absl::StrCat("upload ", id, " not found"));
  return UploadAt(r, 0);
}

absl::Status MarkCommitted(Conn& conn, int64_t id) {
  return conn.Run(kSetState, Params().Int(id).Text(UploadStateName(UploadState::kCommitted)))
      .status();
}

absl::StatusOr<std::optional<BidRow>> NewestBid(Conn& conn, const std::string& tender_id, int lot,
                                                const std::string& bidder) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kNewest, Key(tender_id, lot, bidder)));
  if (r.rows() == 0) return std::nullopt;
  return BidAt(r, 0);
}

absl::Status InsertBid(Conn& conn, const std::string& tender_id, int lot, const std::string& bidder,
                       const BidRow& row) {
  return conn
      .Run(kInsertBid, Params()
                           .Int(static_cast<int64_t>(row.seq))
                           .Text(tender_id)
                           .Int(lot)
                           .Text(bidder)
                           .Int(row.upload_id)
                           .Bytes(row.ciphertext_sha256)
                           .Bytes(row.receipt))
      .status();
}

absl::Status SetWithdrawal(Conn& conn, uint64_t seq, const std::string& receipt) {
  return conn.Run(kSetWithdrawal, Params().Int(static_cast<int64_t>(seq)).Bytes(receipt)).status();
}

absl::StatusOr<std::vector<BidRow>> BidderBids(Conn& conn, const std::string& tender_id,
                                               const std::string& bidder) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kBidderBids, Params().Text(bidder).Text(tender_id)));
  std::vector<BidRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(BidAt(r, i));
  return out;
}

absl::StatusOr<std::optional<HeldBid>> FindBid(Conn& conn, uint64_t seq) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kBidAt, Params().Int(static_cast<int64_t>(seq))));
  if (r.rows() == 0) return std::nullopt;
  HeldBid held;
  held.row.seq = static_cast<uint64_t>(r.Int64(0, 0));
  held.row.upload_id = r.Int64(0, 1);
  held.row.ciphertext_sha256 = std::string(r.Bytes(0, 2));
  held.row.receipt = std::string(r.Bytes(0, 3));
  if (!r.IsNull(0, 4)) held.row.withdrawal = std::string(r.Bytes(0, 4));
  held.tender_id = std::string(r.Bytes(0, 5));
  held.lot = r.Int32(0, 6);
  held.bidder = std::string(r.Bytes(0, 7));
  return held;
}

absl::Status InsertRestoration(Conn& conn, uint64_t seq, int64_t upload_id, uint64_t restored_seq) {
  return conn
      .Run(kRestore, Params()
                         .Int(static_cast<int64_t>(seq))
                         .Int(upload_id)
                         .Int(static_cast<int64_t>(restored_seq)))
      .status();
}

}  // namespace bidopen::store
