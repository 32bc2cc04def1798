// Reads a sealed-bid file from a stream: parses and checks the header, gives
// the data key from released secrets, and streams the verified plaintext
// chunk by chunk. Holds at most one sealed and one opened chunk.
#ifndef BIDOPEN_CORE_SEAL_STREAM_READER_H_
#define BIDOPEN_CORE_SEAL_STREAM_READER_H_

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "core/crypto/shamir.h"
#include "core/seal/chunk_cipher.h"
#include "core/seal/file_source.h"

namespace bidopen::seal {

class SealReader {
 public:
  // Reads the magic, the header length and the header. INVALID_ARGUMENT if the
  // stream is not a sealed bid, is of another version or suite, or its header
  // fails ValidateHeader. `in` must outlive the reader.
  static absl::StatusOr<SealReader> Open(std::istream& in);

  const v1::SealedHeader& header() const { return header_; }
  const std::string& header_bytes() const { return header_bytes_; }
  const std::string& header_hash() const { return header_hash_; }

  // The data key with the bidder's X25519 private key (BIDDER, ANY).
  absl::StatusOr<std::string> DataKeyFrom(absl::string_view bidder_private) const;
  // The data key from custodians' shares (QUORUM, ANY).
  absl::StatusOr<std::string> DataKeyFromShares(const std::vector<crypto::Share>& shares) const;

  // OK if `data_key` opens chunk 0 (read now and kept for ReadPlaintext);
  // DATA_LOSS naming chunk 0 otherwise. REQUIRES: ReadPlaintext not yet called.
  absl::Status CheckDataKey(absl::string_view data_key);

  // Streams the plaintext to `sink`, one verified chunk at a time, to the end
  // of the file. DATA_LOSS naming the chunk if one fails to authenticate or is
  // missing, and if the file ends without a final chunk. The sink may already
  // have seen earlier chunks when an error comes: treat its output as void
  // unless this returns OK. One pass only.
  absl::Status ReadPlaintext(absl::string_view data_key, const PieceFn& sink);

  // Capacity of the internal buffers now, for memory checks.
  size_t buffer_capacity() const { return sealed_.capacity() + plain_.capacity(); }

 private:
  SealReader(std::istream* in, std::string header_bytes, v1::SealedHeader header);

  absl::Status UseKey(absl::string_view data_key);
  absl::Status ReadSealedChunk(uint64_t index);
  absl::Status OpenNextChunk();

  std::istream* in_;
  std::string header_bytes_;
  v1::SealedHeader header_;
  std::string header_hash_;
  std::string data_key_;
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
