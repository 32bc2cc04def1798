#include "platform/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace bidopen {
namespace {

absl::Status CannotWrite(const std::string& path, absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat("cannot write ", path, ": ", why));
}

// Writes all of `bytes` to the open descriptor and syncs it.
bool WriteAll(int fd, absl::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return ::fsync(fd) == 0;
}

}  // namespace

absl::StatusOr<std::string> ReadFileBytes(const std::string& path, absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(what, ": cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status WriteFileAtomically(const std::string& path, absl::string_view bytes,
                                 bool private_file) {
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
    std::filesystem::create_directories(parent, ec);
    if (private_file)  // a new directory for secrets: the owner's alone
      std::filesystem::permissions(parent, std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::replace, ec);
  }
  const std::string tmp = path + ".tmp";
  const mode_t mode = private_file ? 0600 : 0644;
  // A stale or planted temporary (a symlink to another file, say) is removed,
  // not followed: the new one is created here, exclusively.
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return CannotWrite(tmp, std::strerror(errno));
  bool ok = ::fchmod(fd, mode) == 0 && WriteAll(fd, bytes);  // the mode meant, whatever the umask
  int saved = errno;
  ::close(fd);
  if (!ok) {
    std::filesystem::remove(tmp, ec);
    return CannotWrite(tmp, std::strerror(saved));
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return CannotWrite(path, ec.message());
  return absl::OkStatus();
}

}  // namespace bidopen
