#include "platform/seal_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "platform/background_writer.h"

namespace bidopen::platform {
namespace {

// Closes a file descriptor when it goes.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

absl::StatusOr<seal::SealResult> SealBidToFile(const seal::SealParams& params,
                                               const std::string& path) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0)
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  return SealBidToFd(params, fd.get());
}

absl::StatusOr<seal::SealResult> SealBidToFd(const seal::SealParams& params, int fd) {
  BackgroundWriter buf(fd);
  std::ostream out(&buf);
  seal::SealParams p = params;
  p.hash_ciphertext = false;  // FILE.seal needs no hash of the file (seal_file.h)
  auto result = seal::SealBid(p, out);
  absl::Status written = buf.Finish();
  if (!result.ok()) return result.status();
  if (!written.ok()) return written;
  return result;
}

}  // namespace bidopen::platform
