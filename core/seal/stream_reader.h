// Reads a v2 sealed-bid file from a stream: parses and strictly checks the
// header, checks a bid secret against the header's commitment before it
// decrypts anything, and streams the verified plaintext chunk by chunk. The
// header fixes the plaintext size, hence every chunk's length and the file's.
// Holds at most one sealed and one opened chunk.
#ifndef BIDOPEN_CORE_SEAL_STREAM_READER_H_
#define BIDOPEN_CORE_SEAL_STREAM_READER_H_

#include <cstdint>
#include <istream>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "core/crypto/secret.h"
#include "core/seal/chunk_cipher.h"
#include "core/seal/env.h"

namespace bidopen::seal {

class SealReader {
 public:
  // Reads the magic, the header length and the header. INVALID_ARGUMENT if
  // the stream is not a sealed bid, is of another version (v1 is named, with
  // what to do) or suite, or its header fails DecodeHeader. `in` must outlive
  // the reader.
  static absl::StatusOr<SealReader> Open(std::istream& in);

  const v1::SealedHeader& header() const { return header_; }
  const std::string& header_bytes() const { return header_bytes_; }
  const std::string& header_hash() const { return header_hash_; }
  // The length the whole file must have (ExpectedFileSize).
  uint64_t file_size() const;

  // The bid secret unwrapped with the bidder's X25519 private key and checked
  // against the header (BIDDER, ANY); see release_check.h for BOTH/QUORUM.
  absl::StatusOr<crypto::Secret> SecretFrom(absl::string_view bidder_private) const;

  // OK if `secret` matches secret_commitment (DATA_LOSS otherwise, nothing
  // decrypted) and opens chunk 0 (read now and kept for ReadPlaintext).
  // REQUIRES: ReadPlaintext not yet called.
  absl::Status CheckSecret(absl::string_view secret);

  // Streams the plaintext to `sink`, one verified chunk at a time. DATA_LOSS
  // naming the chunk if one fails to authenticate, and naming the sizes if the
  // file is shorter or longer than its header says. The sink may already have
  // seen earlier chunks when an error comes: treat its output as void unless
  // this returns OK. One pass only.
  absl::Status ReadPlaintext(absl::string_view secret, const PieceFn& sink);

  // Capacity of the internal buffers now, for memory checks.
  size_t buffer_capacity() const { return sealed_.capacity() + plain_.capacity(); }

 private:
  SealReader(std::istream* in, std::string header_bytes, v1::SealedHeader header);

  absl::Status UseSecret(absl::string_view secret);
  uint64_t ChunkCount() const;
  absl::Status ReadSealedChunk(uint64_t index);
  absl::Status OpenNextChunk();
  absl::Status CheckEnd();

  std::istream* in_;
  std::string header_bytes_;
  v1::SealedHeader header_;
  std::string header_hash_;
  std::string ctx_hash_;
  std::optional<ChunkCipher> cipher_;
  uint64_t next_index_ = 0;
  bool sealed_ready_ = false;  // sealed_ holds chunk next_index_, read but not opened
  bool held_ = false;          // plain_ holds an opened chunk not yet given to a sink
  bool last_ = false;          // the chunk in plain_ is the final one
  std::string sealed_;
  std::string plain_;
};

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_STREAM_READER_H_
