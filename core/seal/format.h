// Constants of the sealed-bid format v2 (docs/sealed-bid-format.md) and the
// small byte helpers every part of it uses.
#ifndef BIDOPEN_CORE_SEAL_FORMAT_H_
#define BIDOPEN_CORE_SEAL_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/deterministic.h"
#include "google/protobuf/message_lite.h"

namespace bidopen::seal {

// The only suite so far (it names the primitives; the format version is in
// the magic and in every label). A second one (e.g. SM2/SM3/SM4) gets its own
// name and its own branch wherever CheckSuite() is called.
inline constexpr absl::string_view kSuiteX25519Aes = "BO1-X25519-HKDF-SHA256-AES256GCM";

inline constexpr absl::string_view kMagic = "BIDOPEN-SEALED\n2\n";
inline constexpr absl::string_view kMagicStem = "BIDOPEN-SEALED\n";
inline constexpr uint32_t kDefaultChunkSize = 64 * 1024;
inline constexpr uint32_t kMinChunkSize = 1024;
inline constexpr uint32_t kMaxChunkSize = 16 * 1024 * 1024;
inline constexpr size_t kNoncePrefixSize = 7;
inline constexpr size_t kBidIdSize = 16;
inline constexpr size_t kSecretSize = 32;
inline constexpr size_t kHashSize = 32;
inline constexpr size_t kChunkTagSize = 16;
inline constexpr uint32_t kMaxHeaderSize = 64 * 1024;
// The values section a reader will buffer at most (a lot's form is far smaller).
inline constexpr uint32_t kMaxValuesSize = 1024 * 1024;

// The labels that start every hashed, KDF or associated-data input.
inline constexpr absl::string_view kHeaderLabel = "bidopen/v2/header";
inline constexpr absl::string_view kContextLabel = "bidopen/v2/context";
inline constexpr absl::string_view kUnwrappedLabel = "bidopen/v2/header-unwrapped";
inline constexpr absl::string_view kWrapLabel = "bidopen/v2/wrap";
inline constexpr absl::string_view kPayloadLabel = "bidopen/v2/payload";
inline constexpr absl::string_view kValuesKeyLabel = "bidopen/v2/values-key";
inline constexpr absl::string_view kValuesLabel = "bidopen/v2/values";
inline constexpr absl::string_view kSecretLabel = "bidopen/v2/secret";
inline constexpr absl::string_view kBidderPartLabel = "bidopen/v2/bidder-part";
inline constexpr absl::string_view kQuorumPartLabel = "bidopen/v2/quorum-part";
inline constexpr absl::string_view kShareLabel = "bidopen/v2/share";

// A source of random bytes. Sealing uses the OS one; a deterministic source
// exists only under tests/ (the test vectors are made with it).
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual std::string Bytes(size_t n) = 0;
};

// OpenSSL's RAND_bytes.
RandomSource& OsRandom();

// random.Bytes(n), or INTERNAL if the source gave another number of bytes.
absl::StatusOr<std::string> DrawRandom(RandomSource& random, size_t n);

// OK if `suite` is one this build implements; INVALID_ARGUMENT naming it otherwise.
absl::Status CheckSuite(absl::string_view suite);

void AppendU32(std::string* out, uint32_t v);
void AppendU64(std::string* out, uint64_t v);
// REQUIRES: bytes.size() >= 4 (8).
uint32_t ReadU32(absl::string_view bytes);
uint64_t ReadU64(absl::string_view bytes);

// Length-prefixed field: uint32 BE length || bytes.
void AppendLp(std::string* out, absl::string_view bytes);
std::string U32Bytes(uint32_t v);
std::string U64Bytes(uint64_t v);

// SHA-256 of LP(label) || LP(field) || ... : every hash of the format.
std::string LabelledHash(absl::string_view label, std::initializer_list<absl::string_view> fields);

// Constant-time equality of two byte strings (CRYPTO_memcmp; sizes are public).
bool SecretEquals(absl::string_view a, absl::string_view b);

// The deterministic protobuf encoding that is hashed (header, manifest).
using ::bidopen::EncodeDeterministic;

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_FORMAT_H_
