#include "platform/files.h"

#include <fcntl.h>
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
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const std::string tmp = path + ".tmp";
  int fd =
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, private_file ? 0600 : 0644);
  if (fd < 0) return CannotWrite(tmp, std::strerror(errno));
  bool ok = WriteAll(fd, bytes);
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
