// Per-lot custodian keys signed by their custodian (docs/sealed-bid-format.md
// §5.3): a custodian signs each one-time X25519 key it registers with its
// certificate key, and a bidder checks every key of its lot — signature,
// certificate issued by the CA, role custodian, fingerprint as the lot names
// it — before it wraps a share to it. The operator, which serves the keys,
// cannot mint keys in a custodian's name.
#ifndef BIDOPEN_CORE_SEAL_LOT_KEY_H_
#define BIDOPEN_CORE_SEAL_LOT_KEY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/tender.pb.h"

namespace bidopen::seal {

inline constexpr absl::string_view kLotKeyLabel = "bidopen/v2/lot-key";

// LP("bidopen/v2/lot-key") || LP(fingerprint) || LP(public_key): what the
// custodian `fingerprint` (hex, as in its Party) signs for each per-lot key.
std::string LotKeySigningInput(absl::string_view fingerprint, absl::string_view public_key);

// OK if `public_key` is a usable X25519 key: 32 bytes, canonical (u < 2^255 -
// 19), on the curve and not its twist (so a private key for it exists) and
// not of low order (its product with a fixed scalar is not zero).
// INVALID_ARGUMENT naming `field` otherwise.
absl::Status CheckLotPublicKey(absl::string_view field, absl::string_view public_key);

// OK if `signature` is by `certificate_pem`'s key over LotKeySigningInput
// (fingerprint, public_key); DATA_LOSS otherwise. Does not check the issuer.
absl::Status VerifyLotKeySignature(absl::string_view certificate_pem, absl::string_view fingerprint,
                                   absl::string_view public_key, absl::string_view signature);

// What a bidder checks before sealing shares to `spec`'s custodian keys: one
// key, signature and certificate per custodian; each certificate issued by
// `ca_pem`, a custodian's, with custodians[i]'s fingerprint; each signature
// valid; no key twice. FAILED_PRECONDITION naming the custodian otherwise.
absl::Status CheckLotKeysSigned(const v1::LotSpec& spec, absl::string_view ca_pem);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_LOT_KEY_H_
