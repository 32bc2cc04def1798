#include "core/bid/header_scan.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "core/seal/format.h"
#include "core/seal/header.h"
#include "core/seal/stream_reader.h"
#include "core/status_macros.h"

namespace bidopen::bid {
namespace {

constexpr size_t kLengthEnd = seal::kMagic.size() + 4;

}  // namespace

absl::Status HeaderScan::Feed(absl::string_view bytes) {
  if (done_) return absl::OkStatus();
  if (!length_known_) need_ = kLengthEnd;
  while (!done_ && !bytes.empty()) {
    const size_t take = std::min(bytes.size(), need_ - prefix_.size());
    prefix_.append(bytes.data(), take);
    bytes.remove_prefix(take);
    if (prefix_.size() < need_) return absl::OkStatus();
    if (!length_known_) {
      length_known_ = true;
      // An impossible length is refused by the reader below.
      const uint32_t length = seal::ReadU32(absl::string_view(prefix_).substr(seal::kMagic.size()));
      need_ = kLengthEnd + std::min<uint32_t>(length, seal::kMaxHeaderSize);
      if (length == 0 || length > seal::kMaxHeaderSize) return Check();
      continue;
    }
    return Check();
  }
  return absl::OkStatus();
}

absl::Status HeaderScan::Check() {
  std::istringstream in(prefix_);
  BO_ASSIGN_OR_RETURN(seal::SealReader reader, seal::SealReader::Open(in));
  // Shares must be wrapped to the lot's per-lot custodian keys; a QUORUM, ANY
  // or BOTH lot without one per custodian takes no bid.
  const std::vector<std::string> lot_keys(lot_.spec().custodian_keys().begin(),
                                          lot_.spec().custodian_keys().end());
  BO_RETURN_IF_ERROR(seal::CheckHeaderForLot(reader.header(), tender_id_, lot_, bidder_, lot_keys));
  if (file_size_ != 0 && file_size_ != reader.file_size())
    return absl::InvalidArgumentError(absl::StrCat(
        "sealed bid: size: the file is ", file_size_, " bytes but its header (plaintext_size ",
        reader.header().plaintext_size(), ", chunk_size ", reader.header().chunk_size(),
        ") makes it ", reader.file_size(),
        " bytes: the file was truncated or extended after sealing; seal the bid again"));
  header_hash_ = reader.header_hash();
  done_ = true;
  prefix_.clear();
  prefix_.shrink_to_fit();
  return absl::OkStatus();
}

}  // namespace bidopen::bid
