#include "core/seal/chunk_cipher.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/aead.h"
#include "core/crypto/kdf.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/status_macros.h"

namespace bidopen::seal {

absl::StatusOr<crypto::Secret> PayloadKey(absl::string_view secret, absl::string_view ctx_hash) {
  if (secret.size() != kSecretSize)
    return absl::InvalidArgumentError(
        absl::StrCat("bid secret: ", secret.size(), " bytes; must be ", kSecretSize));
  return DeriveKey(secret, kPayloadLabel, ctx_hash);
}

const std::string& NoncePrefix() {
  static const std::string* const kPrefix = new std::string(kNoncePrefixSize, '\0');
  return *kPrefix;
}

std::string ChunkNonce(absl::string_view nonce_prefix, uint32_t index, bool last) {
  std::string nonce(nonce_prefix);
  AppendU32(&nonce, index);
  nonce.push_back(last ? '\x01' : '\x00');
  return nonce;
}

ChunkCipher::ChunkCipher(crypto::Secret payload_key, std::string nonce_prefix,
                         std::string header_hash)
    : key_(std::move(payload_key)),
      nonce_prefix_(std::move(nonce_prefix)),
      ad_(std::move(header_hash)) {}

absl::Status ChunkCipher::SealInto(uint32_t index, bool last, absl::string_view piece, char* dst) {
  if (!sealer_) {
    BO_ASSIGN_OR_RETURN(crypto::AesGcmSealer sealer, crypto::AesGcmSealer::Create(key_.view()));
    sealer_.emplace(std::move(sealer));
  }
  return sealer_->SealInto(ChunkNonce(nonce_prefix_, index, last), ad_, piece, dst);
}

absl::Status ChunkCipher::Open(uint32_t index, bool last, absl::string_view sealed,
                               std::string* out) const {
  absl::Status st =
      crypto::AesGcmOpenTo(key_.view(), ChunkNonce(nonce_prefix_, index, last), ad_, sealed, out);
  if (st.ok() || st.code() != absl::StatusCode::kDataLoss) return st;
  return absl::DataLossError(absl::StrCat(
      "sealed bid: chunk ", index, " does not authenticate", last ? " as the final chunk" : "",
      " (wrong data key, or the file was altered, reordered, truncated or extended)"));
}

}  // namespace bidopen::seal
