// Opening side of the keys (docs/sealed-bid-format.md §5): what each party
// releases after T_open is checked against the header alone, and a typed
// verdict says whether the bid opens and, if not, whose fault it is.
//   - the bidder releases s (BIDDER, ANY) or s_b (BOTH), checked against its
//     commitment;
//   - each custodian releases its per-lot private key once for the whole lot;
//     its public half must be its published key (else the custodian's fault),
//     and then its share must open and match its share commitment (else the
//     share is bad: the bidder's defect, named in the verdict);
//   - from k good shares, the polynomial f: every share commitment in the
//     header, released or not, must be of f(x), and f(0) must match the
//     secret's commitment (else the bidder's fault). So the verdict does not
//     depend on which custodians released, only on how many good shares did.
// A bid is valid when its committed secret is recovered. If it is not and a
// released share was bad, the bidder's bad share made the difference: its
// fault; otherwise the custodians that withheld or released a wrong key are at
// fault. Under ANY a bidder's fault on the quorum path makes the bid invalid
// even if the bidder's own path works: no bidder gets an option, after the
// deadline, to have its bid not open. Every verdict names the custodians that
// did not release. Nothing here checks time: callers do (design.md §5).
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
// checked against its share commitment. DATA_LOSS naming the share if the
// record does not open with that key or does not match (a bad record: the
// bidder's); NOT_FOUND if the bid has no such share; other errors as they come.
absl::StatusOr<crypto::Share> UnwrapShare(const v1::SealedHeader& header, uint32_t share_x,
                                          absl::string_view custodian_private);

enum class Verdict { kOk, kBidderFault, kCustodianFault };

struct Judgement {
  Verdict verdict = Verdict::kOk;
  std::string message;    // what was checked and, if not OK, exactly what failed
  crypto::Secret secret;  // s when kOk
  // Named in every verdict on a bid with custodian shares, even one that opens
  // (share_x of each):
  std::vector<uint32_t> not_released;  // custodians that released no key for the lot
  std::vector<uint32_t> wrong_key;     // custodians that released another key than their own
  std::vector<uint32_t> bad_shares;    // released shares that did not open or match their
                                       // commitment: the bidder's defects
  std::vector<std::string> notes;      // each of these, and each release ignored, in words
};

// A custodian's per-lot private key, released for the share it holds.
// `fingerprint` is the releaser's, from the signed release event: a release
// whose fingerprint is not that of the share's recipient is ignored (and
// noted), so only the authenticated releaser can be blamed for a wrong key.
struct CustodianKeyRelease {
  uint32_t share_x = 0;
  std::string fingerprint;
  crypto::Secret private_key;
};

struct Releases {
  std::optional<crypto::Secret> bidder_secret;  // s, or s_b under BOTH
  std::vector<CustodianKeyRelease> custodians;
};

// The verdict on one bid. `lot_keys` are the custodians' published per-lot
// public keys in share order (from the tender). FAILED_PRECONDITION naming the
// lot if its policy has custodian shares and `lot_keys` are not one per share;
// any error of a check that is not a bad record (e.g. INTERNAL from OpenSSL) is
// returned, not turned into a verdict.
// REQUIRES: ValidateHeader(header) is OK.
absl::StatusOr<Judgement> JudgeReleases(const v1::SealedHeader& header,
                                        const std::vector<std::string>& lot_keys,
                                        const Releases& releases);

// JudgeReleases with the header's own share keys as the lot's: for tests of
// the format that have no tender. Never for an opening (a bidder could seal
// its shares to keys nobody holds).
absl::StatusOr<Judgement> JudgeReleasesForTesting(const v1::SealedHeader& header,
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
