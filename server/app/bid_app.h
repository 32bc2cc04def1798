// Sealed-bid submission: resumable uploads, commits before the deadline with
// signed receipts, withdrawals, and the bidder's own list (docs/protocol.md).
#ifndef BIDOPEN_SERVER_APP_BID_APP_H_
#define BIDOPEN_SERVER_APP_BID_APP_H_

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "bidopen/v1/bid.pb.h"
#include "core/bid/receipt.h"
#include "server/app/upload.h"
#include "server/audit/head_signer.h"
#include "server/store/event_log.h"
#include "server/store/pool.h"

namespace bidopen::app {

// The caller of a bid RPC: its party and the certificate it signs with.
struct Bidder {
  v1::Party party;
  std::string cert_pem;
};

// What one bidder may upload (--max-bid-size, --partial-upload-quota).
struct UploadLimits {
  uint64_t max_bid = 0;        // bytes of one sealed file
  uint64_t partial_quota = 0;  // declared bytes of the bidder's open uploads, all lots
  absl::Duration idle_timeout = absl::Seconds(60);  // a silent stream is cancelled after
};

class BidApp {
 public:
  BidApp(store::Pool& pool, store::EventLog& log, const audit::HeadSigner& signer,
         UploadLimits limits)
      : pool_(pool),
        log_(log),
        signer_(signer),
        max_bid_(limits.max_bid),
        partial_quota_(limits.partial_quota),
        idle_timeout_(limits.idle_timeout) {}

  // Starts or resumes the bidder's upload of the file `start` describes.
  // ABORTED while another stream of the same bidder uploads to the lot;
  // RESOURCE_EXHAUSTED if a new upload would exceed the partial quota.
  absl::StatusOr<std::unique_ptr<Upload>> Begin(const Bidder& bidder, const v1::UploadStart& start);
  // Stores one chunk durably; the offset must be the durable offset. The
  // same in three steps, for a caller that overlaps them (ChunkWriter):
  // CheckChunk; StoreChunk (the database only: it may run on another thread
  // while upload.Absorb hashes and scans the same bytes); AfterChunk once it
  // returned OK (moves the offset, acts on the header check).
  absl::Status Chunk(Upload& upload, const v1::UploadChunk& chunk);
  absl::Status CheckChunk(const Upload& upload, const v1::UploadChunk& chunk) const;
  absl::Status StoreChunk(const store::UploadRow& row, absl::string_view data);
  absl::Status AfterChunk(Upload& upload, uint64_t size, const absl::Status& absorbed);
  // Checks the complete upload and the signed statement, appends the bid's
  // event before the deadline and returns the signed receipt.
  absl::StatusOr<v1::Receipt> Commit(Upload& upload, const v1::UploadCommit& commit);

  absl::StatusOr<v1::UploadOffset> Offset(const Bidder& bidder, const v1::UploadStart& start);
  absl::StatusOr<v1::Receipt> Withdraw(const Bidder& bidder, const v1::WithdrawRequest& req);
  absl::StatusOr<v1::ListMyBidsResponse> List(const Bidder& bidder,
                                              const v1::ListMyBidsRequest& req);

  // Discards uploads still partial kDiscardGrace after their lot's deadline
  // (so a commit that started before the deadline is never raced); returns
  // how many. A bidder who calls again after the deadline is told at once.
  absl::StatusOr<int> DiscardLate();
  static constexpr absl::Duration kDiscardGrace = absl::Seconds(30);

 private:
  // Takes the bidder's slot for the lot (ABORTED if taken); returns its release.
  absl::StatusOr<std::function<void()>> Claim(const v1::UploadStart& s, const std::string& bidder);
  void Release(const std::string& key);
  absl::Status Rehash(Upload& up);
  absl::Status CheckQuota(store::Conn& conn, const v1::UploadStart& s, const std::string& bidder);
  absl::StatusOr<bool> DiscardIfLate(store::Conn& conn, const store::UploadRow& row,
                                     absl::Time now);
  absl::StatusOr<v1::Receipt> SignReceipt(const bid::ReceiptInput& in,
                                          const v1::Event& event) const;

  store::Pool& pool_;
  store::EventLog& log_;
  const audit::HeadSigner& signer_;
  const uint64_t max_bid_;
  const uint64_t partial_quota_;
  const absl::Duration idle_timeout_;
  absl::Mutex mu_;
  std::set<std::string> active_ ABSL_GUARDED_BY(mu_);  // tender/lot/bidder
};

}  // namespace bidopen::app

#endif  // BIDOPEN_SERVER_APP_BID_APP_H_
