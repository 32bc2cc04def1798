// When a lot takes bids, and the limits on what a bidder uploads.
#ifndef BIDOPEN_CORE_BID_BID_RULES_H_
#define BIDOPEN_CORE_BID_BID_RULES_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bidopen/fold/state.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/opening/state.h"

namespace bidopen::bid {

inline constexpr uint64_t kMaxChunk = 1024 * 1024;             // bytes per UploadChunk
inline constexpr uint64_t kDefaultMaxBid = uint64_t{4} << 30;  // --max-bid-size

// The lot, if it takes bids at `now`: it exists (NOT_FOUND), neither it nor
// the tender is cancelled, and `now` is before its submission deadline
// (FAILED_PRECONDITION saying by how much it is late). `doing` ends the
// message: "bids are not accepted", "a bid can no longer be withdrawn".
absl::StatusOr<const fold::Lot*> LotTakingBids(const fold::Tender& tender, int lot, absl::Time now,
                                               absl::string_view doing);

// The bidder's live bid in the lot, given the seq of its newest earlier bid
// there (none: nullopt), or nullptr. REQUIRES: state.bids holds `newest`.
const fold::Bid* LiveBidOf(const TenderState& state, std::optional<uint64_t> newest);

// ALREADY_EXISTS naming `field` if the statement with this SHA-256 was used by
// an earlier event. REQUIRES: state.statements holds it if it was.
absl::Status CheckStatementUnused(const TenderState& state, const std::string& statement_sha256,
                                  absl::string_view field);

}  // namespace bidopen::bid

#endif  // BIDOPEN_CORE_BID_BID_RULES_H_
