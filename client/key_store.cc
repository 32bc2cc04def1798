#include "client/key_store.h"

#include <fstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/profile.h"
#include "core/crypto/sha256.h"
#include "platform/files.h"

namespace bidopen::client {

std::string KeyPath(const std::string& fingerprint) {
  return absl::StrCat(ConfigDir(), "/keys/", fingerprint, ".x25519");
}

absl::StatusOr<crypto::X25519KeyPair> LoadKey(const std::string& fingerprint) {
  std::ifstream in(KeyPath(fingerprint));
  if (!in)
    return absl::NotFoundError(absl::StrCat("no key-wrapping key at ", KeyPath(fingerprint),
                                            "; run `bidctl identity register-key` first"));
  std::string hex;
  in >> hex;
  std::string raw = absl::HexStringToBytes(hex);
  auto pub = crypto::X25519PublicFromPrivate(raw);
  if (!pub.ok())
    return absl::DataLossError(absl::StrCat(KeyPath(fingerprint), ": ", pub.status().message()));
  return crypto::X25519KeyPair{raw, *pub};
}

absl::StatusOr<crypto::X25519KeyPair> CreateKey(const std::string& fingerprint) {
  auto pair = crypto::GenerateX25519();
  if (!pair.ok()) return pair.status();
  absl::Status st =
      WriteFileAtomically(KeyPath(fingerprint), crypto::Hex(pair->private_key) + "\n", true);
  if (!st.ok()) return st;
  return pair;
}

}  // namespace bidopen::client
