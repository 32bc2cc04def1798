#include "core/crypto/aead.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "core/crypto/ossl.h"
#include "core/status_macros.h"

namespace bidopen::crypto {
namespace {

// EVP lengths are ints; longer inputs go through in pieces of this size.
constexpr size_t kMaxUpdate = size_t{1} << 30;

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

absl::Status CheckKey(absl::string_view key) {
  if (key.size() == kAesKeySize) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("AES-256-GCM key must be ", kAesKeySize, " bytes, got ", key.size()));
}

absl::Status CheckNonce(absl::string_view nonce) {
  if (nonce.size() == kGcmNonceSize) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("AES-GCM nonce must be ", kGcmNonceSize, " bytes, got ", nonce.size()));
}

// A context keyed for encryption (`encrypt` 1) or decryption (0), with `ad` absorbed.
absl::StatusOr<CipherCtxPtr> NewContext(absl::string_view key, absl::string_view nonce,
                                        absl::string_view ad, int encrypt) {
  BO_RETURN_IF_ERROR(CheckKey(key));
  BO_RETURN_IF_ERROR(CheckNonce(nonce));
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  // The default GCM IV length is 12 bytes (kGcmNonceSize), so no EVP_CTRL_GCM_SET_IVLEN.
  if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(nonce),
                                encrypt) != 1)
    return OpensslError("AES-GCM init");
  for (size_t pos = 0; pos < ad.size(); pos += kMaxUpdate) {
    const size_t len = std::min(kMaxUpdate, ad.size() - pos);
    int outl = 0;
    if (EVP_CipherUpdate(ctx.get(), nullptr, &outl, Bytes(ad) + pos, static_cast<int>(len)) != 1)
      return OpensslError("AES-GCM associated data");
  }
  return ctx;
}

// Encrypts or decrypts `in` into `dst` (GCM output is as long as its input).
bool Crypt(EVP_CIPHER_CTX* ctx, absl::string_view in, unsigned char* dst) {
  for (size_t pos = 0; pos < in.size(); pos += kMaxUpdate) {
    const size_t len = std::min(kMaxUpdate, in.size() - pos);
    int outl = 0;
    if (EVP_CipherUpdate(ctx, dst + pos, &outl, Bytes(in) + pos, static_cast<int>(len)) != 1 ||
        static_cast<size_t>(outl) != len)
      return false;
  }
  return true;
}

}  // namespace

absl::Status AesGcmSealTo(absl::string_view key, absl::string_view nonce, absl::string_view ad,
                          absl::string_view plaintext, std::string* out) {
  BO_ASSIGN_OR_RETURN(CipherCtxPtr ctx, NewContext(key, nonce, ad, 1));
  const size_t old_size = out->size();
  out->resize(old_size + plaintext.size() + kGcmTagSize);
  unsigned char* dst = reinterpret_cast<unsigned char*>(out->data()) + old_size;
  unsigned char* tag = dst + plaintext.size();
  int final_len = 0;
  if (!Crypt(ctx.get(), plaintext, dst) || EVP_EncryptFinal_ex(ctx.get(), tag, &final_len) != 1 ||
      final_len != 0 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagSize, tag) != 1) {
    out->resize(old_size);
    return OpensslError("AES-GCM seal");
  }
  return absl::OkStatus();
}

absl::Status AesGcmOpenTo(absl::string_view key, absl::string_view nonce, absl::string_view ad,
                          absl::string_view sealed, std::string* out) {
  BO_ASSIGN_OR_RETURN(CipherCtxPtr ctx, NewContext(key, nonce, ad, 0));
  if (sealed.size() < kGcmTagSize)
    return absl::DataLossError(absl::StrCat("authentication failed: sealed data is ", sealed.size(),
                                            " bytes, shorter than the ", kGcmTagSize, "-byte tag"));
  const absl::string_view ciphertext = sealed.substr(0, sealed.size() - kGcmTagSize);
  unsigned char tag[kGcmTagSize];
  std::memcpy(tag, sealed.data() + ciphertext.size(), kGcmTagSize);

  const size_t old_size = out->size();
  out->resize(old_size + ciphertext.size());
  unsigned char* dst = reinterpret_cast<unsigned char*>(out->data()) + old_size;
  int final_len = 0;
  const bool crypted = Crypt(ctx.get(), ciphertext, dst) &&
                       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagSize, tag) == 1;
  if (crypted && EVP_DecryptFinal_ex(ctx.get(), dst + ciphertext.size(), &final_len) == 1 &&
      final_len == 0)
    return absl::OkStatus();
  // Never leave unauthenticated plaintext behind.
  OPENSSL_cleanse(dst, ciphertext.size());
  out->resize(old_size);
  if (!crypted) return OpensslError("AES-GCM open");
  ERR_clear_error();
  return absl::DataLossError("authentication failed");
}

absl::StatusOr<std::string> AesGcmSeal(absl::string_view key, absl::string_view nonce,
                                       absl::string_view ad, absl::string_view plaintext) {
  std::string out;
  BO_RETURN_IF_ERROR(AesGcmSealTo(key, nonce, ad, plaintext, &out));
  return out;
}

absl::StatusOr<std::string> AesGcmOpen(absl::string_view key, absl::string_view nonce,
                                       absl::string_view ad, absl::string_view sealed) {
  std::string out;
  BO_RETURN_IF_ERROR(AesGcmOpenTo(key, nonce, ad, sealed, &out));
  return out;
}

absl::StatusOr<AesGcmSealer> AesGcmSealer::Create(absl::string_view key) {
  BO_RETURN_IF_ERROR(CheckKey(key));
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), nullptr) != 1)
    return OpensslError("AES-GCM init");
  return AesGcmSealer(std::move(ctx));
}

absl::Status AesGcmSealer::SealInto(absl::string_view nonce, absl::string_view ad,
                                    absl::string_view plaintext, char* dst) {
  BO_RETURN_IF_ERROR(CheckNonce(nonce));
  auto* out = reinterpret_cast<unsigned char*>(dst);
  unsigned char* tag = out + plaintext.size();
  int outl = 0;
  if (EVP_EncryptInit_ex(ctx_.get(), nullptr, nullptr, nullptr, Bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx_.get(), nullptr, &outl, Bytes(ad), static_cast<int>(ad.size())) != 1 ||
      !Crypt(ctx_.get(), plaintext, out) || EVP_EncryptFinal_ex(ctx_.get(), tag, &outl) != 1 ||
      outl != 0 || EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagSize, tag) != 1)
    return OpensslError("AES-GCM seal");
  return absl::OkStatus();
}

}  // namespace bidopen::crypto
