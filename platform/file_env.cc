#include "platform/file_env.h"

#include "absl/strings/str_cat.h"
#include "platform/background_hash.h"
#include "platform/file_source.h"

namespace bidopen::platform {
namespace {

class FileDocument : public seal::DocumentReader {
 public:
  FileDocument(std::string what, std::string path, FileStamp stamp)
      : what_(std::move(what)), path_(std::move(path)), stamp_(stamp) {}

  uint64_t size() const override { return stamp_.size; }

  absl::Status ForEachPiece(const seal::PieceFn& fn, const seal::ReadFn& on_read) override {
    return platform::ForEachPiece(what_, path_, kReadPieceSize, fn, on_read);
  }

  absl::Status CheckUnchanged() override {
    auto now = StampOf(what_, path_);
    if (!now.ok()) return now.status();
    if (*now == stamp_) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat(what_, ": ", path_,
                     " changed while the bid was being sealed (its size, inode or "
                     "modification time differs); seal it again"));
  }

 private:
  std::string what_, path_;
  FileStamp stamp_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<seal::DocumentReader>> FileEnv::OpenDocument(
    absl::string_view what, const std::string& path) {
  auto stamp = StampOf(what, path);
  if (!stamp.ok()) return stamp.status();
  return std::make_unique<FileDocument>(std::string(what), path, *stamp);
}

std::unique_ptr<seal::Hasher> FileEnv::NewHasher() { return std::make_unique<BackgroundSha256>(); }

FileEnv& DefaultFileEnv() {
  static FileEnv* const env = new FileEnv;
  return *env;
}

}  // namespace bidopen::platform
