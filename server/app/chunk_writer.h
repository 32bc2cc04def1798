// Stores an upload's chunks while the stream goes on: chunk k is written to
// the database on a helper thread while this thread hashes it and then reads
// and parses chunk k+1. At most one chunk is in flight; a database connection
// is held only while a chunk is written, never while waiting for the client.
#ifndef BIDOPEN_SERVER_APP_CHUNK_WRITER_H_
#define BIDOPEN_SERVER_APP_CHUNK_WRITER_H_

#include <cstdint>
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
  // was stored, checks `chunk` and starts storing it.
  absl::Status Submit(v1::UploadChunk chunk);
  // Waits for the chunk in flight; its outcome.
  absl::Status Drain();

 private:
  BidApp& app_;
  Upload& upload_;
  std::future<absl::Status> stored_;  // the chunk in flight
  uint64_t size_ = 0;                 // its size
  absl::Status absorbed_;             // its hashing and header scan
};

}  // namespace bidopen::app

#endif  // BIDOPEN_SERVER_APP_CHUNK_WRITER_H_
