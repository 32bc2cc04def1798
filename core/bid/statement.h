// The bidder's signed submission and withdrawal statements (design.md §5) and
// the commitment that stands for the bidder in the log until the opening.
#ifndef BIDOPEN_CORE_BID_STATEMENT_H_
#define BIDOPEN_CORE_BID_STATEMENT_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/bid.pb.h"

namespace bidopen::bid {

inline constexpr absl::string_view kSubmitPurpose = "bidopen/submit/v2";
inline constexpr absl::string_view kWithdrawPurpose = "bidopen/withdraw/v2";
inline constexpr size_t kClientNonceSize = 16;
// BidSubmitted/BidWithdrawn.statement_version of statements that act once.
inline constexpr uint32_t kStatementVersion = 2;

// The deterministic bytes a bidder signs.
std::string EncodeStatement(const v1::BidStatement& statement);

// Parses `bytes` (the request field `field`) and checks its purpose, the sizes
// of its hashes and nonce, and that a withdrawal names its bid:
// INVALID_ARGUMENT naming the field otherwise.
absl::StatusOr<v1::BidStatement> DecodeStatement(absl::string_view bytes, absl::string_view purpose,
                                                 absl::string_view field);

// FAILED_PRECONDITION unless the statement's bid_seq names `live` (the
// bidder's live bid in the lot, or none): a submission replaces exactly it, a
// withdrawal withdraws exactly it.
absl::Status CheckStatementNamesLiveBid(const v1::BidStatement& s, std::optional<uint64_t> live,
                                        absl::string_view field);

// PERMISSION_DENIED unless the statement names the caller as its bidder.
absl::Status CheckStatementBidder(const v1::BidStatement& s, absl::string_view caller,
                                  absl::string_view field);

// INVALID_ARGUMENT naming `field` unless `signature` is the caller's
// certificate key's signature over `bytes`.
absl::Status CheckStatementSignature(absl::string_view caller_cert_pem, absl::string_view bytes,
                                     absl::string_view signature, absl::string_view field);

// SHA-256("bidopen/bidder\0" ‖ fingerprint ‖ nonce): hides who bid until the
// nonce is revealed.
std::string BidderCommitment(absl::string_view fingerprint, absl::string_view nonce);
inline constexpr size_t kNonceSize = 16;

}  // namespace bidopen::bid

#endif  // BIDOPEN_CORE_BID_STATEMENT_H_
