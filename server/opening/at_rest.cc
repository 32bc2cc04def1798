#include "server/opening/at_rest.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/crypto/aead.h"
#include "core/crypto/kdf.h"
#include "core/seal/format.h"
#include "platform/files.h"

namespace bidopen::opening {
namespace {

std::string Ad(absl::string_view label, uint64_t seq) {
  std::string ad;
  seal::AppendLp(&ad, label);
  seal::AppendU64(&ad, seq);
  return ad;
}

}  // namespace

absl::StatusOr<AtRestKey> AtRestKey::Load(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileBytes(path, "--release-key");
  if (!text.ok()) return text.status();
  const absl::string_view hex = absl::StripAsciiWhitespace(*text);
  if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdefABCDEF") != hex.npos)
    return absl::FailedPreconditionError(
        absl::StrCat("--release-key ", path,
                     ": expected 64 hex digits (32 random bytes, e.g. `openssl rand -hex "
                     "32`), found ",
                     hex.size(), " characters"));
  return AtRestKey(crypto::Secret(absl::HexStringToBytes(hex)));
}

absl::StatusOr<std::string> AtRestKey::Seal(absl::string_view label, uint64_t seq,
                                            absl::string_view plaintext) const {
  std::string out = crypto::RandomBytes(crypto::kGcmNonceSize);
  const std::string nonce = out;
  if (absl::Status st = crypto::AesGcmSealTo(key_.view(), nonce, Ad(label, seq), plaintext, &out);
      !st.ok())
    return st;
  return out;
}

absl::StatusOr<std::string> AtRestKey::Open(absl::string_view label, uint64_t seq,
                                            absl::string_view sealed) const {
  if (sealed.size() < crypto::kGcmNonceSize + crypto::kGcmTagSize)
    return absl::DataLossError(absl::StrCat(label, " ", seq, ": stored bytes too short"));
  absl::StatusOr<std::string> plain =
      crypto::AesGcmOpen(key_.view(), sealed.substr(0, crypto::kGcmNonceSize), Ad(label, seq),
                         sealed.substr(crypto::kGcmNonceSize));
  if (!plain.ok())
    return absl::DataLossError(
        absl::StrCat(label, " ", seq,
                     ": does not open under this server's --release-key (another key, or the "
                     "row was changed)"));
  return plain;
}

}  // namespace bidopen::opening
