// X25519 key pairs for key wrapping (RFC 7748), through OpenSSL EVP.
#ifndef BIDOPEN_CORE_CRYPTO_X25519_H_
#define BIDOPEN_CORE_CRYPTO_X25519_H_

#include <string>

#include "absl/status/statusor.h"

namespace bidopen::crypto {

inline constexpr size_t kX25519KeySize = 32;

struct X25519KeyPair {
  std::string private_key;  // 32 raw bytes
  std::string public_key;   // 32 raw bytes
};

absl::StatusOr<X25519KeyPair> GenerateX25519();

// The public key that belongs to a raw private key.
absl::StatusOr<std::string> X25519PublicFromPrivate(absl::string_view private_key);

}  // namespace bidopen::crypto

#endif  // BIDOPEN_CORE_CRYPTO_X25519_H_
