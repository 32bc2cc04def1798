// Wrapping a 32-byte secret (the bid secret s, s_b, or one Shamir share) to one
// recipient's X25519 public key R, and unwrapping it with the private key:
//   e = fresh ephemeral X25519 pair; shared = X25519(e_priv, R)
//   ad       = WrapAd(ctx, recipient)
//   wrap_key = HKDF-SHA256(shared, salt = e_pub || R, info = ad, 32)
//   wrapped  = AES-256-GCM(wrap_key, nonce = 12 zero bytes, ad, secret)
// Each wrap_key is used once, so the fixed nonce is safe.
#ifndef BIDOPEN_CORE_SEAL_KEY_WRAP_H_
#define BIDOPEN_CORE_SEAL_KEY_WRAP_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "core/crypto/secret.h"

namespace bidopen::seal {

// The bid a wrapped secret belongs to: ContextHash and UnwrappedHeaderHash of
// its header (context.h).
struct WrapContext {
  std::string ctx_hash;
  std::string unwrapped_hash;
};

WrapContext WrapContextOf(const v1::SealedHeader& header);

// LP("bidopen/v2/wrap") || LP(ctx_hash) || LP(unwrapped_hash) || LP(kind u32)
// || LP(share_x u32) || LP(fingerprint) || LP(public_key).
std::string WrapAd(const WrapContext& ctx, const v1::Recipient& recipient);

// Sets recipient->wrapped to `secret` wrapped to recipient->public_key with
// the ephemeral private key whose public half is recipient->ephemeral_public.
absl::Status WrapSecret(const WrapContext& ctx, absl::string_view ephemeral_private,
                        absl::string_view secret, v1::Recipient* recipient);

// The secret in `recipient`, with the recipient's X25519 private key.
// DATA_LOSS naming the recipient if the key (or the record) does not match.
absl::StatusOr<crypto::Secret> UnwrapSecret(const WrapContext& ctx, const v1::Recipient& recipient,
                                            absl::string_view private_key);

// The same secret, opened as its sealer can: with the ephemeral private key
// (X25519(e_priv, public_key) is the recipient's shared secret). DATA_LOSS if
// the record would not open for its recipient.
absl::StatusOr<crypto::Secret> UnwrapAsSealer(const WrapContext& ctx,
                                              const v1::Recipient& recipient,
                                              absl::string_view ephemeral_private);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_KEY_WRAP_H_
