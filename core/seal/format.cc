#include "core/seal/format.h"

#include <openssl/crypto.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/crypto/kdf.h"
#include "core/crypto/sha256.h"

namespace bidopen::seal {
namespace {

class OsRandomSource : public RandomSource {
 public:
  std::string Bytes(size_t n) override { return crypto::RandomBytes(n); }
};

}  // namespace

RandomSource& OsRandom() {
  static OsRandomSource* const source = new OsRandomSource;
  return *source;
}

absl::Status CheckSuite(absl::string_view suite) {
  if (suite == kSuiteX25519Aes) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("sealed bid uses suite \"", suite,
                                                 "\"; this build knows only ", kSuiteX25519Aes));
}

absl::StatusOr<std::string> DrawRandom(RandomSource& random, size_t n) {
  std::string bytes = random.Bytes(n);
  if (bytes.size() != n)
    return absl::InternalError(
        absl::StrCat("random source gave ", bytes.size(), " bytes; asked for ", n));
  return bytes;
}

void AppendU32(std::string* out, uint32_t v) {
  const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                         static_cast<char>(v >> 8), static_cast<char>(v)};
  out->append(bytes, 4);
}

void AppendU64(std::string* out, uint64_t v) {
  AppendU32(out, static_cast<uint32_t>(v >> 32));
  AppendU32(out, static_cast<uint32_t>(v));
}

uint32_t ReadU32(absl::string_view bytes) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return v;
}

uint64_t ReadU64(absl::string_view bytes) {
  return (uint64_t{ReadU32(bytes)} << 32) | ReadU32(bytes.substr(4));
}

void AppendLp(std::string* out, absl::string_view bytes) {
  AppendU32(out, static_cast<uint32_t>(bytes.size()));
  out->append(bytes.data(), bytes.size());
}

std::string U32Bytes(uint32_t v) {
  std::string out;
  AppendU32(&out, v);
  return out;
}

std::string U64Bytes(uint64_t v) {
  std::string out;
  AppendU64(&out, v);
  return out;
}

std::string LabelledHash(absl::string_view label, std::initializer_list<absl::string_view> fields) {
  std::string input;
  AppendLp(&input, label);
  for (absl::string_view f : fields) AppendLp(&input, f);
  return crypto::Sha256(input);
}

bool SecretEquals(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace bidopen::seal
