// The user's X25519 private key for unwrapping bid keys, kept under the
// config directory: keys/<certificate fingerprint>.x25519 (hex, mode 0600).
#ifndef BIDOPEN_CLIENT_KEY_STORE_H_
#define BIDOPEN_CLIENT_KEY_STORE_H_

#include <string>

#include "absl/status/statusor.h"
#include "core/crypto/x25519.h"

namespace bidopen::client {

std::string KeyPath(const std::string& fingerprint);

// The stored key pair; NOT_FOUND if there is none.
absl::StatusOr<crypto::X25519KeyPair> LoadKey(const std::string& fingerprint);

// Generates and stores a new key pair (replacing any previous file).
absl::StatusOr<crypto::X25519KeyPair> CreateKey(const std::string& fingerprint);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_KEY_STORE_H_
