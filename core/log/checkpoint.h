// Signed tree heads as text, in the C2SP checkpoint shape:
//   <origin>\n<tree size>\n<base64 root hash>\ntime <RFC 3339 UTC>\n
// The log key signs exactly these bytes (ECDSA P-256, SHA-256, DER).
#ifndef BIDOPEN_CORE_LOG_CHECKPOINT_H_
#define BIDOPEN_CORE_LOG_CHECKPOINT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/log/merkle.h"

namespace bidopen::log {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  absl::Time time;
};

std::string FormatCheckpoint(const Checkpoint& c);

// INVALID_ARGUMENT naming the line that does not fit.
absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view text);

}  // namespace bidopen::log

#endif  // BIDOPEN_CORE_LOG_CHECKPOINT_H_
