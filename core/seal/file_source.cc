#include "core/seal/file_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace bidopen::seal {
namespace {

absl::Status OpenError(absl::string_view what, const std::string& path, int err) {
  std::string message = absl::StrCat(what, ": cannot open ", path, ": ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == EACCES) return absl::PermissionDeniedError(message);
  return absl::FailedPreconditionError(message);
}

int64_t Nanos(const struct timespec& t) {
  return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

}  // namespace

absl::StatusOr<FileStamp> StampOf(absl::string_view what, const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return OpenError(what, path, errno);
  FileStamp s;
  s.device = static_cast<uint64_t>(st.st_dev);
  s.inode = static_cast<uint64_t>(st.st_ino);
  s.size = static_cast<uint64_t>(st.st_size);
  s.mtime_ns = Nanos(st.st_mtim);
  s.ctime_ns = Nanos(st.st_ctim);
  return s;
}

absl::Status ForEachPiece(absl::string_view what, const std::string& path, size_t piece_size,
                          const PieceFn& fn) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return absl::FailedPreconditionError(
        absl::StrCat(what, ": ", path, " is a directory, not a file"));
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return OpenError(what, path, errno == 0 ? ENOENT : errno);
  std::string buffer(piece_size, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    if (absl::Status st = fn(absl::string_view(buffer.data(), got)); !st.ok()) return st;
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat(what, ": read error in ", path));
  return absl::OkStatus();
}

}  // namespace bidopen::seal
