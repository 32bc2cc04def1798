#include "server/app/chunk_writer.h"

#include <memory>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace bidopen::app {

absl::Status ChunkWriter::Submit(v1::UploadChunk chunk) {
  BO_RETURN_IF_ERROR(Drain());
  BO_RETURN_IF_ERROR(app_.CheckChunk(upload_, chunk));
  auto data = std::make_shared<const std::string>(std::move(*chunk.mutable_data()));
  try {
    stored_ = std::async(std::launch::async,
                         [this, row = upload_.row(), data] { return app_.StoreChunk(row, *data); });
  } catch (const std::system_error& e) {  // no thread to be had
    return absl::ResourceExhaustedError(
        absl::StrCat("the server cannot start a thread for this upload now (", e.what(),
                     "); retry from the durable offset"));
  }
  size_ = data->size();
  absorbed_ = upload_.Absorb(*data);  // while the database stores the same bytes
  return absl::OkStatus();
}

absl::Status ChunkWriter::Drain() {
  if (!stored_.valid()) return absl::OkStatus();
  BO_RETURN_IF_ERROR(stored_.get());
  return app_.AfterChunk(upload_, size_, absorbed_);
}

}  // namespace bidopen::app
