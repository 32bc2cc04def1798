// Sealing a bid into a file as `bidctl bid seal` does: the Env's reader reads
// and hashes the documents on one thread, core encrypts on this one, and a
// third thread writes the sealed bytes. The sealed file is not hashed: FILE.seal
// needs only its size and header hash, and `bid submit` proves it opens with
// the kept key (client/seal_record.h).
#ifndef BIDOPEN_PLATFORM_SEAL_FILE_H_
#define BIDOPEN_PLATFORM_SEAL_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "core/seal/seal_bid.h"

namespace bidopen::platform {

// Seals `params` into `path` (created or truncated, mode 0644, not synced);
// the result's ciphertext_sha256 is empty. PERMISSION_DENIED if the file
// cannot be written, DATA_LOSS if writing fails; a failed seal leaves a partial
// file for the caller to remove.
absl::StatusOr<seal::SealResult> SealBidToFile(const seal::SealParams& params,
                                               const std::string& path);

// The same into an open file descriptor, from its current offset (the caller
// owns and closes it). For benchmarks that overwrite a file in place.
absl::StatusOr<seal::SealResult> SealBidToFd(const seal::SealParams& params, int fd);

}  // namespace bidopen::platform

#endif  // BIDOPEN_PLATFORM_SEAL_FILE_H_
