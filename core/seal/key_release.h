// Opening side of the keys: each party unwraps what was wrapped to it (after
// T_open), and the data key is rebuilt from what was released, per the
// header's policy. Nothing here checks time: callers do (design.md §5).
#ifndef BIDOPEN_CORE_SEAL_KEY_RELEASE_H_
#define BIDOPEN_CORE_SEAL_KEY_RELEASE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "core/crypto/shamir.h"

namespace bidopen::seal {

// The bidder's secret: the data key under BIDDER and ANY, K_b under BOTH.
// FAILED_PRECONDITION under QUORUM (no bidder key); DATA_LOSS for a wrong key.
// REQUIRES: ValidateHeader(header) is OK (as after DecodeHeader).
absl::StatusOr<std::string> UnwrapBidderSecret(const v1::SealedHeader& header,
                                               absl::string_view bidder_private);

// The share wrapped to the custodian with this certificate fingerprint.
// NOT_FOUND if the bid has no share for it; DATA_LOSS for a wrong key.
absl::StatusOr<crypto::Share> UnwrapCustodianShare(const v1::SealedHeader& header,
                                                   absl::string_view custodian_fingerprint,
                                                   absl::string_view custodian_private);

// What has been released for one bid so far.
struct ReleasedKeys {
  std::optional<std::string> bidder_secret;
  std::vector<crypto::Share> shares;  // the first `threshold` of them are used
};

// The 32-byte data key, per policy: BIDDER needs the bidder's secret; QUORUM k
// shares; ANY either (the bidder's secret first); BOTH both, XORed.
// FAILED_PRECONDITION saying what is still missing; INVALID_ARGUMENT for a
// share that is not one of this bid's (x outside 1..n, wrong length, repeated).
// A wrong secret or share gives a wrong key, which the first chunk detects.
absl::StatusOr<std::string> DataKeyFrom(const v1::SealedHeader& header,
                                        const ReleasedKeys& released);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_KEY_RELEASE_H_
