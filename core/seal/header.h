// The sealed header: its bytes (deterministic protobuf), its hash (the
// associated data of every payload chunk) and the checks a reader applies
// before trusting any field of it.
#ifndef BIDOPEN_CORE_SEAL_HEADER_H_
#define BIDOPEN_CORE_SEAL_HEADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "bidopen/v1/tender.pb.h"

namespace bidopen::seal {

std::string EncodeHeader(const v1::SealedHeader& header);

// SHA-256 of the header bytes as they are in the file.
std::string HeaderHash(absl::string_view header_bytes);

// INVALID_ARGUMENT "sealed header: ..." if the bytes don't parse or the
// header fails ValidateHeader.
absl::StatusOr<v1::SealedHeader> DecodeHeader(absl::string_view header_bytes);

// Structure only (no keys): known suite and policy, sizes of every byte field,
// chunk size in range, and recipients as the policy needs them: the bidder's
// key first (BIDDER, ANY, BOTH), then custodian shares with share_x = 1..n
// (QUORUM, ANY, BOTH) and 1 <= threshold <= n. INVALID_ARGUMENT naming the
// field otherwise.
absl::Status ValidateHeader(const v1::SealedHeader& header);

// Whether a (valid) header was sealed for this lot by this bidder: tender, lot
// number, bidder, the lot's policy (UNSPECIFIED = ANY), threshold and its
// custodians in order. FAILED_PRECONDITION naming the first difference.
absl::Status CheckHeaderForLot(const v1::SealedHeader& header, absl::string_view tender_id,
                               const v1::Lot& lot, absl::string_view bidder);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_HEADER_H_
