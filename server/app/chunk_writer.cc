#include "server/app/chunk_writer.h"

#include <system_error>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace bidopen::app {

absl::Status ChunkWriter::Submit(v1::UploadChunk chunk) {
  BO_RETURN_IF_ERROR(Drain());
  try {
    in_flight_ = std::async(std::launch::async,
                            [this, c = std::move(chunk)] { return app_.Chunk(upload_, c); });
  } catch (const std::system_error& e) {  // no thread to be had
    return absl::ResourceExhaustedError(
        absl::StrCat("the server cannot start a thread for this upload now (", e.what(),
                     "); retry from the durable offset"));
  }
  return absl::OkStatus();
}

absl::Status ChunkWriter::Drain() {
  if (!in_flight_.valid()) return absl::OkStatus();
  return in_flight_.get();
}

}  // namespace bidopen::app
