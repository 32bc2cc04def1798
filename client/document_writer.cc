#include "client/document_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "core/crypto/sha256.h"
#include "core/seal/document_path.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace fs = std::filesystem;

DocumentWriter::DocumentWriter(std::string dir, const v1::BidManifest& manifest)
    : dir_(std::move(dir)), manifest_(manifest) {}

DocumentWriter::~DocumentWriter() { Abandon(); }

std::string DocumentWriter::PathOf(int index) const {
  auto p = seal::DocumentOutputPath(dir_, manifest_.documents(index).name(), index);
  return p.ok() ? *p : std::string();
}

absl::Status DocumentWriter::Prepare() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec)
    return absl::PermissionDeniedError(
        absl::StrCat("-o: cannot create ", dir_, ": ", ec.message()));
  for (int i = 0; i < manifest_.documents_size(); ++i) {
    BO_ASSIGN_OR_RETURN(std::string path,
                        seal::DocumentOutputPath(dir_, manifest_.documents(i).name(), i));
    if (fs::exists(fs::symlink_status(path)))
      return absl::AlreadyExistsError(
          absl::StrCat("-o: ", path, " exists; fetch into an empty directory"));
  }
  return absl::OkStatus();
}

absl::Status DocumentWriter::Open(int index) {
  const std::string part = PathOf(index) + ".part";
  fd_ = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0)
    return absl::PermissionDeniedError(
        absl::StrCat("-o: cannot create ", part, ": ", std::strerror(errno)));
  current_ = index;
  written_ = 0;
  return absl::OkStatus();
}

void DocumentWriter::Abandon() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  fs::remove(PathOf(current_) + ".part", ec);
  hash_.Finish();
}

absl::Status DocumentWriter::Close() {
  const v1::Document& d = manifest_.documents(current_);
  const std::string got = hash_.Finish();
  const bool synced = ::fsync(fd_) == 0;
  ::close(fd_);
  fd_ = -1;
  const std::string path = PathOf(current_);
  std::error_code ec;
  if (written_ != d.size() || got != d.sha256()) {
    fs::remove(path + ".part", ec);
    return absl::DataLossError(absl::StrCat(
        "document ", current_, " \"", d.name(), "\" came as ", written_, " bytes with SHA-256 ",
        crypto::Hex(got), ", but the opened bid's manifest says ", d.size(), " bytes with SHA-256 ",
        crypto::Hex(d.sha256()), "; the partial file was removed"));
  }
  if (!synced) return absl::DataLossError(absl::StrCat("cannot sync ", path, ".part"));
  fs::rename(path + ".part", path, ec);
  if (ec)
    return absl::PermissionDeniedError(
        absl::StrCat("-o: cannot rename to ", path, ": ", ec.message()));
  return absl::OkStatus();
}

absl::Status DocumentWriter::Write(int index, absl::string_view data) {
  if (index < current_ || index >= manifest_.documents_size())
    return absl::DataLossError(absl::StrCat("the server sent bytes of document ", index,
                                            " after document ", current_, " (the manifest has ",
                                            manifest_.documents_size(), ")"));
  while (current_ < index) {
    if (fd_ >= 0) BO_RETURN_IF_ERROR(Close());
    BO_RETURN_IF_ERROR(Open(current_ + 1));
  }
  if (written_ + data.size() > manifest_.documents(index).size())
    return absl::DataLossError(absl::StrCat("document ", index, " \"",
                                            manifest_.documents(index).name(), "\" is longer than ",
                                            manifest_.documents(index).size(), " bytes"));
  hash_.Update(data);
  written_ += data.size();
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return absl::PermissionDeniedError(
          absl::StrCat("-o: cannot write ", PathOf(index), ".part: ", std::strerror(errno)));
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status DocumentWriter::Finish() {
  if (manifest_.documents_size() == 0) return absl::OkStatus();
  BO_RETURN_IF_ERROR(Write(manifest_.documents_size() - 1, ""));
  if (fd_ >= 0) return Close();
  return absl::OkStatus();
}

}  // namespace bidopen::client
