// Reading a document from disk in bounded pieces (sealing never holds a whole
// document).
#ifndef BIDOPEN_CORE_SEAL_FILE_SOURCE_H_
#define BIDOPEN_CORE_SEAL_FILE_SOURCE_H_

#include <cstddef>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bidopen::seal {

using PieceFn = std::function<absl::Status(absl::string_view)>;

// Calls `fn` with successive pieces (at most `piece_size` bytes each) of the
// file at `path`; stops at fn's first error. NOT_FOUND / PERMISSION_DENIED /
// DATA_LOSS naming `what` and the path if the file cannot be read.
absl::Status ForEachPiece(absl::string_view what, const std::string& path, size_t piece_size,
                          const PieceFn& fn);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_FILE_SOURCE_H_
