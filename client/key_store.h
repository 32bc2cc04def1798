// The user's X25519 private key for unwrapping bid keys, kept under the
// config directory: keys/<certificate fingerprint>.x25519 (hex, mode 0600).
#ifndef BIDOPEN_CLIENT_KEY_STORE_H_
#define BIDOPEN_CLIENT_KEY_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/crypto/x25519.h"

namespace bidopen::client {

std::string KeyPath(const std::string& fingerprint);

// The stored key pair; NOT_FOUND if there is none.
absl::StatusOr<crypto::X25519KeyPair> LoadKey(const std::string& fingerprint);

// Generates a new key pair and stores it beside the current one, in
// KeyPath(fingerprint) + ".pending": the current key stays in place until the
// server has registered the new one (AdoptPendingKey); DiscardPendingKey
// removes it when the server refused it (a rate limit, a dropped connection),
// so a refused rotation never leaves the bidder without the registered key.
absl::StatusOr<crypto::X25519KeyPair> CreatePendingKey(const std::string& fingerprint);
absl::Status AdoptPendingKey(const std::string& fingerprint);
void DiscardPendingKey(const std::string& fingerprint);

// A custodian's one-time per-lot keys: keys/<fingerprint>.lot/<public hex>.x25519.
std::string LotKeyPath(const std::string& fingerprint, const std::string& public_key);
// Generates and stores `n` new per-lot key pairs; returns their public keys.
absl::StatusOr<std::vector<std::string>> CreateLotKeys(const std::string& fingerprint, int n);
// The stored per-lot key pair whose public key is `public_key`; NOT_FOUND if none.
absl::StatusOr<crypto::X25519KeyPair> LoadLotKey(const std::string& fingerprint,
                                                 const std::string& public_key);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_KEY_STORE_H_
