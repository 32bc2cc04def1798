#include "core/seal/chunk_cipher.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/aead.h"
#include "core/crypto/kdf.h"
#include "core/seal/format.h"
#include "core/status_macros.h"

namespace bidopen::seal {

absl::StatusOr<std::string> PayloadKey(absl::string_view data_key, absl::string_view nonce_prefix) {
  if (data_key.size() != kDataKeySize)
    return absl::InvalidArgumentError(
        absl::StrCat("data key: ", data_key.size(), " bytes; must be ", kDataKeySize));
  return crypto::HkdfSha256(data_key, nonce_prefix, kPayloadLabel, crypto::kAesKeySize);
}

std::string ChunkNonce(absl::string_view nonce_prefix, uint32_t index, bool last) {
  std::string nonce(nonce_prefix);
  AppendU32(&nonce, index);
  nonce.push_back(last ? '\x01' : '\x00');
  return nonce;
}

ChunkCipher::ChunkCipher(std::string payload_key, std::string nonce_prefix, std::string header_hash)
    : key_(std::move(payload_key)),
      nonce_prefix_(std::move(nonce_prefix)),
      ad_(std::move(header_hash)) {}

absl::Status ChunkCipher::SealInto(uint32_t index, bool last, absl::string_view piece, char* dst) {
  if (!sealer_) {
    BO_ASSIGN_OR_RETURN(crypto::AesGcmSealer sealer, crypto::AesGcmSealer::Create(key_));
    sealer_.emplace(std::move(sealer));
  }
  return sealer_->SealInto(ChunkNonce(nonce_prefix_, index, last), ad_, piece, dst);
}

absl::Status ChunkCipher::Open(uint32_t index, bool last, absl::string_view sealed,
                               std::string* out) const {
  absl::Status st =
      crypto::AesGcmOpenTo(key_, ChunkNonce(nonce_prefix_, index, last), ad_, sealed, out);
  if (st.ok() || st.code() != absl::StatusCode::kDataLoss) return st;
  return absl::DataLossError(absl::StrCat(
      "sealed bid: chunk ", index, " does not authenticate", last ? " as the final chunk" : "",
      " (wrong data key, or the file was altered, reordered, truncated or extended)"));
}

}  // namespace bidopen::seal
