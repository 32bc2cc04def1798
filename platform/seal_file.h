// Sealing a bid into a file as `bidctl bid seal` does: core encrypts on this
// thread while a second thread hashes the sealed bytes and writes them to the
// file (and the Env's reader reads and hashes the documents), so the file's
// SHA-256 costs the encrypting thread nothing but a copy.
#ifndef BIDOPEN_PLATFORM_SEAL_FILE_H_
#define BIDOPEN_PLATFORM_SEAL_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "core/seal/seal_bid.h"

namespace bidopen::platform {

// Seals `params` into `path` (created or truncated, mode 0644, not synced);
// the result's ciphertext_sha256 is always set. PERMISSION_DENIED if the file
// cannot be written, DATA_LOSS if writing fails; a failed seal leaves a partial
// file for the caller to remove.
absl::StatusOr<seal::SealResult> SealBidToFile(const seal::SealParams& params,
                                               const std::string& path);

}  // namespace bidopen::platform

#endif  // BIDOPEN_PLATFORM_SEAL_FILE_H_
