// Key derivation and agreement: HKDF-SHA256, X25519 shared secrets, random bytes.
#ifndef BIDOPEN_CORE_CRYPTO_KDF_H_
#define BIDOPEN_CORE_CRYPTO_KDF_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bidopen::crypto {

// HKDF-SHA256 (RFC 5869) via EVP_KDF "HKDF".
// INVALID_ARGUMENT unless 1 <= length <= 255 * 32.
absl::StatusOr<std::string> HkdfSha256(absl::string_view ikm, absl::string_view salt,
                                       absl::string_view info, size_t length);

// X25519 shared secret (RFC 7748) from a raw 32-byte private key and a raw 32-byte peer
// public key. INVALID_ARGUMENT on bad sizes; DATA_LOSS if the result is all-zero (low-order
// point).
absl::StatusOr<std::string> X25519Shared(absl::string_view private_key,
                                         absl::string_view peer_public);

// Cryptographically random bytes (RAND_bytes). Aborts the process if the system's random
// generator fails: no caller can do anything safe without randomness.
std::string RandomBytes(size_t n);

}  // namespace bidopen::crypto

#endif  // BIDOPEN_CORE_CRYPTO_KDF_H_
