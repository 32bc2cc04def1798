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
  BackgroundWriter buf(fd.get());
  std::ostream out(&buf);
  seal::SealParams p = params;
  p.hash_ciphertext = false;  // the writer's thread hashes what it writes
  auto result = seal::SealBid(p, out);
  auto sha = buf.Finish();
  if (!result.ok()) return result.status();
  if (!sha.ok()) return sha.status();
  result->ciphertext_sha256 = *std::move(sha);
  return result;
}

}  // namespace bidopen::platform
