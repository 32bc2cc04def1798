// The STREAM construction over AES-256-GCM (as in age and Tink's streaming
// AEAD): chunk i of the payload is sealed with
//   key   = HKDF-SHA256(K, salt = nonce_prefix, info = "bidopen/seal/v1/payload", 32)
//   nonce = nonce_prefix (7) || uint32 BE i || 0x01 if last else 0x00
//   ad    = SHA-256(header bytes)
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

namespace bidopen::seal {

// HKDF of the data key into the payload key. INVALID_ARGUMENT unless the data
// key is 32 bytes.
absl::StatusOr<std::string> PayloadKey(absl::string_view data_key, absl::string_view nonce_prefix);

std::string ChunkNonce(absl::string_view nonce_prefix, uint32_t index, bool last);

class ChunkCipher {
 public:
  // REQUIRES: 32-byte payload key, 7-byte nonce prefix.
  ChunkCipher(std::string payload_key, std::string nonce_prefix, std::string header_hash);

  // Writes the sealed chunk (piece + 16-byte tag) to `dst`, which has room
  // for piece.size() + 16 bytes. The key schedule is made once, at the first call.
  absl::Status SealInto(uint32_t index, bool last, absl::string_view piece, char* dst);

  // Appends the plaintext of a sealed chunk to `*out`; DATA_LOSS naming the
  // chunk if it does not authenticate at this index with this flag.
  absl::Status Open(uint32_t index, bool last, absl::string_view sealed, std::string* out) const;

 private:
  std::string key_;
  std::optional<crypto::AesGcmSealer> sealer_;  // made at the first SealInto
  std::string nonce_prefix_;
  std::string ad_;
};

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_CHUNK_CIPHER_H_
