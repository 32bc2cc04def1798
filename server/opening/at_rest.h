// The server's at-rest key (bidopend --release-key): a file outside the
// database holding 32 random bytes in hex. Released key material and what the
// server read from opened bids are stored only sealed under it (AES-256-GCM,
// fresh 12-byte nonce, associated data: a label and the row's seq), so a
// database dump alone holds nothing that opens a bid (docs/threat-model.md).
#ifndef BIDOPEN_SERVER_OPENING_AT_REST_H_
#define BIDOPEN_SERVER_OPENING_AT_REST_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/crypto/secret.h"

namespace bidopen::opening {

class AtRestKey {
 public:
  // Reads `path`: 64 hex digits (whitespace around them ignored).
  // FAILED_PRECONDITION naming the file and what is wrong with it.
  static absl::StatusOr<AtRestKey> Load(const std::string& path);
  static AtRestKey FromBytesForTesting(std::string key) {
    return AtRestKey(crypto::Secret(std::move(key)));
  }

  // nonce ‖ AES-256-GCM(key, nonce, LP(label) ‖ u64(seq), plaintext) ‖ tag.
  absl::StatusOr<std::string> Seal(absl::string_view label, uint64_t seq,
                                   absl::string_view plaintext) const;
  // DATA_LOSS if the bytes were not sealed under this key for (label, seq).
  absl::StatusOr<std::string> Open(absl::string_view label, uint64_t seq,
                                   absl::string_view sealed) const;

 private:
  explicit AtRestKey(crypto::Secret key) : key_(std::move(key)) {}
  crypto::Secret key_;
};

inline constexpr absl::string_view kReleaseLabel = "bidopen/at-rest/release";
inline constexpr absl::string_view kOpenedLabel = "bidopen/at-rest/opened";

}  // namespace bidopen::opening

#endif  // BIDOPEN_SERVER_OPENING_AT_REST_H_
