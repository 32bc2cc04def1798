// SHA-256 and hex helpers.
#ifndef BIDOPEN_CORE_CRYPTO_SHA256_H_
#define BIDOPEN_CORE_CRYPTO_SHA256_H_

#include <string>
#include "absl/strings/string_view.h"

namespace bidopen::crypto {

// Raw 32-byte digest.
std::string Sha256(absl::string_view data);

// Lower-case hex of arbitrary bytes.
std::string Hex(absl::string_view bytes);

}  // namespace bidopen::crypto

#endif  // BIDOPEN_CORE_CRYPTO_SHA256_H_
