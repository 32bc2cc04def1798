#include "platform/file_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"

namespace bidopen::platform {
namespace {

absl::Status OpenError(absl::string_view what, const std::string& path, int err) {
  std::string message = absl::StrCat(what, ": cannot open ", path, ": ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == EACCES) return absl::PermissionDeniedError(message);
  return absl::FailedPreconditionError(message);
}

// Reads the file's next piece on a second thread while the caller handles
// the current one, so reading overlaps hashing or encrypting. Two buffers.
class ReadAhead {
 public:
  ReadAhead(std::ifstream& in, size_t piece_size, const ReadFn& on_read)
      : in_(in), on_read_(on_read) {
    for (Slot& s : slots_) s.data.resize(piece_size);
    worker_ = std::thread([this] { Run(); });
  }
  ~ReadAhead() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }

  // The next piece; empty at the end of the file. Valid until the next call.
  absl::string_view Next() {
    std::unique_lock<std::mutex> lock(mu_);
    if (current_ >= 0) slots_[current_].full = false;  // hand the last one back
    current_ = next_;
    next_ ^= 1;
    Slot& s = slots_[current_];
    changed_.notify_all();
    changed_.wait(lock, [&] { return s.full; });
    return absl::string_view(s.data.data(), s.size);
  }

 private:
  struct Slot {
    std::string data;
    size_t size = 0;
    bool full = false;
  };

  void Run() {
    for (int i = 0;; i ^= 1) {
      Slot& s = slots_[i];
      {
        std::unique_lock<std::mutex> lock(mu_);
        changed_.wait(lock, [&] { return stop_ || !s.full; });
        if (stop_) return;
      }
      in_.read(s.data.data(), static_cast<std::streamsize>(s.data.size()));
      const auto got = static_cast<size_t>(in_.gcount());
      if (on_read_ && got > 0) on_read_(absl::string_view(s.data.data(), got));
      {
        std::lock_guard<std::mutex> lock(mu_);
        s.size = got;
        s.full = true;
      }
      changed_.notify_all();
      if (got == 0) return;
    }
  }

  std::ifstream& in_;
  const ReadFn& on_read_;
  Slot slots_[2];
  int current_ = -1;  // the slot the caller holds
  int next_ = 0;
  bool stop_ = false;
  std::mutex mu_;
  std::condition_variable changed_;
  std::thread worker_;
};

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
                          const PieceFn& fn, const ReadFn& on_read) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return absl::FailedPreconditionError(
        absl::StrCat(what, ": ", path, " is a directory, not a file"));
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return OpenError(what, path, errno == 0 ? ENOENT : errno);
  {
    ReadAhead pieces(in, piece_size, on_read);
    for (absl::string_view piece = pieces.Next(); !piece.empty(); piece = pieces.Next())
      if (absl::Status st = fn(piece); !st.ok()) return st;
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat(what, ": read error in ", path));
  return absl::OkStatus();
}

}  // namespace bidopen::platform
