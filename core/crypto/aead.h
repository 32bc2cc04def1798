// AES-256-GCM authenticated encryption through OpenSSL EVP.
#ifndef BIDOPEN_CORE_CRYPTO_AEAD_H_
#define BIDOPEN_CORE_CRYPTO_AEAD_H_

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/crypto/ossl.h"

namespace bidopen::crypto {

inline constexpr size_t kAesKeySize = 32, kGcmNonceSize = 12, kGcmTagSize = 16;

// AES-256-GCM. Returns ciphertext || 16-byte tag. INVALID_ARGUMENT on wrong key/nonce size.
absl::StatusOr<std::string> AesGcmSeal(absl::string_view key, absl::string_view nonce,
                                       absl::string_view ad, absl::string_view plaintext);

// DATA_LOSS "authentication failed" if the tag does not verify (wrong key, nonce, ad, or
// altered bytes, or `sealed` shorter than a tag). No unauthenticated plaintext is returned.
absl::StatusOr<std::string> AesGcmOpen(absl::string_view key, absl::string_view nonce,
                                       absl::string_view ad, absl::string_view sealed);

// Streaming-friendly variants that append to `out` to avoid reallocations (same semantics).
// On error `*out` is left as it was.
// REQUIRES: `plaintext` / `sealed` do not point into `*out`.
absl::Status AesGcmSealTo(absl::string_view key, absl::string_view nonce, absl::string_view ad,
                          absl::string_view plaintext, std::string* out);
absl::Status AesGcmOpenTo(absl::string_view key, absl::string_view nonce, absl::string_view ad,
                          absl::string_view sealed, std::string* out);


// AES-256-GCM sealing of many messages under one key: the key schedule is
// made once, each message sets only its nonce (as a STREAM writer needs).
class AesGcmSealer {
 public:
  // INVALID_ARGUMENT unless the key is 32 bytes.
  static absl::StatusOr<AesGcmSealer> Create(absl::string_view key);

  // Writes ciphertext || 16-byte tag to `dst`, which has room for
  // plaintext.size() + kGcmTagSize bytes and does not overlap `plaintext`.
  absl::Status SealInto(absl::string_view nonce, absl::string_view ad, absl::string_view plaintext,
                        char* dst);

 private:
  explicit AesGcmSealer(CipherCtxPtr ctx) : ctx_(std::move(ctx)) {}
  CipherCtxPtr ctx_;
};

}  // namespace bidopen::crypto

#endif  // BIDOPEN_CORE_CRYPTO_AEAD_H_
