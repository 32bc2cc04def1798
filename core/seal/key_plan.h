// Sealing side of the keys: a fresh data key K per bid, and the recipient
// records the lot's opening policy asks for (design.md §4):
//   BIDDER  K wrapped to the bidder
//   QUORUM  K split k-of-n (Shamir over GF(256)), share i wrapped to custodian i
//   ANY     both of the above (either opens)
//   BOTH    K = K_b XOR K_q: K_b wrapped to the bidder, K_q split to custodians
// Randomness is drawn in this order: K (32), K_b (32, BOTH only), the Shamir
// coefficients (one call, (k-1)*32 bytes), then one 32-byte ephemeral private
// key per recipient in header order (bidder first, then custodians 1..n).
#ifndef BIDOPEN_CORE_SEAL_KEY_PLAN_H_
#define BIDOPEN_CORE_SEAL_KEY_PLAN_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/seal.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/seal/format.h"
#include "core/seal/key_wrap.h"

namespace bidopen::seal {

// The registered X25519 public keys a bid is sealed to.
struct SealRecipientKeys {
  std::string bidder_fingerprint;
  std::string bidder_public;
  std::vector<std::pair<std::string, std::string>> custodians;  // fingerprint, X25519 public
};

struct KeyPlan {
  std::string data_key;  // K, 32 bytes
  std::vector<v1::Recipient> recipients;
};

// The custodians' public keys in the order of the lot's `custodians`.
// FAILED_PRECONDITION naming a custodian of the lot that has no key in `keys`.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> CustodiansInLotOrder(
    const v1::LotSpec& spec, const SealRecipientKeys& keys);

// REQUIRES: policy is not UNSPECIFIED; for QUORUM/ANY/BOTH 1 <= threshold <=
// custodians.size(); `keys.custodians` in the lot's order.
absl::StatusOr<KeyPlan> MakeKeyPlan(v1::OpeningPolicy policy, int threshold, const WrapContext& ctx,
                                    const SealRecipientKeys& keys, const RandomFn& random);

// a XOR b. REQUIRES: equal sizes.
std::string Xor(absl::string_view a, absl::string_view b);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_KEY_PLAN_H_
