// The STREAM construction over AES-256-GCM (as in age and Tink's streaming
// AEAD): chunk i of the payload is sealed with
//   key   = K = HKDF-SHA256(s, info = LP("bidopen/v2/payload") || LP(ctx_hash), 32)
//   nonce = 7 zero bytes || uint32 BE i || 0x01 if last else 0x00
//   ad    = HeaderHash(header bytes)
// K is fresh for every bid (s is), so the nonce prefix needs no randomness.
// so a chunk opens only at its own position, under its own header, and only
// the real final chunk opens as final.
#ifndef BIDOPEN_CORE_SEAL_CHUNK_CIPHER_H_
#define BIDOPEN_CORE_SEAL_CHUNK_CIPHER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/crypto/aead.h"
#include "core/crypto/secret.h"

namespace bidopen::seal {

// The payload key K from the bid secret s. INVALID_ARGUMENT unless s is 32 bytes.
absl::StatusOr<crypto::Secret> PayloadKey(absl::string_view secret, absl::string_view ctx_hash);

// Seven zero bytes.
const std::string& NoncePrefix();

std::string ChunkNonce(absl::string_view nonce_prefix, uint32_t index, bool last);

class ChunkCipher {
 public:
  // REQUIRES: 32-byte payload key, 7-byte nonce prefix.
  ChunkCipher(crypto::Secret payload_key, std::string nonce_prefix, std::string header_hash);

  // Writes the sealed chunk (piece + 16-byte tag) to `dst`, which has room
  // for piece.size() + 16 bytes. The key schedule is made once, at the first call.
  absl::Status SealInto(uint32_t index, bool last, absl::string_view piece, char* dst);

  // Appends the plaintext of a sealed chunk to `*out`; DATA_LOSS naming the
  // chunk if it does not authenticate at this index with this flag.
  absl::Status Open(uint32_t index, bool last, absl::string_view sealed, std::string* out) const;

 private:
  crypto::Secret key_;
  std::optional<crypto::AesGcmSealer> sealer_;  // made at the first SealInto
  std::string nonce_prefix_;
  std::string ad_;
};

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_CHUNK_CIPHER_H_
