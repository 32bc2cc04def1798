// Sealing side of the keys (docs/sealed-bid-format.md §4): a fresh bid secret
// s per bid, the records the lot's opening policy asks for, and the header's
// commitments to s, its parts and every share:
//   BIDDER  s wrapped to the bidder
//   QUORUM  s split k-of-n (Shamir over GF(256)), share i wrapped to custodian i
//   ANY     both of the above, the same s
//   BOTH    s = s_b XOR s_q: s_b wrapped to the bidder, s_q split to custodians
// Randomness is drawn in this order (after the 16-byte bid id): s (32), s_b
// (32, BOTH only), the Shamir coefficients (one draw, (k-1)*32 bytes), then one
// 32-byte ephemeral private key per recipient in header order.
#ifndef BIDOPEN_CORE_SEAL_KEY_PLAN_H_
#define BIDOPEN_CORE_SEAL_KEY_PLAN_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/seal.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/crypto/secret.h"
#include "core/crypto/shamir.h"
#include "core/seal/format.h"

namespace bidopen::seal {

// The X25519 public keys a bid is sealed to. A custodian's key is its per-lot
// key for this lot (LotSpec.custodian_keys, signed by the custodian: lot_key.h).
struct SealRecipientKeys {
  std::string bidder_fingerprint;
  std::string bidder_public;
  std::vector<std::pair<std::string, std::string>> custodians;  // fingerprint, X25519 public
};

// The secrets of one bid. Wiped when destroyed.
struct BidSecrets {
  crypto::Secret secret;       // s
  crypto::Secret bidder_part;  // what is wrapped to the bidder: s, or s_b under BOTH
  crypto::Secret quorum_part;  // what is split: s, or s_q under BOTH
  std::vector<crypto::Share> shares;
  ~BidSecrets();
};

bool UsesBidderKey(v1::OpeningPolicy p);
bool UsesShares(v1::OpeningPolicy p);

// The custodians' public keys in the order of the lot's `custodians`.
// FAILED_PRECONDITION naming a custodian of the lot that has no key in `keys`.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> CustodiansInLotOrder(
    const v1::LotSpec& spec, const SealRecipientKeys& keys);

// Adds the recipient records (kind, share_x, fingerprint, public key) the
// policy needs, bidder first. REQUIRES: `keys.custodians` in the lot's order.
void AddRecipients(const SealRecipientKeys& keys, v1::SealedHeader* header);

// Draws s (and s_b) and splits the quorum part into header.recipients' shares.
absl::StatusOr<BidSecrets> DrawSecrets(const v1::SealedHeader& header, RandomSource& random);

// Completes `header` from `secrets`: ephemeral keys, the commitments (secret,
// parts, shares, values with r_v) and every wrapped secret. If `ephemerals` is
// given it receives the ephemeral private keys, in recipient order (what lets
// the sealer check its own file, CheckAsSealer).
// REQUIRES: every field that ContextHash covers is final.
absl::Status SealKeys(const BidSecrets& secrets, absl::string_view values_encoding,
                      RandomSource& random, v1::SealedHeader* header,
                      std::vector<crypto::Secret>* ephemerals = nullptr);

// a XOR b. REQUIRES: equal sizes.
std::string Xor(absl::string_view a, absl::string_view b);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_KEY_PLAN_H_
