// Writes a sealed-bid file to a stream: magic, header length, header, then
// the plaintext in STREAM chunks (chunk_cipher.h). Holds at most one pending
// plaintext chunk and one sealed chunk, whatever the bid's size.
#ifndef BIDOPEN_CORE_SEAL_STREAM_WRITER_H_
#define BIDOPEN_CORE_SEAL_STREAM_WRITER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "core/seal/chunk_cipher.h"
#include "core/seal/env.h"

namespace bidopen::seal {

class SealWriter {
 public:
  // `out` must outlive the writer. With `hash_file`, the file is hashed as it
  // is written, by `env`'s hasher if given (platform's: on a second thread),
  // else inline; without, file_sha256() stays empty.
  explicit SealWriter(std::ostream& out, bool hash_file = true, Env* env = nullptr);

  // Writes the magic, the header length and the header. INVALID_ARGUMENT if
  // the header fails ValidateHeader or the bid secret is not 32 bytes.
  // REQUIRES: `secret` is the s the header commits to.
  absl::Status Begin(const v1::SealedHeader& header, absl::string_view secret);

  // Appends plaintext; seals and writes every chunk that fills up.
  absl::Status Write(absl::string_view plaintext);

  // Seals the final chunk (shorter than chunk_size, possibly empty) and flushes.
  absl::Status Finish();

  const std::string& header_hash() const { return header_hash_; }
  uint64_t plaintext_size() const { return plaintext_size_; }
  // Bytes of the file written so far (magic through the last chunk).
  uint64_t file_size() const { return file_size_; }
  // SHA-256 of the whole file. REQUIRES: Finish() returned OK.
  const std::string& file_sha256() const { return file_sha256_; }
  // Capacity of the internal buffers now, for memory checks.
  size_t buffer_capacity() const { return pending_.capacity() + sealed_.capacity(); }

 private:
  enum class State { kNew, kWriting, kFinished, kFailed };

  absl::Status CheckState(State want) const;
  absl::Status Fail(absl::Status st);
  absl::Status Emit(absl::string_view bytes);
  absl::Status SealChunk(absl::string_view piece, bool last);

  std::ostream* out_;
  State state_ = State::kNew;
  std::optional<ChunkCipher> cipher_;
  size_t chunk_size_ = 0;
  uint64_t next_index_ = 0;
  std::string pending_;                // plaintext not yet sealed, < chunk_size_ bytes
  std::string sealed_;                 // the chunk being written
  std::unique_ptr<Hasher> file_hash_;  // null unless hash_file
  std::string header_hash_;
  std::string file_sha256_;
  uint64_t plaintext_size_ = 0;
  uint64_t file_size_ = 0;
};

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_STREAM_WRITER_H_
