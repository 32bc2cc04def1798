// What sealing needs from outside core, as LevelDB's Env: reading documents
// and hashing the sealed file on another thread. core/ does no I/O and starts
// no thread; platform/ (platform/file_env.h) implements this for bidctl and
// bidopend, and tests may give their own.
#ifndef BIDOPEN_CORE_SEAL_ENV_H_
#define BIDOPEN_CORE_SEAL_ENV_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bidopen::seal {

using PieceFn = std::function<absl::Status(absl::string_view)>;
using ReadFn = std::function<void(absl::string_view)>;

// One document, opened: its size then, its bytes in pieces, and whether it
// changed since.
class DocumentReader {
 public:
  virtual ~DocumentReader() = default;
  virtual uint64_t size() const = 0;
  // Calls fn with successive pieces to the end; stops at fn's first error.
  // `on_read`, if given, sees each piece, in order, before fn does (it may run
  // on another thread: sealing hashes there while it encrypts).
  virtual absl::Status ForEachPiece(const PieceFn& fn, const ReadFn& on_read) = 0;
  // FAILED_PRECONDITION naming the document if it changed since it was opened.
  virtual absl::Status CheckUnchanged() = 0;
};

// SHA-256 of a stream of bytes, maybe on another thread.
class Hasher {
 public:
  virtual ~Hasher() = default;
  virtual void Update(absl::string_view bytes) = 0;
  // The raw 32-byte digest of everything given. Once.
  virtual std::string Finish() = 0;
};

class Env {
 public:
  virtual ~Env() = default;
  // `what` names the document in errors (documents[i]).
  virtual absl::StatusOr<std::unique_ptr<DocumentReader>> OpenDocument(absl::string_view what,
                                                                       const std::string& path) = 0;
  // The default hashes inline, on the caller's thread.
  virtual std::unique_ptr<Hasher> NewHasher();
};

// The inline hasher (Env's default).
std::unique_ptr<Hasher> InlineHasher();

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_ENV_H_
