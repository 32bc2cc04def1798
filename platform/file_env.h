// The file-system Env (core/seal/env.h) that bidctl and bidopend give core:
// documents read from disk in pieces on a second thread, checked by their
// stamp, and the sealed file hashed on a second thread.
#ifndef BIDOPEN_PLATFORM_FILE_ENV_H_
#define BIDOPEN_PLATFORM_FILE_ENV_H_

#include <memory>
#include <string>

#include "core/seal/env.h"

namespace bidopen::platform {

// Documents are read from disk in pieces of this size.
inline constexpr size_t kReadPieceSize = 256 * 1024;

class FileEnv : public seal::Env {
 public:
  // NOT_FOUND / PERMISSION_DENIED naming `what` and the path if it cannot be stat'ed.
  absl::StatusOr<std::unique_ptr<seal::DocumentReader>> OpenDocument(
      absl::string_view what, const std::string& path) override;
  std::unique_ptr<seal::Hasher> NewHasher() override;
};

// One process-wide instance.
FileEnv& DefaultFileEnv();

}  // namespace bidopen::platform

#endif  // BIDOPEN_PLATFORM_FILE_ENV_H_
