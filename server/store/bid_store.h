// SQL for sealed bids: uploads in progress, their chunks, committed bids.
#ifndef BIDOPEN_SERVER_STORE_BID_STORE_H_
#define BIDOPEN_SERVER_STORE_BID_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/pg.h"

namespace bidopen::store {

// What became of an upload; stored as text (bid_uploads.state), converted in
// one place (bid_store.cc).
enum class UploadState {
  kOpen,       // taking chunks
  kCommitted,  // a bid
  kDiscarded,  // partial at the deadline
  kAbandoned,  // replaced by an upload of another file, or not a bid for the lot
};
absl::string_view UploadStateName(UploadState state);

struct UploadRow {
  int64_t id = 0;
  std::string tender_id;
  int lot = 0;
  std::string bidder;
  uint64_t size = 0;
  std::string ciphertext_sha256;
  uint64_t received = 0;
  std::string header_sha256;  // empty until the header was checked
  UploadState state = UploadState::kOpen;
  absl::Time deadline;
};

// The bidder's newest upload for the lot, in any state.
absl::StatusOr<std::optional<UploadRow>> LatestUpload(Conn& conn, const std::string& tender_id,
                                                      int lot, const std::string& bidder);
// Abandons the bidder's open upload for the lot (if any) and starts `row`;
// returns its id. One transaction.
absl::StatusOr<int64_t> StartUpload(Conn& conn, const UploadRow& row);
// If the upload is still open: marks it `state` (discarded, abandoned) and
// deletes its chunks; returns whether it was. Waits for a commit holding the row.
absl::StatusOr<bool> DropUpload(Conn& conn, int64_t id, UploadState state);
absl::Status SetUploadDeadline(Conn& conn, int64_t id, absl::Time deadline);
absl::Status SetHeaderHash(Conn& conn, int64_t id, const std::string& hash);

// Stores `data` at `pos` and moves the durable offset past it, in one
// statement; false (nothing written) unless the upload is open and its
// durable offset is `pos`.
absl::StatusOr<bool> AppendChunk(Conn& conn, int64_t id, uint64_t pos, absl::string_view data);

// The stored chunks of [from, end) in order, at most 16 of them (a page):
// (position, bytes). Empty when none is stored from `from` on.
absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> ReadChunkPage(Conn& conn, int64_t id,
                                                                            uint64_t from,
                                                                            uint64_t end);

// The same page as rows of (pos int8, data bytea), read in place by callers
// that must not copy every chunk (StoredFileBuf).
absl::StatusOr<Result> ReadChunkRows(Conn& conn, int64_t id, uint64_t from, uint64_t end);

// Open uploads whose recorded deadline is before `now`.
absl::StatusOr<std::vector<UploadRow>> OpenUploadsPast(Conn& conn, absl::Time now);

// The bidder's open uploads, all tenders and lots.
absl::StatusOr<std::vector<UploadRow>> OpenUploadsOf(Conn& conn, const std::string& bidder);

// Inside the commit transaction: locks the upload row and returns it.
absl::StatusOr<UploadRow> LockUpload(Conn& conn, int64_t id);
absl::Status MarkCommitted(Conn& conn, int64_t id);

// Who holds a bid, and its receipts: what the log must not show before the
// opening. Whether the bid is live is the fold's (bid_states), not this row's.
struct BidRow {
  uint64_t seq = 0;
  int64_t upload_id = 0;
  std::string ciphertext_sha256;
  std::string receipt;     // serialized v1::Receipt
  std::string withdrawal;  // and of its withdrawal; empty if none
};

// The bidder's newest bid in the lot, whatever became of it.
absl::StatusOr<std::optional<BidRow>> NewestBid(Conn& conn, const std::string& tender_id, int lot,
                                                const std::string& bidder);
absl::Status InsertBid(Conn& conn, const std::string& tender_id, int lot, const std::string& bidder,
                       const BidRow& row);
absl::Status SetWithdrawal(Conn& conn, uint64_t seq, const std::string& receipt);
// The bid whose BidSubmitted has this seq, with who holds it; nullopt if none.
struct HeldBid {
  BidRow row;
  std::string tender_id;
  int lot = 0;
  std::string bidder;
};
absl::StatusOr<std::optional<HeldBid>> FindBid(Conn& conn, uint64_t seq);
// Review 4 R5: upload `upload_id` (committed, its SHA-256 the signed one) is
// bid `seq`'s stored file from now on, put back by its bidder with the
// BidFileRestored event `restored_seq` (in the same commit). FindBid answers
// it; the altered upload stays.
absl::Status InsertRestoration(Conn& conn, uint64_t seq, int64_t upload_id, uint64_t restored_seq);
// The bidder's bids in a tender, in log order.
absl::StatusOr<std::vector<BidRow>> BidderBids(Conn& conn, const std::string& tender_id,
                                               const std::string& bidder);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_BID_STORE_H_
