// Checks the sealed header at the front of an upload as its bytes arrive, so
// a file for another lot or bidder is refused at its first chunk, not after
// a gigabyte.
#ifndef BIDOPEN_CORE_BID_HEADER_SCAN_H_
#define BIDOPEN_CORE_BID_HEADER_SCAN_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/tender.pb.h"

namespace bidopen::bid {

class HeaderScan {
 public:
  // `file_size` is the size the upload declares (0: not checked).
  HeaderScan(std::string tender_id, v1::Lot lot, std::string bidder, uint64_t file_size = 0)
      : tender_id_(std::move(tender_id)),
        lot_(std::move(lot)),
        bidder_(std::move(bidder)),
        file_size_(file_size) {}

  // Feeds the next bytes of the file. Once the whole header is in, parses it
  // and checks it was sealed for this lot by this bidder (CheckHeaderForLot with
  // the lot's custodian_keys): INVALID_ARGUMENT if the file is not a sealed bid
  // or its declared size is not the length its header commits to (a truncated
  // or extended file), FAILED_PRECONDITION naming the first difference from
  // the lot, or the lot if it has custodian shares but not one key per
  // custodian. Later bytes are ignored.
  absl::Status Feed(absl::string_view bytes);

  bool done() const { return done_; }
  // HeaderHash of the header bytes (core/seal/context.h): the labelled hash
  // SHA-256(LP("bidopen/v2/header") || LP(header bytes)), not a plain SHA-256
  // of them; what the statement's header_sha256 field carries. REQUIRES: done().
  const std::string& header_hash() const { return header_hash_; }

 private:
  absl::Status Check();

  std::string tender_id_;
  v1::Lot lot_;
  std::string bidder_;
  uint64_t file_size_;
  std::string prefix_;
  size_t need_ = 0;
  bool length_known_ = false;
  bool done_ = false;
  std::string header_hash_;
};

}  // namespace bidopen::bid

#endif  // BIDOPEN_CORE_BID_HEADER_SCAN_H_
