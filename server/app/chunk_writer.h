// Stores an upload's chunks one after another on a helper thread, so the
// stream reads and parses chunk k+1 while chunk k is stored and hashed. At
// most one chunk is in flight; a database connection is held only while a
// chunk is written, never while waiting for the client.
#ifndef BIDOPEN_SERVER_APP_CHUNK_WRITER_H_
#define BIDOPEN_SERVER_APP_CHUNK_WRITER_H_

#include <future>

#include "absl/status/status.h"
#include "bidopen/v1/bid.pb.h"
#include "server/app/bid_app.h"
#include "server/app/upload.h"

namespace bidopen::app {

class ChunkWriter {
 public:
  ChunkWriter(BidApp& app, Upload& upload) : app_(app), upload_(upload) {}
  ChunkWriter(const ChunkWriter&) = delete;
  ChunkWriter& operator=(const ChunkWriter&) = delete;
  ~ChunkWriter() { (void)Drain(); }

  // The previous chunk's outcome (its refusal, if any, surfaces here); if it
  // was stored, starts storing `chunk`.
  absl::Status Submit(v1::UploadChunk chunk);
  // Waits for the chunk in flight; its outcome.
  absl::Status Drain();

 private:
  BidApp& app_;
  Upload& upload_;
  std::future<absl::Status> in_flight_;
};

}  // namespace bidopen::app

#endif  // BIDOPEN_SERVER_APP_CHUNK_WRITER_H_
