// Constants of the sealed-bid format (docs/sealed-bid-format.md) and the small
// byte helpers every part of it uses.
#ifndef BIDOPEN_CORE_SEAL_FORMAT_H_
#define BIDOPEN_CORE_SEAL_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/deterministic.h"
#include "google/protobuf/message_lite.h"

namespace bidopen::seal {

// The only suite so far. A second one (e.g. SM2/SM3/SM4) gets its own name and
// its own branch wherever CheckSuite() is called.
inline constexpr absl::string_view kSuiteX25519Aes = "BO1-X25519-HKDF-SHA256-AES256GCM";

inline constexpr absl::string_view kMagic = "BIDOPEN-SEALED\n1\n";
inline constexpr uint32_t kDefaultChunkSize = 64 * 1024;
inline constexpr uint32_t kMinChunkSize = 1024;
inline constexpr uint32_t kMaxChunkSize = 16 * 1024 * 1024;
inline constexpr size_t kNoncePrefixSize = 7;
inline constexpr size_t kDataKeySize = 32;
inline constexpr size_t kChunkTagSize = 16;
inline constexpr uint32_t kMaxHeaderSize = 64 * 1024;
inline constexpr uint32_t kMaxManifestSize = 1024 * 1024;

inline constexpr absl::string_view kWrapLabel = "bidopen/seal/v1/wrap";
inline constexpr absl::string_view kPayloadLabel = "bidopen/seal/v1/payload";

// Returns n random bytes. Sealing takes one so tests can make it deterministic.
using RandomFn = std::function<std::string(size_t)>;

// random(n), or INTERNAL if the source gave another number of bytes.
absl::StatusOr<std::string> DrawRandom(const RandomFn& random, size_t n);

// OK if `suite` is one this build implements; INVALID_ARGUMENT naming it otherwise.
absl::Status CheckSuite(absl::string_view suite);

void AppendU32(std::string* out, uint32_t v);
// REQUIRES: bytes.size() >= 4.
uint32_t ReadU32(absl::string_view bytes);

// The deterministic protobuf encoding that is hashed (header, manifest).
using ::bidopen::EncodeDeterministic;

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_FORMAT_H_
