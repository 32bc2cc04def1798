#include "core/seal/format.h"


#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace bidopen::seal {

absl::Status CheckSuite(absl::string_view suite) {
  if (suite == kSuiteX25519Aes) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("sealed bid uses suite \"", suite,
                                                 "\"; this build knows only ", kSuiteX25519Aes));
}

absl::StatusOr<std::string> DrawRandom(const RandomFn& random, size_t n) {
  std::string bytes = random(n);
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

uint32_t ReadU32(absl::string_view bytes) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return v;
}

}  // namespace bidopen::seal
