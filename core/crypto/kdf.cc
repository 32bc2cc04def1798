#include "core/crypto/kdf.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"
#include "core/crypto/ossl.h"
#include "core/crypto/x25519.h"

namespace bidopen::crypto {
namespace {


constexpr size_t kSha256Size = 32;
constexpr size_t kMaxHkdfLength = 255 * kSha256Size;  // RFC 5869 §2.3

OSSL_PARAM OctetParam(const char* name, absl::string_view bytes) {
  // OpenSSL copies the bytes; the const_cast is for its C signature only.
  return OSSL_PARAM_construct_octet_string(name, const_cast<char*>(bytes.data()), bytes.size());
}

}  // namespace

absl::StatusOr<std::string> HkdfSha256(absl::string_view ikm, absl::string_view salt,
                                       absl::string_view info, size_t length) {
  if (length == 0 || length > kMaxHkdfLength)
    return absl::InvalidArgumentError(
        absl::StrCat("HKDF-SHA256 length must be 1..", kMaxHkdfLength, " bytes, got ", length));
  KdfPtr kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) return OpensslError("HKDF fetch");
  KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return OpensslError("HKDF context");
  // An empty salt or info is the same as none (RFC 5869 §2.2: salt defaults to zeros, which
  // HMAC pads an empty key to), so only non-empty ones are passed.
  char digest[] = "SHA256";
  OSSL_PARAM params[5];
  size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OctetParam(OSSL_KDF_PARAM_KEY, ikm);
  if (!salt.empty()) params[n++] = OctetParam(OSSL_KDF_PARAM_SALT, salt);
  if (!info.empty()) params[n++] = OctetParam(OSSL_KDF_PARAM_INFO, info);
  params[n] = OSSL_PARAM_construct_end();
  std::string out(length, '\0');
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(), params) !=
      1)
    return OpensslError("HKDF-SHA256");
  return out;
}

absl::StatusOr<std::string> X25519Shared(absl::string_view private_key,
                                         absl::string_view peer_public) {
  if (private_key.size() != kX25519KeySize || peer_public.size() != kX25519KeySize)
    return absl::InvalidArgumentError(
        absl::StrCat("X25519 private and peer public keys must be ", kX25519KeySize, " bytes, got ",
                     private_key.size(), " and ", peer_public.size()));
  PkeyPtr own(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_X25519, nullptr, reinterpret_cast<const unsigned char*>(private_key.data()),
      private_key.size()));
  PkeyPtr peer(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_X25519, nullptr, reinterpret_cast<const unsigned char*>(peer_public.data()),
      peer_public.size()));
  if (!own || !peer) return OpensslError("X25519 key");
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1)
    return OpensslError("X25519 derive");
  std::string shared(kX25519KeySize, '\0');
  size_t len = shared.size();
  // OpenSSL's X25519 itself refuses an all-zero result (RFC 7748 §6.1), which is the only way
  // the derivation fails once both keys are loaded; the explicit check below is in case a
  // provider does not.
  const bool derived =
      EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(shared.data()), &len) == 1 &&
      len == kX25519KeySize;
  static constexpr unsigned char kZero[kX25519KeySize] = {};
  if (!derived || CRYPTO_memcmp(shared.data(), kZero, kX25519KeySize) == 0) {
    ERR_clear_error();
    OPENSSL_cleanse(shared.data(), shared.size());
    return absl::DataLossError(
        "X25519 shared secret is all-zero: the peer public key is a low-order point");
  }
  return shared;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  for (size_t pos = 0; pos < n; pos += INT_MAX) {
    const size_t len = std::min<size_t>(INT_MAX, n - pos);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()) + pos, static_cast<int>(len)) !=
        1) {
      std::fputs("bidopen: RAND_bytes failed; refusing to continue without randomness\n", stderr);
      std::abort();
    }
  }
  return out;
}

}  // namespace bidopen::crypto
