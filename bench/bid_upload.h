// One bid upload over BidService.Upload as a bidder's client does it: start,
// the sealed file in chunks read from disk, then the signed commit.
#ifndef BIDOPEN_BENCH_BID_UPLOAD_H_
#define BIDOPEN_BENCH_BID_UPLOAD_H_

#include <grpcpp/support/status.h>

#include <string>

#include "bench/bench_util.h"
#include "bench/bid_client.h"
#include "bidopen/v1/bid.pb.h"

namespace bidopen::bench {

// The submission statement for a sealed file and the bidder's signature.
struct SignedStatement {
  std::string statement;
  std::string signature;
};
absl::StatusOr<SignedStatement> SignSubmission(const Identity& bidder, const v1::Tender& tender,
                                               const SealedFile& file);

struct UploadResult {
  grpc::Status status;
  v1::Receipt receipt;
  SteadyClock::time_point opened;       // before the call started
  SteadyClock::time_point written;      // the last chunk was written
  SteadyClock::time_point durable;      // --wait_durable: GetUploadOffset said all is stored
  SteadyClock::time_point commit_sent;  // before the commit message was written
  SteadyClock::time_point done;         // the receipt (or the error) arrived
  double commit_to_receipt_ms() const;
  double seconds() const;          // opened .. done
  double durable_wait_ms() const;  // written .. durable
};

// Uploads `file` for lot 1 of `tender_id` in chunks of `chunk` bytes. With
// `wait_durable` (a diagnostic, not what a client does), polls GetUploadOffset
// every 5 ms after the last chunk and sends the commit only once the server
// has stored every byte, so that commit-to-receipt is the commit alone.
UploadResult UploadBid(const Identity& bidder, const std::string& tender_id, const SealedFile& file,
                       const SignedStatement& signed_statement, size_t chunk,
                       bool wait_durable = false);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_BID_UPLOAD_H_
