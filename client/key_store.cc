#include "client/key_store.h"

#include <filesystem>
#include <fstream>
#include <functional>

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

namespace {

// A key file: the private key in hex. NOT_FOUND naming `path` if absent.
absl::StatusOr<crypto::X25519KeyPair> LoadKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return absl::NotFoundError(absl::StrCat("no key-wrapping key at ", path,
                                            "; run `bidctl identity register-key` first"));
  std::string hex;
  in >> hex;
  std::string raw = absl::HexStringToBytes(hex);
  auto pub = crypto::X25519PublicFromPrivate(raw);
  if (!pub.ok()) return absl::DataLossError(absl::StrCat(path, ": ", pub.status().message()));
  return crypto::X25519KeyPair{raw, *pub};
}

absl::StatusOr<crypto::X25519KeyPair> CreateKeyFile(
    const std::function<std::string(const std::string&)>& path_of) {
  auto pair = crypto::GenerateX25519();
  if (!pair.ok()) return pair.status();
  absl::Status st =
      WriteFileAtomically(path_of(pair->public_key), crypto::Hex(pair->private_key) + "\n", true);
  if (!st.ok()) return st;
  return pair;
}

}  // namespace

absl::StatusOr<crypto::X25519KeyPair> LoadKey(const std::string& fingerprint) {
  return LoadKeyFile(KeyPath(fingerprint));
}

absl::StatusOr<crypto::X25519KeyPair> CreatePendingKey(const std::string& fingerprint) {
  return CreateKeyFile([&](const std::string&) { return KeyPath(fingerprint) + ".pending"; });
}

absl::Status AdoptPendingKey(const std::string& fingerprint) {
  const std::string path = KeyPath(fingerprint);
  std::error_code ec;
  std::filesystem::rename(path + ".pending", path, ec);
  if (ec)
    return absl::InternalError(absl::StrCat("the server registered the new key, but moving ", path,
                                            ".pending to ", path, " failed: ", ec.message(),
                                            "; move it by hand"));
  return absl::OkStatus();
}

void DiscardPendingKey(const std::string& fingerprint) {
  std::error_code ec;
  std::filesystem::remove(KeyPath(fingerprint) + ".pending", ec);
}

std::string LotKeyPath(const std::string& fingerprint, const std::string& public_key) {
  return absl::StrCat(ConfigDir(), "/keys/", fingerprint, ".lot/", crypto::Hex(public_key),
                      ".x25519");
}

absl::StatusOr<std::vector<std::string>> CreateLotKeys(const std::string& fingerprint, int n) {
  std::error_code ec;
  const std::string dir = absl::StrCat(ConfigDir(), "/keys/", fingerprint, ".lot");
  std::filesystem::create_directories(dir, ec);
  for (const std::string& d : {absl::StrCat(ConfigDir(), "/keys"), dir})  // private keys: 0700
    std::filesystem::permissions(d, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    auto pair = CreateKeyFile([&](const std::string& pub) { return LotKeyPath(fingerprint, pub); });
    if (!pair.ok()) return pair.status();
    out.push_back(pair->public_key);
  }
  return out;
}

absl::StatusOr<crypto::X25519KeyPair> LoadLotKey(const std::string& fingerprint,
                                                 const std::string& public_key) {
  return LoadKeyFile(LotKeyPath(fingerprint, public_key));
}

}  // namespace bidopen::client
