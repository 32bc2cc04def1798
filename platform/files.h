// Whole small files (certificates, keys, profiles, JSON) for bidopend's and
// bidctl's edges. The rules in core/ do no I/O; these are the one place both
// programs read and write such files.
#ifndef BIDOPEN_PLATFORM_FILES_H_
#define BIDOPEN_PLATFORM_FILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bidopen {

// The file's bytes; NOT_FOUND "<what>: cannot read <path>" if it can't be read.
absl::StatusOr<std::string> ReadFileBytes(const std::string& path, absl::string_view what);

// Writes `bytes` to path.tmp (mode 0600 when `private_file`, else 0644,
// whatever the umask), syncs it and renames it over `path`, so `path` is never
// half-written. A stale path.tmp is removed, never followed (O_EXCL |
// O_NOFOLLOW). Creates the parent directories (the last one 0700 for a private
// file). PERMISSION_DENIED "cannot write <path>: <why>" on failure.
absl::Status WriteFileAtomically(const std::string& path, absl::string_view bytes,
                                 bool private_file = false);

}  // namespace bidopen

#endif  // BIDOPEN_PLATFORM_FILES_H_
