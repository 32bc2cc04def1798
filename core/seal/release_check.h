// Opening side of the keys (docs/sealed-bid-format.md §5): what each party
// releases after T_open is checked against the header alone, and a typed
// verdict says whether the bid opens and, if not, whose fault it is.
//   - the bidder releases s (BIDDER, ANY) or s_b (BOTH), checked against its
//     commitment;
//   - each custodian releases its per-lot private key once for the whole lot;
//     its public half must be its published key (else the custodian's fault),
//     and then every share wrapped to it must open and match its share
//     commitment (else the bidder's fault);
//   - released shares must lie on one polynomial whose value at 0 matches the
//     commitment (else the bidder's fault), so any k of them give the same s.
// Under ANY a bid whose quorum path does not give the committed secret is
// invalid through the bidder's fault even if the bidder's own path works: no
// bidder gets an option, after the deadline, to have its bid not open.
// Nothing here checks time: callers do (design.md §5).
#ifndef BIDOPEN_CORE_SEAL_RELEASE_CHECK_H_
#define BIDOPEN_CORE_SEAL_RELEASE_CHECK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "core/crypto/secret.h"
#include "core/crypto/shamir.h"

namespace bidopen::seal {

// What the bidder's key unwraps: s under BIDDER and ANY, s_b under BOTH.
// FAILED_PRECONDITION under QUORUM (no bidder key); DATA_LOSS for a wrong key.
// REQUIRES: ValidateHeader(header) is OK (as after DecodeHeader).
absl::StatusOr<crypto::Secret> UnwrapBidderSecret(const v1::SealedHeader& header,
                                                  absl::string_view bidder_private);

// OK if what the bidder released matches secret_commitment (BIDDER, ANY) or
// bidder_part_commitment (BOTH); DATA_LOSS otherwise.
absl::Status CheckBidderSecret(const v1::SealedHeader& header, absl::string_view released);

// The share with this share_x, unwrapped with the custodian's private key and
// checked against its share commitment. DATA_LOSS naming the share.
absl::StatusOr<crypto::Share> UnwrapShare(const v1::SealedHeader& header, uint32_t share_x,
                                          absl::string_view custodian_private);

enum class Verdict { kOk, kBidderFault, kCustodianFault };

struct Judgement {
  Verdict verdict = Verdict::kOk;
  std::string message;    // what was checked and, if not OK, exactly what failed
  crypto::Secret secret;  // s when kOk
};

// A custodian's per-lot private key, released for the share it holds.
struct CustodianKeyRelease {
  uint32_t share_x = 0;
  std::string private_key;
};

struct Releases {
  std::optional<std::string> bidder_secret;  // s, or s_b under BOTH
  std::vector<CustodianKeyRelease> custodians;
};

// The verdict on one bid. `lot_keys` are the custodians' published per-lot
// public keys in share order (from the tender); empty means the header's own
// (only for callers that have no tender, e.g. tests of the format).
Judgement JudgeReleases(const v1::SealedHeader& header, const std::vector<std::string>& lot_keys,
                        const Releases& releases);

// The sealer's proof, on its own machine before it submits, that every path
// its policy has opens the file: with s and the ephemeral private keys kept at
// sealing it opens each record as its recipient would, and applies the checks
// JudgeReleases applies (commitments, one polynomial, s_b XOR s_q). DATA_LOSS
// naming the first record or check that fails.
absl::Status CheckAsSealer(const v1::SealedHeader& header, absl::string_view secret,
                           const std::vector<std::string>& ephemeral_keys);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_RELEASE_CHECK_H_
