// Wrapping a 32-byte secret (the data key, K_b, or one Shamir share) to one
// recipient's X25519 public key, and unwrapping it with the private key:
//   e = ephemeral X25519 pair; shared = X25519(e_priv, recipient_pub)
//   wrap_key = HKDF-SHA256(shared, salt = e_pub || recipient_pub,
//                          info = "bidopen/seal/v1/wrap", 32)
//   wrapped  = AES-256-GCM(wrap_key, nonce = 12 zero bytes, ad = WrapAd(...), secret)
// Each wrap_key is used once, so the fixed nonce is safe.
#ifndef BIDOPEN_CORE_SEAL_KEY_WRAP_H_
#define BIDOPEN_CORE_SEAL_KEY_WRAP_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "core/seal/format.h"

namespace bidopen::seal {

// The bid a wrapped secret belongs to; bound into the associated data.
struct WrapContext {
  std::string tender_id;
  int32_t lot = 0;
};

// "bidopen/seal/v1/wrap" 0x00 tender_id 0x00 lot-as-decimal 0x00 fingerprint.
std::string WrapAd(const WrapContext& ctx, absl::string_view fingerprint);

// The recipient record for `secret`, wrapped to `recipient_public`. Draws the
// 32-byte ephemeral private key from `random`. INVALID_ARGUMENT on a public
// key that is not 32 bytes.
absl::StatusOr<v1::Recipient> WrapSecret(const WrapContext& ctx, v1::RecipientKind kind,
                                         uint32_t share_x, absl::string_view fingerprint,
                                         absl::string_view recipient_public,
                                         absl::string_view secret, const RandomFn& random);

// The secret in `recipient`, with the recipient's X25519 private key.
// DATA_LOSS naming the recipient if the key (or the record) does not match.
absl::StatusOr<std::string> UnwrapSecret(const WrapContext& ctx, const v1::Recipient& recipient,
                                         absl::string_view private_key);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_KEY_WRAP_H_
