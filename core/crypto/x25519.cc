#include "core/crypto/x25519.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/ossl.h"

namespace bidopen::crypto {
namespace {

absl::StatusOr<std::string> RawPublic(EVP_PKEY* key) {
  std::string pub(kX25519KeySize, '\0');
  size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(
          key, reinterpret_cast<unsigned char*>(pub.data()), &len) != 1)
    return OpensslError("X25519 public key");
  return pub;
}

}  // namespace

absl::StatusOr<X25519KeyPair> GenerateX25519() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
  if (!key) return OpensslError("X25519 keygen");
  X25519KeyPair pair;
  pair.private_key.resize(kX25519KeySize);
  size_t len = kX25519KeySize;
  if (EVP_PKEY_get_raw_private_key(
          key.get(), reinterpret_cast<unsigned char*>(pair.private_key.data()),
          &len) != 1)
    return OpensslError("X25519 private key");
  auto pub = RawPublic(key.get());
  if (!pub.ok()) return pub.status();
  pair.public_key = *std::move(pub);
  return pair;
}

absl::StatusOr<std::string> X25519PublicFromPrivate(absl::string_view private_key) {
  if (private_key.size() != kX25519KeySize)
    return absl::InvalidArgumentError(absl::StrCat(
        "X25519 private key must be ", kX25519KeySize, " bytes, got ",
        private_key.size()));
  PkeyPtr key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_X25519, nullptr,
      reinterpret_cast<const unsigned char*>(private_key.data()),
      private_key.size()));
  if (!key) return OpensslError("X25519 private key");
  return RawPublic(key.get());
}

}  // namespace bidopen::crypto
