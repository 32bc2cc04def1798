// Reading a document from disk in bounded pieces (sealing never holds a whole
// document).
#ifndef BIDOPEN_PLATFORM_FILE_SOURCE_H_
#define BIDOPEN_PLATFORM_FILE_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/seal/env.h"

namespace bidopen::platform {

using seal::PieceFn;
using seal::ReadFn;

// What identifies a file's contents without reading it: device, inode, size,
// modification and status-change times (ns). Sealing reads a document once
// and checks its stamp did not change while it was read.
struct FileStamp {
  uint64_t device = 0, inode = 0, size = 0;
  int64_t mtime_ns = 0, ctime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

// NOT_FOUND / PERMISSION_DENIED naming `what` and the path if it cannot be stat'ed.
absl::StatusOr<FileStamp> StampOf(absl::string_view what, const std::string& path);

// Calls `fn` with successive pieces (at most `piece_size` bytes each) of the
// file at `path`; stops at fn's first error. The next piece is read on a
// second thread while fn runs (two pieces in memory); `on_read`, if given,
// sees each piece on that second thread before fn does (sealing hashes there
// while it encrypts on the first). NOT_FOUND /
// PERMISSION_DENIED / DATA_LOSS naming `what` and the path if the file cannot
// be read.
absl::Status ForEachPiece(absl::string_view what, const std::string& path, size_t piece_size,
                          const PieceFn& fn, const ReadFn& on_read = nullptr);

}  // namespace bidopen::platform

#endif  // BIDOPEN_PLATFORM_FILE_SOURCE_H_
