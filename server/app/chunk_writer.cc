#include "server/app/chunk_writer.h"

#include "core/status_macros.h"

namespace bidopen::app {

absl::Status ChunkWriter::Submit(v1::UploadChunk chunk) {
  BO_RETURN_IF_ERROR(Drain());
  in_flight_ = std::async(std::launch::async,
                          [this, c = std::move(chunk)] { return app_.Chunk(upload_, c); });
  return absl::OkStatus();
}

absl::Status ChunkWriter::Drain() {
  if (!in_flight_.valid()) return absl::OkStatus();
  return in_flight_.get();
}

}  // namespace bidopen::app
