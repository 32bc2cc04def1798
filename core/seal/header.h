// The v2 sealed header: its bytes (deterministic protobuf), the strict checks
// a reader applies before trusting any field of it, and the checks against the
// lot it is submitted to.
#ifndef BIDOPEN_CORE_SEAL_HEADER_H_
#define BIDOPEN_CORE_SEAL_HEADER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/seal/context.h"

namespace bidopen::seal {

std::string EncodeHeader(const v1::SealedHeader& header);

// INVALID_ARGUMENT "sealed header: ..." if the bytes don't parse, carry an
// unknown field, are not the canonical (deterministic) encoding of what they
// parse to, or the header fails ValidateHeader.
absl::StatusOr<v1::SealedHeader> DecodeHeader(absl::string_view header_bytes);

// Structure only (no keys): known suite and policy, sizes of every byte field,
// chunk size in range, plaintext size within 2^32 chunks, values_size fits,
// recipients as the policy needs them: the bidder's key first (BIDDER, ANY,
// BOTH), then custodian shares with share_x = 1..n (QUORUM, ANY, BOTH) and
// 1 <= threshold <= n, commitments where the policy has them and nowhere else.
// INVALID_ARGUMENT naming the field otherwise.
absl::Status ValidateHeader(const v1::SealedHeader& header);

// Magic + length + header + plaintext_size + 16 bytes per chunk.
uint64_t ExpectedFileSize(size_t header_size, const v1::SealedHeader& header);

// Whether a (valid) header was sealed for this lot by this bidder: tender, lot
// number, bidder, the lot's policy (UNSPECIFIED = ANY), threshold, its
// custodians in order, and the values section's size for its form; every
// share must be wrapped to its custodian's key in `custodian_keys` (the lot's
// per-lot custodian keys, in the lot's order). FAILED_PRECONDITION naming the
// first difference, or naming the lot and both numbers if a QUORUM, ANY or
// BOTH lot does not have exactly one key per custodian (such a lot takes no
// bid: its shares could be wrapped to keys nobody holds).
absl::Status CheckHeaderForLot(const v1::SealedHeader& header, absl::string_view tender_id,
                               const v1::Lot& lot, absl::string_view bidder,
                               const std::vector<std::string>& custodian_keys);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_HEADER_H_
